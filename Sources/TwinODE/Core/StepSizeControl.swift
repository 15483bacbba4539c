import RealModule

/// The step-size controller's settings for one method: the one set both executors read — the
/// single-trajectory steppers (``PIController``, `ODEProblem.solve`) and the ensemble's lane
/// driver (TwinEnsemble's `LaneDriver`, which evaluates the same formula on whole SIMD vectors).
///
/// After a step whose error norm (see ``WeightedErrorNorm``) is `err`:
///
/// ```
/// accepted:  h_new = h · clamp(safety · max(err, errorFloor)^(−α) · err_prev^β, minimumFactor, maximumFactor)
///            (at most h after a rejection); err_prev = max(err, minimumPreviousError)
/// rejected:  h_new = h · clamp(safety · err^(−α), minimumFactor, 1)   (minimumFactor when err is not finite)
/// α = 1/(q+1) − 0.75β,  q = estimatorOrder
/// ```
///
/// A proportional–integral controller (Gustafsson 1991) in the form of Hairer's DOPRI5 (Hairer,
/// Nørsett and Wanner 1993, §IV.2); β = 0 gives the classical (integral) controller.
package struct StepControlParameters: Sendable, Equatable {
    /// The order q of the error estimator: the estimate behaves as h^(q+1).
    package let estimatorOrder: Int
    /// The integral (memory) exponent β.
    package let beta: Double
    /// The safety factor applied to every new step (every method). Across modules a release build
    /// does not inline these `package` getters (each read was a call in the lane driver's stepping
    /// loop, 4–5 % of the pk and bergman ensembles), so TwinEnsemble's `LaneDriver` copies them once
    /// into its `LaneControlConstants` before the loop.
    @inlinable package static var safety: Double { 0.9 }
    /// The smallest factor a step may change by (every method).
    @inlinable package static var minimumFactor: Double { 0.2 }
    /// The largest factor a step may grow by.
    package let maximumFactor: Double
    /// The error below which the growth no longer increases (every method).
    @inlinable package static var errorFloor: Double { 1e-10 }
    /// The least previous error the β term remembers (every method).
    @inlinable package static var minimumPreviousError: Double { 1e-4 }
    // Lane forms of the same two constants: the lane driver keeps squared norms and base-2
    // logarithms. Literals, because 1e-10·1e-10 and a run-time log₂ could differ in the last bit.
    /// errorFloor² = 1e-20, the floor of a squared error norm.
    @inlinable package static var squaredErrorFloor: Double { 1e-20 }
    /// log₂ minimumPreviousError = log₂ 1e-4.
    @inlinable package static var log2MinimumPreviousError: Double { -13.287712379549449 }
    /// The step factor after a recoverable right-hand-side failure (every method, both executors).
    @inlinable package static var recoverableFailureShrink: Double { 0.25 }
    /// The step factor after a singular iteration matrix (Rosenbrock, both executors).
    @inlinable package static var singularMatrixShrink: Double { 0.5 }

    package init(estimatorOrder: Int, beta: Double, maximumFactor: Double = 10) {
        self.estimatorOrder = estimatorOrder
        self.beta = beta
        self.maximumFactor = maximumFactor
    }

    /// α = 1/(q+1) − 0.75β, the exponent of the current error.
    package var alpha: Double { 1 / Double(estimatorOrder + 1) - 0.75 * beta }

    /// The explicit 5(4) pairs (DP5, Tsit5): q = 4, β = 0.04 (DOPRI5's), growth ≤ 10.
    package static let explicitPair = StepControlParameters(estimatorOrder: 4, beta: 0.04)
    /// Rodas4: q = 3, no memory term, growth ≤ 6 (the RODAS code's bounds).
    package static let rodas4 = StepControlParameters(estimatorOrder: 3, beta: 0, maximumFactor: 6)
    /// BDF: its own order-aware rule, with these safety and bounds (q is the order in use).
    package static let bdf = StepControlParameters(estimatorOrder: 1, beta: 0)
}

/// A proportional–integral step-size controller reading ``StepControlParameters`` (the formula
/// is documented there), with the previous accepted step's error as its state.
struct PIController: Sendable {
    let parameters: StepControlParameters
    let alpha: Double
    let beta: Double
    /// The previous accepted step's error (floored at ``StepControlParameters/minimumPreviousError``).
    var previousError: Double

    init(_ parameters: StepControlParameters) {
        self.parameters = parameters
        self.beta = parameters.beta
        self.alpha = parameters.alpha
        self.previousError = StepControlParameters.minimumPreviousError
    }

    /// The factor to multiply h by after an accepted step; records the error.
    mutating func acceptedFactor(_ err: Double, afterRejection: Bool) -> Double {
        let e = max(err, StepControlParameters.errorFloor)
        var factor = StepControlParameters.safety * Double.pow(e, -alpha) * Double.pow(previousError, beta)
        factor = min(parameters.maximumFactor, max(StepControlParameters.minimumFactor, factor))
        if afterRejection { factor = min(factor, 1) }
        previousError = max(err, StepControlParameters.minimumPreviousError)
        return factor
    }

