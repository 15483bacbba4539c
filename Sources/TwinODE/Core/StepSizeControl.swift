import RealModule

/// A proportional–integral step-size controller (Gustafsson 1991; the form of Hairer's DOPRI5,
/// Hairer, Nørsett and Wanner 1993, §IV.2): after a step with error norm `err`,
/// h_new = h · clamp(safety · err^(−α) · err_prev^β, facMin, facMax), α = 1/(q+1) − 0.75β,
/// where q is the order of the error estimator. β = 0 gives the classical controller.
struct PIController: Sendable {
    let alpha: Double
    let beta: Double
    var safety = 0.9
    var facMin = 0.2
    var facMax = 10.0
    /// The previous accepted step's error (floored at 1e-4).
    var previousError = 1e-4

    init(estimatorOrder q: Int, beta: Double) {
        self.beta = beta
        self.alpha = 1 / Double(q + 1) - 0.75 * beta
    }

    /// The factor to multiply h by after an accepted step; records the error.
    mutating func acceptedFactor(_ err: Double, afterRejection: Bool) -> Double {
        let e = max(err, 1e-10)
        var factor = safety * Double.pow(e, -alpha) * Double.pow(previousError, beta)
        factor = min(facMax, max(facMin, factor))
        if afterRejection { factor = min(factor, 1) }
        previousError = max(err, 1e-4)
        return factor
    }

    /// The factor to multiply h by after a rejected step (< 1).
    func rejectedFactor(_ err: Double) -> Double {
        guard err.isFinite else { return facMin }
        return min(1, max(facMin, safety * Double.pow(err, -alpha)))
    }
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
    let n = context.n
    let floor = context.stepFloor
    let fallback = 1e-6 * floor.spanLength
    let d0 = context.norm(y0, scaleBy: y0)
    let d1 = context.norm(f0, scaleBy: y0)
    var h0 = (d0 < 1e-5 || d1 < 1e-5) ? fallback : 0.01 * d0 / d1
    h0 = min(max(h0, floor.initialLowerBound), maxStep)
    for i in 0..<n { scratchY[i] = y0[i] + h0 * f0[i] }
    guard context.f(t0 + h0, scratchY, scratchF) == nil else { return min(max(h0 * 1e-3, floor.initialLowerBound), maxStep) }
    for i in 0..<n { scratchF[i] = (scratchF[i] - f0[i]) / h0 }
    let d2 = context.norm(scratchF, scaleBy: y0)
    let m = max(d1, d2)
    let h1 = m <= 1e-15 ? max(fallback, h0 * 1e-3) : Double.pow(0.01 / m, 1 / Double(order + 1))
    return min(max(min(100 * h0, h1), floor.initialLowerBound), maxStep)
}
