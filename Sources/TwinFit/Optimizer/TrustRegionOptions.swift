/// Settings of ``TrustRegionMinimizer``: stopping tolerances, budgets, bounds and the initial
/// damping. The stopping rules are stated exactly on ``TrustRegionMinimizer``.
///
/// The defaults (1e-8) match SciPy's `least_squares`; a fit that must reach the exact optimum may
/// use 1e-15 for all three tolerances — the run still ends cleanly, with
/// ``StopReason/roundingLimit`` when double precision allows no further progress.
///
/// ```swift
/// var options = TrustRegionOptions(functionTolerance: 1e-15, stepTolerance: 1e-15, gradientTolerance: 1e-15)
/// options.lower = [-10, 0]            // bounds in the parameters' own units; ±∞ allowed
/// options.upper = [10, .infinity]
/// try options.validate()
/// ```
public struct TrustRegionOptions: Sendable, Hashable, Codable {
    /// ftol: stop when both the actual and the predicted relative reduction of f in a step are at
    /// most this (MINPACK's rule). In [0, 1). It bounds the relative error of f; since f is
    /// quadratic near the minimum, θ is then accurate only to about √ftol (relative to its scale),
    /// so for the exact optimum use 0 with xtol = gtol = 1e-15.
    public var functionTolerance: Double
    /// xtol: stop when a step s satisfies ‖s‖₂ ≤ xtol·(‖θ‖₂ + xtol). In [0, 1).
    public var stepTolerance: Double
    /// gtol: stop when the scaled projected gradient (MINPACK's cosine, see
    /// ``TrustRegionMinimizer``) is at most this. In [0, 1).
    public var gradientTolerance: Double
    /// The most trial steps (accepted or rejected); at least 1.
    public var maximumIterations: Int
    /// The most objective evaluations, the start's included; at least 1.
    public var maximumEvaluations: Int
    /// Lower bounds (count n, −∞ allowed), or nil for none.
    public var lower: [Double]?
    /// Upper bounds (count n, +∞ allowed), or nil for none.
    public var upper: [Double]?
    /// τ: the first damping μ₀, relative to the scaling D (Madsen, Nielsen & Tingleff 2004 use
    /// τ = 1e-3 for a good start, up to 1 for a poor one). Positive and finite.
    public var initialDamping: Double
    /// The relative tests divide by max(|f|, this). 0 (default) suits least squares, f ≥ 0; for an
    /// objective such as −2 log L that may pass through 0, use 1 (one unit of −2 log L).
    public var objectiveScaleFloor: Double

    /// Options with SciPy-like defaults: tolerances 1e-8, 200 iterations, 400 evaluations, no bounds.
    public init(functionTolerance: Double = 1e-8, stepTolerance: Double = 1e-8, gradientTolerance: Double = 1e-8,
                maximumIterations: Int = 200, maximumEvaluations: Int = 400,
                lower: [Double]? = nil, upper: [Double]? = nil,
                initialDamping: Double = 1e-3, objectiveScaleFloor: Double = 0) {
        self.functionTolerance = functionTolerance
        self.stepTolerance = stepTolerance
        self.gradientTolerance = gradientTolerance
        self.maximumIterations = maximumIterations
        self.maximumEvaluations = maximumEvaluations
        self.lower = lower
        self.upper = upper
        self.initialDamping = initialDamping
        self.objectiveScaleFloor = objectiveScaleFloor
    }

    /// Checks every option on its own (not the bounds' count, which needs n).
    ///
    /// - Throws: ``OptimizerError/invalidOption(name:value:requirement:)`` naming the first bad option.
    public func validate() throws(OptimizerError) {
        if !(functionTolerance >= 0 && functionTolerance < 1) {
            throw .invalidOption(name: "functionTolerance", value: "\(functionTolerance)", requirement: "in [0, 1)")
        }
        if !(stepTolerance >= 0 && stepTolerance < 1) {
            throw .invalidOption(name: "stepTolerance", value: "\(stepTolerance)", requirement: "in [0, 1)")
        }
        if !(gradientTolerance >= 0 && gradientTolerance < 1) {
            throw .invalidOption(name: "gradientTolerance", value: "\(gradientTolerance)", requirement: "in [0, 1)")
        }
        if maximumIterations < 1 {
            throw .invalidOption(name: "maximumIterations", value: "\(maximumIterations)", requirement: "at least 1")
        }
        if maximumEvaluations < 1 {
            throw .invalidOption(name: "maximumEvaluations", value: "\(maximumEvaluations)", requirement: "at least 1")
        }
        if !(initialDamping > 0 && initialDamping.isFinite) {
            throw .invalidOption(name: "initialDamping", value: "\(initialDamping)", requirement: "positive and finite")
        }
        if !(objectiveScaleFloor >= 0 && objectiveScaleFloor.isFinite) {
            throw .invalidOption(name: "objectiveScaleFloor", value: "\(objectiveScaleFloor)", requirement: "non-negative and finite")
        }
        if let lower {
            for j in lower.indices where lower[j].isNaN || lower[j] == .infinity {
                throw .invalidOption(name: "lower[\(j)]", value: "\(lower[j])", requirement: "a number below +∞ (−∞ for no bound)")
            }
        }
        if let upper {
            for j in upper.indices where upper[j].isNaN || upper[j] == -.infinity {
                throw .invalidOption(name: "upper[\(j)]", value: "\(upper[j])", requirement: "a number above −∞ (+∞ for no bound)")
            }
        }
        if let lower, let upper, lower.count == upper.count {
            for j in lower.indices where lower[j] > upper[j] {
                throw .invalidOption(name: "lower[\(j)]", value: "\(lower[j])", requirement: "at most upper[\(j)] = \(upper[j])")
            }
        }
    }

    /// ``validate()`` plus the bounds' counts against `n`.
    func validate(parameterCount n: Int) throws(OptimizerError) {
        try validate()
        if let lower, lower.count != n { throw .dimensionMismatch(what: "lower bounds", expected: n, found: lower.count) }
        if let upper, upper.count != n { throw .dimensionMismatch(what: "upper bounds", expected: n, found: upper.count) }
    }
}
