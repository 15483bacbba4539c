/// A bounded Levenberg–Marquardt / Fisher-scoring minimiser for small problems (n ≤ ~30): per-patient
/// least squares, −2 log-likelihood and MAP objectives.
///
/// **Step.** At θ with f, gradient g and PSD curvature H (``ScoringObjective``), solve
/// (H_FF + μ·D_FF)·δ_F = −g_F by Cholesky on the free set F (below), δ = 0 elsewhere. D is Moré's
/// scaling (Moré 1978, "The Levenberg–Marquardt algorithm: implementation and theory", Lecture
/// Notes in Mathematics 630, pp. 105–116): D_jj = the running maximum over iterations of H_jj (1 while H_jj
/// has been 0), which makes the iteration invariant to rescaling the parameters.
///
/// **Damping.** μ₀ = τ (``TrustRegionOptions/initialDamping``), never below ε (a smaller μ·D is
/// lost in the rounding of H and only makes the factorisation fail). The gain ratio ρ = (f − f(θ+s)) /
/// (predicted reduction) decides: ρ > 0 accepts the step and sets μ ← μ·max(1/3, 1 − (2ρ − 1)³),
/// ν ← 2. When the predicted change is within 64ε of |f| and the actual one within 4096ε (rounding
/// noise of f, which residuals that cancel against their data can raise well above ε, so the sign
/// of ρ means nothing) the step is accepted instead if it lowers the scaled projected gradient
/// Σ p_j²/D_jj, and μ ← μ/3; this is what lets ftol = 0 reach the optimum to rounding rather than
/// to √ε. Otherwise (or when f(θ+s) is nil/non-finite, or the damped matrix is not positive
/// definite) the step is rejected, μ ← μ·ν, ν ← 2ν (Nielsen 1999, "Damping parameter in Marquardt's method", IMM, DTU; Madsen, Nielsen & Tingleff 2004,
/// "Methods for non-linear least squares problems", §3.2). The predicted reduction is that of the
/// model f + gᵀs + ½sᵀHs: ½(μ·sᵀDs − gᵀs) for an unclipped step (exact for the solved system,
/// free of cancellation), −gᵀs − ½sᵀHs for a clipped one; a step whose model predicts no decrease
/// is rejected without evaluating.
///
/// **Bounds** (projected Levenberg–Marquardt; Kanzow, Yamashita & Fukushima 2004, "Levenberg–
/// Marquardt methods with strong local convergence properties for solving nonlinear equations with
/// convex constraints", J. Comput. Appl. Math. 172:375–397). The start is projected into the box.
/// A parameter on its bound whose gradient pushes outward (θ_j = l_j with g_j > 0, or θ_j = u_j with
/// g_j < 0) is frozen for the iteration; the others are free. The trial point is the projection
/// P(θ + δ) onto the box and s = P(θ + δ) − θ. As μ grows, s turns into a projected scaled-gradient
/// step, so a decrease is always found away from a KKT point.
///
/// **Stopping rules**, in the order tested (scale σ = max(|f|, ``TrustRegionOptions/objectiveScaleFloor``)):
/// 1. gradient: γ = max over free j of |g_j| / √(2·H_jj·σ) ≤ gtol (0/0 counts as 0). For least
///    squares this is MINPACK's cosine max_j |J_jᵀr| / (‖J_j‖·‖r‖); frozen parameters are excluded,
///    so at a bound this is the KKT test;
/// 2. lower bound: f − b ≤ ε²·(f(start) − b) when the objective declares a lower bound b
///    (0 for least squares): a zero-residual minimum reached to rounding. Needed because near a
///    singular zero-residual minimum (MGH's Powell singular function) convergence is only linear
///    and no relative test fires, while forming H = 2JᵀJ loses the weak directions below √ε;
/// 3. budgets: iterations (trial steps, accepted or not) and evaluations;
/// 4. step: a trial point equal to θ in floating point gives ``StopReason/roundingLimit``;
///    ‖s‖₂ ≤ xtol·(‖θ‖₂ + xtol) (the step criterion of Madsen, Nielsen & Tingleff 2004, §3.2) stops, tested on
///    every computed step before evaluating it;
/// 5. function: |f − f(θ+s)|/σ ≤ ftol, predicted/σ ≤ ftol and ρ ≤ 2 (MINPACK `lmder`, info 1; the
///    step is kept when accepted); a rejected step in the noise band above (predicted change
///    ≤ 64ε·σ, actual ≤ 4096ε·σ: even an exact step could not lower f beyond rounding, and it did
///    not lower the gradient either) gives ``StopReason/roundingLimit`` (cf. MINPACK's info 6, "no
///    further reduction possible"), as does μ overflowing. A larger actual change with a tiny
///    prediction is a real model error: the step is shrunk instead.
/// With every tolerance at 1e-15 the run thus ends on a stated reason even when rounding stalls it.
///
/// Deterministic; each run allocates its workspace once (O(n²)) and nothing per iteration.
///
/// ```swift
/// var objective = LeastSquaresObjective(myResiduals)
/// let minimizer = TrustRegionMinimizer(options: TrustRegionOptions(lower: [0, 0], upper: [10, 10]))
/// let fit = try minimizer.minimize(&objective, from: [1, 1])
/// print(fit.summary)          // "converged (functionTolerance) after 9 iterations, …"
/// ```
public struct TrustRegionMinimizer: Sendable, Hashable {
    /// The tolerances, budgets and bounds used by every run.
    public var options: TrustRegionOptions

