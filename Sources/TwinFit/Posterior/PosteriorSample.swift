/// Draws from a subject's posterior distribution of the estimated parameters, natural scale,
/// with how they were made and how much information they carry.
///
/// ```swift
/// let sample = try sampler.importanceResampling(proposals: 100_000, draws: 10_000, seed: 1)
/// print(sample.mean, sample.quantile(0.05), sample.quantile(0.95), sample.effectiveSampleSize)
/// ```
public struct PosteriorSample: Sendable, Codable, Hashable {
    /// How the draws were made.
    public enum Method: String, Sendable, Codable, Hashable {
        /// Independent draws from the Laplace (Gaussian) approximation at the MAP estimate.
        case laplace
        /// Sampling–importance–resampling with a Student-t proposal around the MAP estimate.
        case importanceResampling = "sir"
        /// Random-walk Metropolis.
        case metropolis = "mcmc"
    }

    /// The parameters, in the fit's order (estimated model parameters, then any estimated
    /// residual standard deviations).
    public var parameterNames: [String]
    /// One row per draw, natural scale.
    public var draws: [[Double]]
    /// The sampler.
    public var method: Method
    /// The effective sample size: Kish's (Σw)²/Σw² of the importance weights for SIR, the draw
    /// count over the integrated autocorrelation time (smallest over parameters) for MCMC, the
    /// draw count for Laplace draws.
    public var effectiveSampleSize: Double
    /// The Metropolis acceptance rate (MCMC only).
    public var acceptanceRate: Double?
    /// The seed the draws came from.
    public var seed: UInt64

    /// The mean of each parameter.
    public var mean: [Double] {
        guard let first = draws.first else { return [] }
        var sum = [Double](repeating: 0, count: first.count)
        for row in draws { for j in row.indices { sum[j] += row[j] } }
        return sum.map { $0 / Double(draws.count) }
    }

    /// The sample standard deviation of each parameter.
    public var standardDeviation: [Double] {
        let m = mean
        guard draws.count > 1 else { return m.map { _ in 0 } }
        var sum = [Double](repeating: 0, count: m.count)
        for row in draws { for j in row.indices { sum[j] += (row[j] - m[j]) * (row[j] - m[j]) } }
        return sum.map { ($0 / Double(draws.count - 1)).squareRoot() }
    }

    /// The `p`-quantile (0…1) of each parameter (linear interpolation between order statistics,
    /// Hyndman & Fan 1996 type 7, as R's and NumPy's default).
    public func quantile(_ p: Double) -> [Double] {
        guard let first = draws.first else { return [] }
        return (0..<first.count).map { j in
            let sorted = draws.map { $0[j] }.sorted()
            let h = Double(sorted.count - 1) * min(max(p, 0), 1)
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
    }
}
