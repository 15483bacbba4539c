/// How a ``TrustRegionMinimizer`` run ended. The exact rules are on ``TrustRegionMinimizer``.
public enum StopReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Actual and predicted relative reductions of f both at most ftol (converged).
    case functionTolerance
    /// A step no longer than xtol·(‖θ‖ + xtol) (converged).
    case stepTolerance
    /// The scaled projected gradient at most gtol (converged; at a bound, the KKT point).
    case gradientTolerance
    /// f reached the objective's known lower bound to rounding: f − b ≤ ε²·(f(start) − b)
    /// (``ScoringObjective/objectiveLowerBound``; a zero-residual least-squares fit) (converged).
    case lowerBoundReached
    /// Double precision allows no further progress: the step does not change θ, or the actual and
    /// predicted relative reductions are both at rounding level (ε), or the damping overflowed.
    /// Counted as converged: the tolerances asked for more than the arithmetic can give.
    case roundingLimit
    /// The iteration budget ran out (not converged).
    case maximumIterations
    /// The evaluation budget ran out (not converged).
    case maximumEvaluations
    /// The start point cannot be evaluated (multi-start only: a single run throws instead).
    case notEvaluable

    /// Whether the reason is a convergence test rather than a budget or failure.
    public var isConvergence: Bool {
        switch self {
        case .functionTolerance, .stepTolerance, .gradientTolerance, .lowerBoundReached, .roundingLimit: return true
        case .maximumIterations, .maximumEvaluations, .notEvaluable: return false
        }
    }
}

/// The outcome of a ``TrustRegionMinimizer`` run: the best point found and the state there.
public struct OptimizationResult: Sendable, Hashable, Codable {
    /// θ̂, the best parameters found (inside the bounds).
    public var parameters: [Double]
    /// f(θ̂).
    public var objective: Double
    /// ∇f(θ̂) (count n).
    public var gradient: [Double]
    /// The objective's curvature at θ̂ (n×n, row-major): 2JᵀJ for least squares.
    public var curvature: [Double]
    /// Trial steps taken (accepted and rejected).
    public var iterations: Int
    /// Objective evaluations, the start's included.
    public var evaluations: Int
    /// ∞-norm of the projected gradient at θ̂ (components at an active bound pushing outward are 0).
    public var gradientNorm: Double
    /// The scaled gradient measure compared with gtol (MINPACK's cosine).
    public var scaledGradient: Double
    /// Indices of parameters on a bound at θ̂.
    public var activeBounds: [Int]
    /// Why the run stopped.
    public var stopReason: StopReason
    /// Whether `stopReason` is a convergence test.
    public var converged: Bool { stopReason.isConvergence }

    /// One line for logs and reports.
    public var summary: String {
        let verdict = converged ? "converged" : "did not converge"
        let bounds = activeBounds.isEmpty ? "" : ", on bounds \(activeBounds)"
        return "\(verdict) (\(stopReason.rawValue)) after \(iterations) iterations, \(evaluations) evaluations: "
            + "f = \(objective), ‖projected ∇f‖∞ = \(gradientNorm)\(bounds)"
    }
}