    public init(options: TrustRegionOptions = TrustRegionOptions()) {
        self.options = options
    }

    /// Minimises `objective` from `start` (projected into the bounds).
    ///
    /// - Throws: ``OptimizerError`` for invalid options, a start of the wrong length or not finite,
    ///   or a start where the objective cannot be evaluated. Once started a run always returns.
    public func minimize<O: ScoringObjective>(_ objective: inout O, from start: [Double]) throws(OptimizerError) -> OptimizationResult {
        let n = objective.parameterCount
        guard n > 0 else { throw .noParameters }
        guard start.count == n else { throw .dimensionMismatch(what: "start point", expected: n, found: start.count) }
        try options.validate(parameterCount: n)
        for j in 0..<n where !start[j].isFinite { throw .nonFiniteStart(index: j, value: start[j]) }
        let lower = options.lower ?? [Double](repeating: -.infinity, count: n)
        let upper = options.upper ?? [Double](repeating: .infinity, count: n)
        let (ftol, xtol, gtol) = (options.functionTolerance, options.stepTolerance, options.gradientTolerance)
        let floor = options.objectiveScaleFloor
        let eps = Double.ulpOfOne
        let predictedNoise = 64 * eps, actualNoise = 4096 * eps

        var theta = [Double](repeating: 0, count: n)
        for j in 0..<n { theta[j] = Swift.min(Swift.max(start[j], lower[j]), upper[j]) }
        var trial = theta
        var gradient = [Double](repeating: 0, count: n), trialGradient = gradient
        var curvature = [Double](repeating: 0, count: n * n), trialCurvature = curvature
        var step = [Double](repeating: 0, count: n), scaling = step
        var free = [Int](repeating: 0, count: n)
        var solver = DampedCholesky(order: n)

        guard let f0 = objective.evaluate(theta, gradient: &gradient, curvature: &curvature),
              f0.isFinite, allFinite(gradient), allFinite(curvature) else { throw .startNotEvaluable(start: theta) }
        var f = f0
        let lowerBound = objective.objectiveLowerBound
        let lowerBoundGap = lowerBound.map { eps * eps * (f0 - $0) } ?? -.infinity
        var evaluations = 1, iterations = 0
        for j in 0..<n { scaling[j] = curvature[j * n + j] > 0 ? curvature[j * n + j] : 1 }
        var mu = options.initialDamping, nu = 2.0
        var reason = StopReason.maximumIterations

        loop: while true {
            let state = Self.projectedGradient(theta: theta, gradient: gradient, curvature: curvature, lower: lower,
                                               upper: upper, scale: Swift.max(Swift.abs(f), floor), free: &free)
            if state.scaled <= gtol { reason = .gradientTolerance; break }
            if let lowerBound, f - lowerBound <= lowerBoundGap { reason = .lowerBoundReached; break }
            if iterations >= options.maximumIterations { reason = .maximumIterations; break }
            if evaluations >= options.maximumEvaluations { reason = .maximumEvaluations; break }
            iterations += 1
            guard solver.solve(curvature: curvature, gradient: gradient, scaling: scaling, damping: mu,
                               free: free, freeCount: state.freeCount, order: n, step: &step) else {
                mu *= nu; nu *= 2
                if !mu.isFinite { reason = .roundingLimit; break }
                continue
            }
            var stepNorm = 0.0, thetaNorm = 0.0, clipped = false, moved = false
            for j in 0..<n {
                let unclipped = theta[j] + step[j]
                let t = Swift.min(Swift.max(unclipped, lower[j]), upper[j])
                if t != unclipped { clipped = true }
                if t != theta[j] { moved = true }
                trial[j] = t
                step[j] = t - theta[j]
                stepNorm += step[j] * step[j]
                thetaNorm += theta[j] * theta[j]
            }
            if !moved { reason = .roundingLimit; break }
            if stepNorm.squareRoot() <= xtol * (thetaNorm.squareRoot() + xtol) { reason = .stepTolerance; break }
            let predicted = Self.predictedReduction(step: step, gradient: gradient, curvature: curvature,
                                                    scaling: scaling, damping: mu, clipped: clipped, order: n)
            if !(predicted > 0) {
                mu *= nu; nu *= 2
                if !mu.isFinite { reason = .roundingLimit; break }
                continue
            }
            evaluations += 1
            guard let fTrial = objective.evaluate(trial, gradient: &trialGradient, curvature: &trialCurvature),
                  fTrial.isFinite, allFinite(trialGradient), allFinite(trialCurvature) else {
                mu *= nu; nu *= 2
                if !mu.isFinite { reason = .roundingLimit; break }
                continue
            }
            let actual = f - fTrial
            let rho = actual / predicted
            let scale = Swift.max(Swift.abs(f), floor)
            let relativeActual = scale > 0 ? Swift.abs(actual) / scale : (actual == 0 ? 0 : .infinity)
            let relativePredicted = scale > 0 ? predicted / scale : .infinity
            var accept = rho > 0
            if !accept, relativePredicted <= predictedNoise, relativeActual <= actualNoise {
                // Below the rounding of f the sign of f − f(θ+s) is noise: judge by the gradient.
                accept = Self.weightedGradient(theta: trial, gradient: trialGradient, lower: lower, upper: upper, scaling: scaling)
                    < Self.weightedGradient(theta: theta, gradient: gradient, lower: lower, upper: upper, scaling: scaling)
            }
            if accept {
                swap(&theta, &trial)
                swap(&gradient, &trialGradient)
                swap(&curvature, &trialCurvature)
                f = fTrial
                for j in 0..<n { scaling[j] = Swift.max(scaling[j], curvature[j * n + j]) }
                let c = rho > 0 ? 2 * rho - 1 : 1
                mu = Swift.max(mu * Swift.max(1.0 / 3.0, 1 - c * c * c), eps)
                nu = 2
            } else {
                mu *= nu; nu *= 2
            }
            if relativeActual <= ftol, relativePredicted <= ftol, rho <= 2 { reason = .functionTolerance; break }
            if !accept, relativePredicted <= predictedNoise, relativeActual <= actualNoise { reason = .roundingLimit; break }
            if !mu.isFinite { reason = .roundingLimit; break }
        }

        let final = Self.projectedGradient(theta: theta, gradient: gradient, curvature: curvature, lower: lower,
                                           upper: upper, scale: Swift.max(Swift.abs(f), floor), free: &free)
        let active = (0..<n).filter { theta[$0] <= lower[$0] || theta[$0] >= upper[$0] }
        return OptimizationResult(parameters: theta, objective: f, gradient: gradient, curvature: curvature,
                                  iterations: iterations, evaluations: evaluations, gradientNorm: final.norm,
                                  scaledGradient: final.scaled, activeBounds: active, stopReason: reason)
    }