    /// The factor to multiply h by after a rejected step (< 1).
    func rejectedFactor(_ err: Double) -> Double {
        guard err.isFinite else { return StepControlParameters.minimumFactor }
        return min(1, max(StepControlParameters.minimumFactor, StepControlParameters.safety * Double.pow(err, -alpha)))
    }
}

/// The error norm of every step-size decision, in both executors, defined once here:
///
/// ```
/// ‖e‖ = √( (1/n) · Σᵢ ( eᵢ / wᵢ )² ),   wᵢ = atolᵢ + rtol · max(|aᵢ|, |bᵢ|)
/// ```
///
/// with a, b the states at the two ends of the step (for a norm of a state-like vector at one
/// point, a = b = y). A step is accepted when ‖e‖ ≤ 1 (Hairer, Nørsett and Wanner 1993, §II.4).
/// The scalar solvers use ``weight(absolute:relative:_:_:)`` and ``norm(squaredSum:count:)``; the
/// lane kernels (`LaneStages`, TwinEnsemble's `LaneState.errorNorm`) evaluate the same weight on
/// SIMD vectors and keep the squared norm (‖e‖² ≤ 1 ⇔ ‖e‖ ≤ 1) to save the root.
package enum WeightedErrorNorm {
    /// wᵢ = atolᵢ + rtol·max(|a|, |b|).
    @inlinable @inline(__always)
    package static func weight(absolute atol: Double, relative rtol: Double, _ a: Double, _ b: Double) -> Double {
        atol + rtol * max(abs(a), abs(b))
    }

    /// √(Σ/n) from the sum of squared weighted components (n ≥ 1 assumed; 0 states give 0).
    @inlinable @inline(__always)
    package static func norm(squaredSum: Double, count n: Int) -> Double {
        (squaredSum / Double(max(n, 1))).squareRoot()
    }
}

/// The constants of Hairer's initial-step estimate (``hairerInitialStep(_:order:t0:y0:f0:scratchY:scratchF:maxStep:)``),
/// read by the scalar routine and by the ensemble's vectorised instance of it.
///
/// ```
/// d₀ = ‖y₀‖, d₁ = ‖f₀‖, d₂ = ‖(f(t₀+h₀, y₀+h₀f₀) − f₀)/h₀‖          (WeightedErrorNorm at y₀)
/// h₀ = 0.01·d₀/d₁, or 10⁻⁶·S when d₀ or d₁ < 10⁻⁵; then clamp to [100ε·max(|t₀|,|t_end|), maxStep]
/// h₁ = (0.01/max(d₁, d₂))^(1/(q+1)), or max(10⁻⁶·S, 10⁻³·h₀) when max(d₁, d₂) ≤ 10⁻¹⁵
/// h  = clamp(min(100·h₀, h₁), least first step, maxStep);  10⁻³·h₀ when f fails at the probe
/// ```
package enum InitialStepRule {
    /// The 0.01 of h₀ = 0.01·d₀/d₁ and of h₁.
    @inlinable package static var fraction: Double { 0.01 }
    /// log₂ 0.01, for the lane form.
    @inlinable package static var log2Fraction: Double { -6.643856189774724 }
    /// Norms below this use the fallback step.
    @inlinable package static var smallNorm: Double { 1e-5 }
    /// smallNorm² (the lanes compare squared norms); 1e-10, not the product 1e-5·1e-5, which rounds differently.
    @inlinable package static var squaredSmallNorm: Double { 1e-10 }
    /// No curvature: max(d₁, d₂) at or below this.
    @inlinable package static var noCurvature: Double { 1e-15 }
    /// noCurvature² = 1e-30 (exact as a product).
    @inlinable package static var squaredNoCurvature: Double { 1e-30 }
    /// The fallback step as a fraction of the span S.
    @inlinable package static var fallbackSpanFraction: Double { 1e-6 }
    /// h ≤ growthLimit·h₀.
    @inlinable package static var growthLimit: Double { 100.0 }
    /// h₀·shrink is the step when f fails at the probe point, or the lower bound of h₁'s fallback.
    @inlinable package static var shrink: Double { 1e-3 }
}

