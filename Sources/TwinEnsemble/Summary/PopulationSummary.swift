/// The population band of one quantity at one time: how many members had a finite value, their
/// mean and SD, and the 5th, 50th and 95th percentiles.
///
/// ```swift
/// let band = summary.band(time: 12, quantity: "C")
/// print(band?.p5, band?.p50, band?.p95)
/// ```
public struct PopulationBand: Sendable, Equatable {
    /// The output time, in the model's time unit as given to the summary.
    public let time: Double
    /// The quantity's name (a model output).
    public let quantity: String
    /// The number of members with a finite value.
    public let count: Int
    /// The mean (NaN when count is 0).
    public let mean: Double
    /// The sample SD, n − 1 denominator (NaN when count < 2).
    public let sd: Double
    /// The 5th, 50th and 95th percentiles from the quantile sketch, within its relative accuracy
    /// (NaN when count is 0).
    public let p5: Double
    public let p50: Double
    public let p95: Double

    public init(time: Double, quantity: String, count: Int, mean: Double, sd: Double, p5: Double, p50: Double, p95: Double) {
        self.time = time
        self.quantity = quantity
        self.count = count
        self.mean = mean
        self.sd = sd
        self.p5 = p5
        self.p50 = p50
        self.p95 = p95
    }
}

/// Streaming summaries of a population's outputs: for each (time, quantity) cell, the running
/// moments (``RunningMoments``) and a quantile sketch (``QuantileSketch``), in memory that does
/// not grow with the number of members.
///
/// A member's values are laid out time-major: `values[t * quantities.count + k]` is quantity k at
/// `times[t]`. NaN or infinite values (a failed member's missing outputs) are counted per cell in
/// ``RunningMoments/nonFinite`` and left out of the statistics.
///
/// **Determinism.** The engine adds the members of a fixed-size chunk in index order, one
/// summary per chunk, and merges the chunk summaries in chunk order. Which thread computed a
/// chunk does not enter the arithmetic, so the summary is bit-identical for any thread count.
///
/// ```swift
/// var summary = PopulationSummary(times: [0, 1, 2], quantities: ["C"])
/// summary.add(member: [0, 4.1, 3.0])
/// summary.add(member: [0, 3.9, 2.8])
/// let bands = summary.bands()        // 3 bands: time 0, 1, 2 for quantity C
/// ```
public struct PopulationSummary: Sendable, Equatable {
    /// The output times, in the model's time unit.
    public let times: [Double]
    /// The quantity names.
    public let quantities: [String]
    /// The number of members added (including those with non-finite values).
    public private(set) var memberCount = 0
    /// Per cell, index `t * quantities.count + k`.
    public private(set) var moments: [RunningMoments]
    /// Per cell, index `t * quantities.count + k`.
    public private(set) var sketches: [QuantileSketch]

    /// An empty summary.
    ///
    /// - Parameters:
    ///   - times: the output times (model time unit).
    ///   - quantities: the names of the quantities recorded at each time.
    ///   - sketch: the accuracy and bucket limit of every cell's sketch (its values, if any, are
    ///     not used); default α = 0.005, 4096 buckets.
    public init(times: [Double], quantities: [String], sketch: QuantileSketch = QuantileSketch()) {
        self.times = times
        self.quantities = quantities
        let cells = times.count * quantities.count
        moments = [RunningMoments](repeating: RunningMoments(), count: cells)
        sketches = [QuantileSketch](repeating: sketch.emptied(), count: cells)
    }

    /// The number of values per member: times × quantities.
    public var valuesPerMember: Int { times.count * quantities.count }

    /// Adds one member's values (time-major, `valuesPerMember` of them).
    ///
    /// - Precondition: `values.count == valuesPerMember`.
    public mutating func add(member values: UnsafeBufferPointer<Double>) {
        precondition(values.count == valuesPerMember,
                     "PopulationSummary.add: expected \(valuesPerMember) values (\(times.count) times × \(quantities.count) quantities), found \(values.count)")
        memberCount += 1
        for c in 0..<values.count {
            let x = values[c]
            moments[c].add(x)
            sketches[c].add(x)
        }
    }

    /// Adds one member's values (time-major, `valuesPerMember` of them).
    ///
    /// - Precondition: `values.count == valuesPerMember`.
    public mutating func add(member values: [Double]) {
        values.withUnsafeBufferPointer { add(member: $0) }
    }

    /// Adds the members of `other`, as if added here after this one's.
    ///
    /// - Precondition: the same times, quantities and sketch parameters.
    public mutating func merge(_ other: PopulationSummary) {
        precondition(times == other.times && quantities == other.quantities,
                     "PopulationSummary.merge: summaries of different times or quantities")
        memberCount += other.memberCount
        for c in moments.indices {
            moments[c].merge(other.moments[c])
            sketches[c].merge(other.sketches[c])
        }
    }

    /// Every cell's band, time-major (all quantities at times[0], then at times[1] …).
    public func bands() -> [PopulationBand] {
        var out: [PopulationBand] = []
        out.reserveCapacity(valuesPerMember)
        for t in times.indices {
            for k in quantities.indices { out.append(band(cell: t * quantities.count + k, t: t, k: k)) }
        }
        return out
    }

    /// The band of `quantity` at `time`, or nil when the summary has no such time (compared
    /// exactly) or quantity (compared exactly).
    public func band(time: Double, quantity: String) -> PopulationBand? {
        guard let t = times.firstIndex(of: time), let k = quantities.firstIndex(of: quantity) else { return nil }
        return band(cell: t * quantities.count + k, t: t, k: k)
    }

    private func band(cell: Int, t: Int, k: Int) -> PopulationBand {
        let m = moments[cell], s = sketches[cell]
        return PopulationBand(time: times[t], quantity: quantities[k], count: m.count,
                              mean: m.count > 0 ? m.mean : .nan, sd: m.standardDeviation,
                              p5: s.quantile(0.05) ?? .nan, p50: s.quantile(0.5) ?? .nan, p95: s.quantile(0.95) ?? .nan)
    }
}
