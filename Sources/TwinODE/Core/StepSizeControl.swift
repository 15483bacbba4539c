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

/// Hairer's initial step size (Hairer, Nørsett and Wanner 1993, §II.4, algorithm "HINIT"):
/// from ‖y₀‖, ‖f₀‖ and a finite-difference estimate of ‖y″‖, the step whose local error of
/// order `order` would be about the tolerance. Costs one right-hand-side evaluation.
func hairerInitialStep<System: ODESystem>(_ context: SolverContext<System>, order: Int, t0: Double, y0: UnsafePointer<Double>,
                                          f0: UnsafePointer<Double>, scratchY: UnsafeMutablePointer<Double>,
                                          scratchF: UnsafeMutablePointer<Double>, maxStep: Double) -> Double {
    let n = context.n
    let d0 = context.norm(y0, scaleBy: y0)
    let d1 = context.norm(f0, scaleBy: y0)
    var h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1
    h0 = min(h0, maxStep)
    for i in 0..<n { scratchY[i] = y0[i] + h0 * f0[i] }
    guard context.f(t0 + h0, scratchY, scratchF) == nil else { return min(h0, maxStep) * 1e-3 }
    for i in 0..<n { scratchF[i] = (scratchF[i] - f0[i]) / h0 }
    let d2 = context.norm(scratchF, scaleBy: y0)
    let m = max(d1, d2)
    let h1 = m <= 1e-15 ? max(1e-6, h0 * 1e-3) : Double.pow(0.01 / m, 1 / Double(order + 1))
    return min(100 * h0, h1, maxStep)
}