    /// Fills `free` with the parameters not frozen on a bound and returns their count, the ∞-norm of
    /// the projected gradient and the scaled measure γ compared with gtol.
    static func projectedGradient(theta: [Double], gradient: [Double], curvature: [Double], lower: [Double],
                                  upper: [Double], scale: Double, free: inout [Int]) -> (freeCount: Int, norm: Double, scaled: Double) {
        let n = theta.count
        var count = 0, norm = 0.0, scaled = 0.0
        for j in 0..<n {
            let g = gradient[j]
            if (theta[j] <= lower[j] && g > 0) || (theta[j] >= upper[j] && g < 0) { continue }
            free[count] = j
            count += 1
            let magnitude = Swift.abs(g)
            norm = Swift.max(norm, magnitude)
            if magnitude == 0 { continue }
            let denominator = (2 * Swift.max(curvature[j * n + j], 0) * scale).squareRoot()
            scaled = Swift.max(scaled, denominator > 0 ? magnitude / denominator : .infinity)
        }
        return (count, norm, scaled)
    }

    /// Σ p_j²/D_j over the projected gradient p: the gradient measure compared when f's change is noise.
    static func weightedGradient(theta: [Double], gradient: [Double], lower: [Double], upper: [Double], scaling: [Double]) -> Double {
        var sum = 0.0
        for j in 0..<theta.count {
            let g = gradient[j]
            if (theta[j] <= lower[j] && g > 0) || (theta[j] >= upper[j] && g < 0) { continue }
            sum += g * g / scaling[j]
        }
        return sum
    }

    /// The model's decrease −gᵀs − ½sᵀHs; for an unclipped step, the equal ½(μ·sᵀDs − gᵀs).
    static func predictedReduction(step s: [Double], gradient g: [Double], curvature h: [Double], scaling d: [Double],
                                   damping mu: Double, clipped: Bool, order n: Int) -> Double {
        var gs = 0.0, quadratic = 0.0
        for j in 0..<n where s[j] != 0 {
            gs += g[j] * s[j]
            if clipped {
                var row = 0.0
                for k in 0..<n { row += h[j * n + k] * s[k] }
                quadratic += s[j] * row
            } else {
                quadratic += d[j] * s[j] * s[j]
            }
        }
        return clipped ? -gs - 0.5 * quadratic : 0.5 * (mu * quadratic - gs)
    }
}

/// Whether every entry is finite.
@inline(__always) func allFinite(_ values: [Double]) -> Bool {
    for v in values where !v.isFinite { return false }
    return true
}
