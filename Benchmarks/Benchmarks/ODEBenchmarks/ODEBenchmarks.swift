// Single-trajectory ODE solves of the reference problems (`ODEReferenceProblem`: Robertson, Van
// der Pol μ = 1000, HIRES, two-compartment oral PK with 5 doses) with each problem's solvers, at
// rtol 1e-6, keeping only the final state — the configuration of `medtwin bench ode` and
// compare/ode.sh.
//
// Allocations: a solve allocates its workspace once (stepper buffers, the LU workspace, the
// solution's arrays) and nothing per step. The `pk-…-days` pair shows it: 3 days and 30 days of
// dosing every 12 h take about 10× as many steps and the same number of mallocs. The counts are
// recorded in ../../Thresholds/ODEBenchmarks.<name>.p90.json and checked by
// `swift package benchmark thresholds check`.

import Benchmark
import TwinODE
import TwinWorkloads

/// Two-compartment oral PK, 100 mg every 12 h for `days`, solved to the end with Tsit5.
private func pkProblem(days: Int) throws -> ODEProblem<TwoCompartmentOral> {
    let doses = (0..<(2 * days)).map { TimeEvent(time: Double($0) * 12, action: .addToState(state: 0, amount: 100)) }
    return try ODEProblem(system: TwoCompartmentOral(), initialState: [0, 0, 0], timeSpan: (0, Double(24 * days)),
                          parameters: TwoCompartmentOral.typicalParameters, timeEvents: doses)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(2), maxIterations: 10_000)
    let solvers: [String: any ODEAlgorithm] = ["Tsit5": Tsitouras5(), "DP5": DormandPrince5(), "Rodas4": Rodas4(), "BDF": BDF()]
    for problem in ODEReferenceProblem.all {
        let names = problem.stiff ? ["Rodas4", "BDF"] : ["Tsit5", "DP5", "Rodas4", "BDF"]
        for name in names {
            guard let algorithm = solvers[name] else { continue }
            Benchmark("\(problem.name)-\(name)") { benchmark in
                let instance = try problem.make()
                let options = problem.options()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try instance.solve(using: algorithm, options: options).finalState)
                }
            }
        }
    }
    for days in [3, 30] {
        Benchmark("pk-\(days)-days-Tsit5") { benchmark in
            let problem = try pkProblem(days: days)
            let options = ODEOptions(save: .finalOnly, denseOutput: false, maxSteps: 1_000_000)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let solution = try problem.solve(using: .tsit5, options: options)
                blackHole(solution.finalState)
            }
        }
    }
}
