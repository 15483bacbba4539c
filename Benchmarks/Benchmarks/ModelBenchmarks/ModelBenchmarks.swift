// The right-hand sides of the TwinModels library, and one UVA/Padova patient-day.
//
// `rhs-<model>`: 1000 evaluations of f(t, y, p) with Doubles into preallocated storage, at the
// model's typical parameters and a filled state (every compartment non-zero). A right-hand side
// must not allocate: mallocCountTotal is checked at 0 (Thresholds/ModelBenchmarks.rhs-*.p90.json,
// tolerance 0, recorded by `swift package benchmark thresholds update`).
//
// `uva-padova-patient-day`: adult#001, 24 h, meals 45/70/62 g at 07:00, 12:00, 18:30 with meal
// boluses, Tsit5 at rtol 1e-8 — the scenario of Tests/Fixtures/Models/make_simglucose_fixture.py,
// which simglucose runs in about 4.4 s (BENCHMARKS.md, "TwinModels"). It allocates (the solver's
// buffers and output), so no allocation threshold.

import Benchmark
import TwinData
import TwinModels
import TwinODE

/// Storage a benchmark builds once and keeps: state, parameters, output, all of fixed size.
private final class Buffers {
    let n: Int, m: Int
    let y: UnsafeMutablePointer<Double>
    let p: UnsafeMutablePointer<Double>
    let dy: UnsafeMutablePointer<Double>
    init(y: [Double], p: [Double]) {
        n = y.count
        m = p.count
        self.y = .allocate(capacity: max(n, 1)); self.y.initialize(from: y, count: n)
        self.p = .allocate(capacity: max(m, 1)); self.p.initialize(from: p, count: m)
        dy = .allocate(capacity: max(n, 1)); dy.initialize(repeating: 0, count: n)
    }
    deinit { y.deallocate(); p.deallocate(); dy.deallocate() }
}

private func registerRightHandSide<M: PhysiologicalModel>(_ model: M) {
    let typical = model.typicalParameters
    let y = model.initialState(parameters: typical).enumerated().map { $0.element + 1 + Double($0.offset) }
    let buffers = Buffers(y: y, p: typical + model.initialInputs(parameters: typical))
    Benchmark("rhs-\(model.name)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .automatic, warmupIterations: 1,
                                   scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000,
                                   thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
        let yv = ODEVector(UnsafePointer(buffers.y), count: buffers.n)
        let pv = ODEVector(UnsafePointer(buffers.p), count: buffers.m)
        let out = ODEMutableVector(buffers.dy, count: buffers.n)
        for k in benchmark.scaledIterations {
            try model.rightHandSide(t: Double(k) * 1e-3, y: yv, p: pv, dy: out)
            blackHole(buffers.dy[0])
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    registerRightHandSide(OneCompartmentPK())
    registerRightHandSide(TwoCompartmentPK())
    registerRightHandSide(ThreeCompartmentPK())
    registerRightHandSide(MichaelisMentenPK())
    registerRightHandSide(EffectCompartmentEmax())
    for kind in IndirectResponse.Kind.allCases { registerRightHandSide(IndirectResponse(kind)) }
    registerRightHandSide(BergmanMinimalModel())
    registerRightHandSide(UVAPadova())
    registerRightHandSide(WindkesselHeart())
    registerRightHandSide(TumourGrowth(growth: .gompertz, kill: .logKill))
    registerRightHandSide(TumourGrowth(growth: .logistic, kill: .nortonSimon))
    registerRightHandSide(SEIRHospital())

    Benchmark("uva-padova-patient-day",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], timeUnits: .milliseconds, warmupIterations: 1,
                                   maxDuration: .seconds(3), maxIterations: 200)) { benchmark in
        let model = UVAPadova()
        let subject = try model.subject(named: "adult#001")
        let regimen = try Regimen(parsing: "45 g carbs at 07:00; 4.5 U sc over 1min at 07:00; 70 g carbs at 12:00; "
                                  + "7 U sc over 1min at 12:00; 62 g carbs at 18:30; 6.2 U sc over 1min at 18:30")
        let problem = try model.problem(parameters: subject.parameters, regimen: regimen, hours: 24)
        let options = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-8, save: .finalOnly, denseOutput: false)
        benchmark.startMeasurement()
        let solution = try problem.solve(using: .tsit5, options: options)
        benchmark.stopMeasurement()
        blackHole(solution.finalState)
    }
}
