/// One start of a multi-start run: the start point and either its result or why it failed.
public struct MultiStartRun: Sendable, Hashable, Codable {
    /// The start point as given.
    public var start: [Double]
    /// The run's result, or nil when it could not start.
    public var result: OptimizationResult?
    /// Why the run could not start (for example ``OptimizerError/startNotEvaluable(start:)``), or nil.
    public var failure: OptimizerError?
}

/// The best of several starts and every run.
public struct MultiStartResult: Sendable, Hashable, Codable {
    /// The run with the lowest objective (the first such, in start order, on a tie).
    public var best: OptimizationResult
    /// Its index in `runs` (= in the start list).
    public var bestIndex: Int
    /// Every start, in the order given.
    public var runs: [MultiStartRun]
}

extension TrustRegionMinimizer {
    /// Runs ``minimize(_:from:)`` from each start in order and keeps the lowest objective.
    /// Deterministic: the same starts give the same result; ties go to the earlier start.
    ///
    /// ```swift
    /// let all = try minimizer.minimize(&objective, starts: [[1, 1], [0.1, 5], [10, 0.2]])
    /// all.best.parameters; all.runs.count   // 3
    /// ```
    ///
    /// - Throws: ``OptimizerError/noStartPoints``; invalid options (before any run); or
    ///   ``OptimizerError/allStartsFailed(count:first:)`` when no start could be run.
    public func minimize<O: ScoringObjective>(_ objective: inout O, starts: [[Double]]) throws(OptimizerError) -> MultiStartResult {
        guard !starts.isEmpty else { throw .noStartPoints }
        try options.validate()
        var runs: [MultiStartRun] = []
        runs.reserveCapacity(starts.count)
        var bestIndex: Int?
        for (index, start) in starts.enumerated() {
            do {
                let result = try minimize(&objective, from: start)
                runs.append(MultiStartRun(start: start, result: result, failure: nil))
                if let b = bestIndex, let current = runs[b].result, !(result.objective < current.objective) { continue }
                bestIndex = index
            } catch {
                if case .invalidOption = error { throw error }
                runs.append(MultiStartRun(start: start, result: nil, failure: error))
            }
        }
        guard let bestIndex, let best = runs[bestIndex].result else {
            throw .allStartsFailed(count: starts.count, first: runs.first?.failure?.description ?? "unknown")
        }
        return MultiStartResult(best: best, bestIndex: bestIndex, runs: runs)
    }
}
