import TwinODE

/// One timed solve of a reference problem: the work counters, the time and the error against
/// the reference, as `medtwin bench ode` prints them.
public struct ODEBenchmarkResult: Sendable {
    public let problem: String
    public let solver: String
    public let status: ODEStatus
    public let statistics: ODEStatistics
    /// Minimum and median wall time over the repeats, seconds.
    public let minimumSeconds: Double
    public let medianSeconds: Double
    /// Weighted RMS error of the final state against the reference (1 = at tolerance).
    public let weightedError: Double
    public let finalState: [Double]
}

public enum ODEBenchmark {
    /// The solvers by their CLI names.
    public static let solvers: [String: any ODEAlgorithm] = ["dp5": DormandPrince5(), "tsit5": Tsitouras5(), "rodas4": Rodas4(), "bdf": BDF()]

    /// Solves `problem` with `algorithm` `repeats` times (after one warm-up), keeping only the
    /// final state, and measures the error against the problem's reference.
    public static func run(_ problem: ODEReferenceProblem, algorithm: any ODEAlgorithm, repeats: Int) throws -> ODEBenchmarkResult {
        let instance = try problem.make()
        let options = problem.options()
        var samples: [Double] = []
        var last: ODESolution?
        for r in 0...max(1, repeats) {
            let start = LinalgBenchmark.clock.now
            let solution = try instance.solve(using: algorithm, options: options)
            let t = LinalgBenchmark.elapsed(since: start)
            if r > 0 { samples.append(t) }
            last = solution
        }
        samples.sort()
        guard let solution = last else { throw ODEError.invalidOption(name: "repeats", value: Double(repeats), requirement: "at least 1") }
        return ODEBenchmarkResult(problem: problem.name, solver: algorithm.name, status: solution.status, statistics: solution.statistics,
                                  minimumSeconds: samples[0], medianSeconds: samples[samples.count / 2],
                                  weightedError: problem.weightedError(solution.finalState), finalState: solution.finalState)
    }
}
