// The ensemble engine on the peers' problems (`EnsembleBenchmarkProblem`: pk, bergman, rober),
// members drawn from their own streams, final states only, one thread and two — the
// configuration of `medtwin bench ensemble` and compare/ensemble.sh (which runs the C peers on
// the same parameter rows in the same run and prints the ratios).
//
// Throughput is in patients per second (one iteration = the whole ensemble). Allocations: the
// engine allocates per chunk (its lane workspace and result arrays), never per step or per
// patient, so the count grows with N / chunkSize, not with the steps taken.

import Benchmark
import TwinEnsemble
import TwinODE
import TwinWorkloads

private func problem(_ which: EnsembleBenchmarkProblem, patients: Int) throws -> EnsembleProblem<AnyEnsembleSystem> {
    let y0 = which.initialState
    return try EnsembleProblem(system: AnyEnsembleSystem(which.system), timeSpan: which.timeSpan, memberCount: patients) { i, member in
        member.initialState.removeAll(keepingCapacity: true)
        member.initialState.append(contentsOf: y0)
        which.parameters(member: i, into: &member.parameters)
        member.timeEvents.removeAll(keepingCapacity: true)
    }
}

/// Holds a system of the workloads as an existential (the engine holds it that way too).
struct AnyEnsembleSystem: ODESystem {
    let base: any ODESystem
    init(_ base: any ODESystem) { self.base = base }
    var stateCount: Int { base.stateCount }
    var parameterCount: Int { base.parameterCount }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        try base.rightHandSide(t: t, y: y, p: p, dy: dy)
    }
    func evaluate(t: Lanes<SIMD8<Double>>, y: ODEVector<Lanes<SIMD8<Double>>>, p: ODEVector<Lanes<SIMD8<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD8<Double>>>) throws(RightHandSideFailure) {
        try base.evaluate(t: t, y: y, p: p, dy: dy)
    }
    func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure) {
        try base.evaluate(t: t, y: y, p: p, dy: dy)
    }
    var hasAnalyticJacobian: Bool { base.hasAnalyticJacobian }
    func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) {
        base.jacobian(t: t, y: y, p: p, into: jacobian)
    }
    var isAutonomous: Bool { base.isAutonomous }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(3), maxIterations: 100)
    let cases: [(EnsembleBenchmarkProblem, Int)] = [(.pk, 20_000), (.bergman, 5_000), (.rober, 200)]
    for (which, patients) in cases {
        for threads in [1, 2] {
            Benchmark("\(which.rawValue)-\(patients)-patients-\(threads)thread") { benchmark in
                let ensemble = try problem(which, patients: patients)
                let options = EnsembleOptions(relativeTolerance: which.relativeTolerance, absoluteTolerance: which.absoluteTolerance)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    var sink = DiscardingSink()
                    let report = try ensemble.solve(using: which.isStiff ? .rodas4 : .tsit5, options: options,
                                                    strategy: threads > 1 ? .threads(threads) : .serial, sink: &sink)
                    blackHole(report.solvedCount)
                }
            }
        }
    }
}
