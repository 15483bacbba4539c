/// What ``TrustRegionMinimizer`` needs at a parameter vector θ: the objective f(θ), its gradient
/// ∇f and a positive-semidefinite curvature matrix — a Gauss–Newton 2·JᵀJ, an expected Fisher
/// information, or any other PSD model of the Hessian (not necessarily the exact Hessian).
///
/// The local model the minimiser trusts is f(θ + s) ≈ f + gᵀs + ½·sᵀHs, so `curvature` must be
/// on the scale of the Hessian of `f` itself (for f = −2 log L that is 2 × the Fisher information).
///
/// ```swift
/// struct Quadratic: ScoringObjective {
///     var parameterCount: Int { 1 }
///     mutating func evaluate(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double? {
///         gradient[0] = 2 * (theta[0] - 3); curvature[0] = 2
///         return (theta[0] - 3) * (theta[0] - 3)
///     }
/// }
/// ```
public protocol ScoringObjective {
    /// n, the number of parameters.
    var parameterCount: Int { get }
    /// Writes ∇f into `gradient` (count n) and the curvature into `curvature` (n×n, row-major,
    /// symmetric) and returns f, or returns nil when θ cannot be evaluated (solver failure,
    /// non-finite result): the minimiser then rejects the step and shrinks the trust region.
    ///
    /// The arrays arrive with the right counts; write into them, do not replace them (replacing
    /// them allocates). Their contents on a nil return are ignored.
    mutating func evaluate(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double?
    /// A value f can never go below (0 for a sum of squares), or nil (the default) when there is
    /// none. With a bound b the run stops (``StopReason/lowerBoundReached``) once
    /// f − b ≤ ε²·(f(start) − b): a zero-residual fit has then reached rounding level.
    var objectiveLowerBound: Double? { get }
}

extension ScoringObjective {
    /// No known lower bound.
    public var objectiveLowerBound: Double? { nil }
}

/// A vector of residuals r(θ) (count m) and its Jacobian J = ∂r/∂θ (m×n): the input of a
/// least-squares fit, wrapped by ``LeastSquaresObjective``.
///
/// ```swift
/// struct Line: ResidualFunction {          // r_i = a + b·x_i − y_i
///     let x: [Double], y: [Double]
///     var parameterCount: Int { 2 }
///     var residualCount: Int { x.count }
///     mutating func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool {
///         for i in x.indices {
///             residuals[i] = theta[0] + theta[1] * x[i] - y[i]
///             jacobian[2 * i] = 1; jacobian[2 * i + 1] = x[i]
///         }
///         return true
///     }
/// }
/// ```
public protocol ResidualFunction {
    /// n, the number of parameters.
    var parameterCount: Int { get }
    /// m, the number of residuals.
    var residualCount: Int { get }
    /// Writes the residuals (count m) and the Jacobian (m×n, row-major: row i is ∂rᵢ/∂θ) and
    /// returns true, or returns false when θ cannot be evaluated.
    mutating func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool
}

/// The least-squares objective f = Σ rᵢ² of a ``ResidualFunction``, with ∇f = 2Jᵀr and the
/// Gauss–Newton curvature 2JᵀJ. Holds its residual and Jacobian buffers, so evaluating allocates
/// nothing.
///
/// ```swift
/// var objective = LeastSquaresObjective(Line(x: [0, 1, 2], y: [1, 3, 5]))
/// let fit = try TrustRegionMinimizer().minimize(&objective, from: [0, 0])   // θ ≈ [1, 2]
/// ```
public struct LeastSquaresObjective<R: ResidualFunction>: ScoringObjective {
    /// The wrapped residual function.
    public var residualFunction: R
    /// r at the last evaluated θ (count m).
    public private(set) var residuals: [Double]
    /// J at the last evaluated θ (m×n, row-major).
    public private(set) var jacobian: [Double]

    /// Wraps `residualFunction`; the same as ``init(_:)``.
    public init(residualFunction: R) {
        self.init(residualFunction)
    }

    /// Wraps `residualFunction`, allocating its m and m×n buffers once.
    public init(_ residualFunction: R) {
        self.residualFunction = residualFunction
        let m = Swift.max(0, residualFunction.residualCount), n = Swift.max(0, residualFunction.parameterCount)
        residuals = [Double](repeating: 0, count: m)
        jacobian = [Double](repeating: 0, count: m * n)
    }

    public var parameterCount: Int { residualFunction.parameterCount }

    /// 0: a sum of squares is never negative.
    public var objectiveLowerBound: Double? { 0 }

    /// f = Σ rᵢ², ∇f = 2Jᵀr, curvature 2JᵀJ; nil when the residual function fails or any of
    /// them is not finite.
    public mutating func evaluate(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double? {
        let n = residualFunction.parameterCount, m = residualFunction.residualCount
        if residuals.count != m || jacobian.count != m * n {      // counts changed: resize once
            residuals = [Double](repeating: 0, count: m)
            jacobian = [Double](repeating: 0, count: m * n)
        }
        guard residualFunction.evaluate(theta, residuals: &residuals, jacobian: &jacobian) else { return nil }
        var f = 0.0
        for k in 0..<n * n { curvature[k] = 0 }
        for j in 0..<n { gradient[j] = 0 }
        for i in 0..<m {
            let r = residuals[i]
            f += r * r
            let row = i * n
            for j in 0..<n {
                let jij = jacobian[row + j]
                gradient[j] += 2 * jij * r
                for k in 0...j { curvature[j * n + k] += 2 * jij * jacobian[row + k] }
            }
        }
        for j in 0..<n { for k in 0..<j { curvature[k * n + j] = curvature[j * n + k] } }
        guard f.isFinite else { return nil }
        for j in 0..<n where !gradient[j].isFinite { return nil }
        for k in 0..<n * n where !curvature[k].isFinite { return nil }
        return f
    }
}

extension LeastSquaresObjective: Sendable where R: Sendable {}