/// The smallest step a solver may take, and the smallest first step it starts with, both
/// relative to the problem's time axis: its span S = |t_end − t₀| and the current time t.
///
/// ```
/// h_min(t)  = 4ε · max(|t|, ε·S)            a step at or below it ends the solve (stepSizeTooSmall)
/// h_start   = 100ε · max(|t₀|, |t_end|)      the initial-step estimate is raised to at least this
/// ```
///
/// Why these: a step must move t by a few ulps of t, or t + h rounds back to (nearly) t and the
/// method's stage times c·h are lost to rounding — hence 4ε·|t|, the test of Hairer's codes
/// (RADAU5, RODAS: 0.1·|h| ≤ ε·|x|). At t near 0 floating point resolves any positive step, so
/// there the floor only has to stop a step that keeps shrinking (a model that cannot be evaluated
/// past t₀, a singularity at the start); ε·S is a time scale of the problem itself, so the floor
/// is unchanged by the choice of time unit (hours or seconds; an absolute 1, as before, is not),
/// and 4ε·ε·S — 2e-20 on Robertson's [0, 10¹¹] — lies far below any step a solve takes on purpose
/// (Robertson with atol down to 1e-28 starts with 2.5e-17), yet a step shrinking by ¼ per try from
/// S reaches it in at most log₄(1/(4ε²)) ≈ 52 tries. Away from 0, |t| ≥ ε·S for all but the first
/// ulps of the span, so the floor is the classical 4 ulps of t.
///
/// The lower bound on the first step is SUNDIALS CVODE's (Hindmarsh et al. 2005, `cvHin`: HLB =
/// 100·uround·max(|t₀|, |t_out|)): a first step that small is still 25/ε ≈ 10¹⁷ times above the floor,
/// so the controller can shrink it as far as the problem needs.
///
/// References: E. Hairer and G. Wanner, Solving Ordinary Differential Equations II, 2nd ed.,
/// Springer 1996 (codes RADAU5, RODAS); A. C. Hindmarsh et al., SUNDIALS: Suite of nonlinear and
/// differential/algebraic equation solvers, ACM TOMS 31 (2005) 363–396.
public struct StepSizeFloor: Sendable, Equatable {
    /// ε·S, the time scale below which |t| no longer sets the floor (model time units).
    public let spanScale: Double
    /// The least first step, 100ε·max(|t₀|, |t_end|) (model time units).
    public let initialLowerBound: Double
    /// The span length S = |t_end − t₀| (model time units).
    public let spanLength: Double

    /// The floor for a solve over [start, end] (model time units).
    public init(start: Double, end: Double) {
        spanLength = abs(end - start)
        spanScale = Double.ulpOfOne * spanLength
        initialLowerBound = 100 * Double.ulpOfOne * max(abs(start), abs(end))
    }

    /// h_min(t) = 4ε·max(|t|, ε·S): a step at or below it cannot be taken at time t.
    @inlinable public func minimum(at t: Double) -> Double {
        4 * Double.ulpOfOne * max(abs(t), spanScale)
    }
}

/// Hairer's initial step size (Hairer, Nørsett and Wanner 1993, §II.4, algorithm "HINIT"):
/// from ‖y₀‖, ‖f₀‖ and a finite-difference estimate of ‖y″‖, the step whose local error of
/// order `order` would be about the tolerance. Costs one right-hand-side evaluation.
///
/// Two changes make it independent of the time unit and safe with tiny per-component tolerances:
/// where Hairer's code falls back to an absolute 10⁻⁶ (a norm below 10⁻⁵, or no curvature) this
/// takes 10⁻⁶·S of the span S, and the result is raised to at least the floor's
/// ``StepSizeFloor/initialLowerBound`` (CVODE's lower bound), never above `maxStep`.
func hairerInitialStep<System: ODESystem>(_ context: SolverContext<System>, order: Int, t0: Double, y0: UnsafePointer<Double>,
                                          f0: UnsafePointer<Double>, scratchY: UnsafeMutablePointer<Double>,
                                          scratchF: UnsafeMutablePointer<Double>, maxStep: Double) -> Double {
    typealias R = InitialStepRule
    let n = context.n
    let floor = context.stepFloor
    let fallback = R.fallbackSpanFraction * floor.spanLength
    let d0 = context.norm(y0, scaleBy: y0)
    let d1 = context.norm(f0, scaleBy: y0)
    var h0 = (d0 < R.smallNorm || d1 < R.smallNorm) ? fallback : R.fraction * d0 / d1
    h0 = min(max(h0, floor.initialLowerBound), maxStep)
    for i in 0..<n { scratchY[i] = y0[i] + h0 * f0[i] }
    guard context.f(t0 + h0, scratchY, scratchF) == nil else { return min(max(h0 * R.shrink, floor.initialLowerBound), maxStep) }
    for i in 0..<n { scratchF[i] = (scratchF[i] - f0[i]) / h0 }
    let d2 = context.norm(scratchF, scaleBy: y0)
    let m = max(d1, d2)
    let h1 = m <= R.noCurvature ? max(fallback, h0 * R.shrink) : Double.pow(R.fraction / m, 1 / Double(order + 1))
    return min(max(min(R.growthLimit * h0, h1), floor.initialLowerBound), maxStep)
}
