/// Which population summaries to compute while an ensemble runs: the quantities observed from
/// each solved member's state at every kept time (the grid, or the end of the span), folded into
/// a ``PopulationSummary`` (mean, SD, 5/50/95% quantiles per time and quantity) chunk by chunk.
///
/// ```swift
/// // plasma concentration (mg/L) = central amount / V1
/// let request = EnsembleSummaryRequest(quantities: ["C"]) { time, state, parameters, out in
///     out[0] = state[state.startIndex + 1] / parameters[parameters.startIndex + 2]
/// }
/// ```
public struct EnsembleSummaryRequest: Sendable {
    /// The quantities' names, in the order `observe` writes them.
    public var quantities: [String]
    /// Writes the quantities at `time` for a member's `state` and `parameters` (the member's
    /// starting parameter vector) into `out` (quantities.count entries).
    public var observe: @Sendable (_ time: Double, _ state: ArraySlice<Double>, _ parameters: ArraySlice<Double>,
                                   _ out: inout [Double]) -> Void
    /// The quantile sketch's relative accuracy α (see ``QuantileSketch``).
    public var relativeAccuracy: Double

    public init(quantities: [String], relativeAccuracy: Double = 0.005,
                observe: @escaping @Sendable (_ time: Double, _ state: ArraySlice<Double>, _ parameters: ArraySlice<Double>,
                                              _ out: inout [Double]) -> Void) {
        self.quantities = quantities
        self.relativeAccuracy = relativeAccuracy
        self.observe = observe
    }

    /// The states themselves, under these names.
    public static func states(_ names: [String]) -> EnsembleSummaryRequest {
        EnsembleSummaryRequest(quantities: names) { _, state, _, out in
            for (k, v) in state.enumerated() where k < out.count { out[k] = v }
        }
    }

    /// A summary with no members yet, at `times`.
    ///
    /// - Throws: ``EnsembleError/invalidRequest(reason:)`` for an accuracy the sketch rejects.
    func emptySummary(times: [Double]) throws(EnsembleError) -> PopulationSummary {
        let sketch: QuantileSketch
        do { sketch = try QuantileSketch(relativeAccuracy: relativeAccuracy) } catch {
            throw .invalidRequest(reason: "summary accuracy \(relativeAccuracy): \(error)")
        }
        return PopulationSummary(times: times, quantities: quantities, sketch: sketch)
    }

    /// The summary of one chunk: `empty` (from ``emptySummary(times:)``) with the chunk's solved
    /// members added in index order.
    func summarize(_ chunk: EnsembleChunk, into empty: PopulationSummary) -> PopulationSummary {
        var summary = empty
        let times = summary.times
        let k = quantities.count
        var out = [Double](repeating: .nan, count: k)
        var values = [Double](repeating: .nan, count: times.count * k)
        let gridded = !chunk.gridTimes.isEmpty
        for i in chunk.members where chunk.status(of: i).isSolved {
            let parameters = chunk.parameters(of: i)
            for (g, t) in times.enumerated() {
                let state = gridded ? chunk.gridState(of: i, time: g) : chunk.finalState(of: i)
                for q in 0..<k { out[q] = .nan }
                observe(t, state, parameters, &out)
                for q in 0..<k { values[g * k + q] = out[q] }
            }
            summary.add(member: values)
        }
        return summary
    }
}
