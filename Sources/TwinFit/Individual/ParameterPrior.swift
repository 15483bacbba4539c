import TwinLinearAlgebra

/// A Gaussian prior on the transformed scale of the estimated parameters: the population
/// model's typical values and between-subject covariance Ω, as Bayesian individualisation
/// (maximum a posteriori, NONMEM's POSTHOC step) uses it.
///
/// For a parameter with a log transform, η = log x − log θ is the familiar exponential random
/// effect, x = θ·e^η. Parameters estimated without a random effect get a flat prior (a zero row
/// and column in the precision).
///
/// ```swift
/// // CL and V with 30 % and 20 % between-subject variability (ω² on the log scale)
/// let prior = try ParameterPrior(typical: [4.5, 58], omega: [0.09, 0, 0, 0.04])
/// ```
public struct ParameterPrior: Sendable, Hashable, Codable {
    /// Typical values θ on the natural scale (L/h, L …), one per estimated model parameter.
    public let typical: [Double]
    /// Ω, the covariance of η (row-major k × k); zero rows and columns for parameters without a
    /// random effect.
    public let omega: [Double]
    /// Ω⁻¹ on the parameters that have a random effect (zeros elsewhere), row-major k × k.
    public let precision: [Double]

    /// A prior with typical values `typical` and covariance `omega` (k × k row-major, symmetric
    /// positive definite on the parameters with a nonzero diagonal).
    ///
    /// - Throws: ``FitError/invalidPrior(_:)`` for a size mismatch, a non-finite entry, an
    ///   asymmetric or not positive definite Ω.
    public init(typical: [Double], omega: [Double]) throws(FitError) {
        let k = typical.count
        guard omega.count == k * k else { throw .invalidPrior("Ω has \(omega.count) entries; \(k) parameters need \(k * k)") }
        guard omega.allSatisfy(\.isFinite), typical.allSatisfy(\.isFinite) else { throw .invalidPrior("typical values and Ω must be finite") }
        for i in 0..<k {
            for j in 0..<i where abs(omega[i * k + j] - omega[j * k + i]) > 1e-12 * max(abs(omega[i * k + j]), 1) {
                throw .invalidPrior("Ω is not symmetric at (\(i + 1), \(j + 1))")
            }
        }
        let active = (0..<k).filter { omega[$0 * k + $0] != 0 }
        for i in 0..<k where !active.contains(i) {
            for j in 0..<k where omega[i * k + j] != 0 {
                throw .invalidPrior("row \(i + 1) of Ω has a zero variance but a nonzero covariance")
            }
        }
        var precision = [Double](repeating: 0, count: k * k)
        if !active.isEmpty {
            let block = Matrix<Double>(rows: active.count, columns: active.count) { a, b in omega[active[a] * k + active[b]] }
            guard let inverse = try? CholeskyFactorization(block).inverse() else {
                throw .invalidPrior("Ω is not positive definite (or is singular to working precision) on the parameters with random effects")
            }
            for (a, i) in active.enumerated() {
                for (b, j) in active.enumerated() { precision[i * k + j] = inverse[a, b] }
            }
        }
        self.typical = typical
        self.omega = omega
        self.precision = precision
    }
}
