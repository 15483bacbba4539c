import RealModule

/// How a measured value scatters around the model's prediction: the residual error model of one
/// observed output.
///
/// With f the prediction and y the measurement (both in the output's unit, e.g. mg/L):
///
/// | model | y | variance V of the Gaussian |
/// |---|---|---|
/// | ``additive(_:)`` | f + ε | a² |
/// | ``proportional(_:)`` | f·(1 + ε) | (b·f)² |
/// | ``combined(additive:proportional:)`` | f + ε₁ + f·ε₂ | a² + (b·f)² |
/// | ``exponential(_:)`` | f·e^ε (log y = log f + ε) | σ² on the log scale |
///
/// The combined model adds the variances (NONMEM's "combined error, method 2"; Proost 2017,
/// J Pharmacokinet Pharmacodyn 44:55–59, compares it with the sum of standard deviations).
/// Standard deviations a and σ are in the output's unit (log units for ``exponential(_:)``),
/// b is a fraction (0.1 = 10 %).
///
/// ```swift
/// let error = ResidualErrorModel.combined(additive: 0.5, proportional: 0.1)   // 0.5 mg/L + 10 %
/// let v = error.variance(prediction: 12)        // 0.25 + 1.44 mg²/L²
/// ```
public enum ResidualErrorModel: Sendable, Hashable, Codable {
    /// Constant standard deviation a (output unit).
    case additive(Double)
    /// Standard deviation b·|f| (b a fraction).
    case proportional(Double)
    /// Variance a² + (b·f)².
    case combined(additive: Double, proportional: Double)
    /// Gaussian on the log scale with standard deviation σ: log y − log f ~ N(0, σ²).
    case exponential(Double)

    /// The standard deviations, in the order named: [a], [b], [a, b] or [σ].
    public var standardDeviations: [Double] {
        switch self {
        case .additive(let a): [a]
        case .proportional(let b): [b]
        case .combined(let a, let b): [a, b]
        case .exponential(let s): [s]
        }
    }

    /// How many standard deviations the model has (1, or 2 for combined), without building an array.
    @inlinable
    public var standardDeviationCount: Int {
        if case .combined = self { return 2 }
        return 1
    }

    /// The model with standard deviation `k` (in the order of ``standardDeviations``) set to `value`.
    @inlinable
    public func replacingStandardDeviation(_ k: Int, with value: Double) -> ResidualErrorModel {
        switch self {
        case .additive: .additive(value)
        case .proportional: .proportional(value)
        case .combined(let a, let b): k == 0 ? .combined(additive: value, proportional: b) : .combined(additive: a, proportional: value)
        case .exponential: .exponential(value)
        }
    }

    /// The names of ``standardDeviations``, for reports ("a", "b", "σ").
    public var parameterNames: [String] {
        switch self {
        case .additive: ["a"]
        case .proportional: ["b"]
        case .combined: ["a", "b"]
        case .exponential: ["σ"]
        }
    }

    /// The same kind of model with other standard deviations (in the order of ``standardDeviations``).
    public func with(standardDeviations s: [Double]) -> ResidualErrorModel {
        switch self {
        case .additive: .additive(s[0])
        case .proportional: .proportional(s[0])
        case .combined: .combined(additive: s[0], proportional: s[1])
        case .exponential: .exponential(s[0])
        }
    }

    /// The short name used in files and on the command line.
    public var kind: String {
        switch self {
        case .additive: "additive"
        case .proportional: "proportional"
        case .combined: "combined"
        case .exponential: "exponential"
        }
    }

    /// True when the likelihood is written for log y and log f.
    public var isLogScale: Bool {
        if case .exponential = self { return true }
        return false
    }

    /// The variance of the measurement at prediction `f` (on the log scale for ``exponential(_:)``).
    @inlinable
    public func variance(prediction f: Double) -> Double {
        switch self {
        case .additive(let a): a * a
        case .proportional(let b): b * b * f * f
        case .combined(let a, let b): a * a + b * b * f * f
        case .exponential(let s): s * s
        }
    }

    /// ∂V/∂f at prediction `f`.
    @inlinable
    public func varianceDerivative(prediction f: Double) -> Double {
        switch self {
        case .additive, .exponential: 0
        case .proportional(let b): 2 * b * b * f
        case .combined(_, let b): 2 * b * b * f
        }
    }

    /// ∂V/∂(log sₖ) for each standard deviation sₖ, at prediction `f`, into `out` (count of
    /// ``standardDeviations``): the derivative the fit uses when it estimates log sₖ.
    @inlinable
    public func varianceLogScaleDerivatives(prediction f: Double, into out: inout [Double]) {
        switch self {
        case .additive(let a): out[0] = 2 * a * a
        case .proportional(let b): out[0] = 2 * b * b * f * f
        case .combined(let a, let b): out[0] = 2 * a * a; out[1] = 2 * b * b * f * f
        case .exponential(let s): out[0] = 2 * s * s
        }
    }

    /// Checks the standard deviations: finite and ≥ 0, and the variance positive at some prediction.
    public func validate() throws(FitError) {
        for s in standardDeviations where !(s.isFinite && s >= 0) {
            throw .invalidErrorModel("\(kind) residual error: standard deviations must be finite and ≥ 0, not \(standardDeviations)")
        }
        switch self {
        case .additive(let a) where a == 0, .exponential(let a) where a == 0, .proportional(let a) where a == 0:
            throw .invalidErrorModel("\(kind) residual error: the standard deviation must be > 0")
        case .combined(let a, let b) where a == 0 && b == 0:
            throw .invalidErrorModel("combined residual error: a and b cannot both be 0")
        default: break
        }
    }
}
