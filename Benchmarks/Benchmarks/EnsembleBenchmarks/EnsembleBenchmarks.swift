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

/// The ensemble of `which` (its system opened from the existential: the engine holds it that way too).
private func problem(_ which: EnsembleBenchmarkProblem, patients: Int) throws -> any EnsembleSolvable {
    func make<System: ODESystem>(_ system: System) throws -> any EnsembleSolvable {
        let y0 = which.initialState
        return try EnsembleProblem(system: system, timeSpan: which.timeSpan, memberCount: patients) { i, member in
            member.initialState.removeAll(keepingCapacity: true)
            member.initialState.append(contentsOf: y0)
            which.parameters(member: i, into: &member.parameters)
            member.timeEvents.removeAll(keepingCapacity: true)
        }
    }
    return try make(which.system)
}

/// Solving an ensemble whatever its system type.
protocol EnsembleSolvable {
    func solve(using algorithm: any ODEAlgorithm, options: EnsembleOptions, strategy: EnsembleStrategy) throws -> EnsembleReport
}

extension EnsembleProblem: EnsembleSolvable {
    func solve(using algorithm: any ODEAlgorithm, options: EnsembleOptions, strategy: EnsembleStrategy) throws -> EnsembleReport {
        var sink = DiscardingSink()
        return try solve(using: algorithm, options: options, strategy: strategy, sink: &sink)
    }
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
                    let report = try ensemble.solve(using: which.isStiff ? Rodas4() as any ODEAlgorithm : Tsitouras5(), options: options,
                                                    strategy: threads > 1 ? .threads(threads) : .serial)
                    blackHole(report.solvedCount)
                }
            }
        }
    }
}
