import TwinLinearAlgebra

/// The result of a search for a periodic steady state by shooting: the state that one period of
/// the problem maps onto itself, and how the search ended.
///
/// Not converging is an outcome, not an error (as a failed solve is a status): the caller decides
/// what it means for its model.
public struct PeriodicSteadyState: Sendable, Equatable {
    /// How the search ended.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// Φ(y) − y fell below the tolerance (or a Newton step did).
        case converged
        /// A one-period solve did not reach the end of the period.
        case periodSolveFailed(ODEStatus)
        /// I − ∂Φ/∂y was singular: the period map has no unique fixed point (a state that is never
        /// eliminated, say).
        case singularJacobian(String)
        /// An iterate became NaN or infinite.
        case diverged
        /// `maxIterations` Newton steps did not converge.
        case notConverged(iterations: Int)

        public var description: String {
            switch self {
            case .converged: return "converged"
            case let .periodSolveFailed(status): return "one-period solve failed: \(status)"
            case let .singularJacobian(reason): return "the one-period map has no unique fixed point (\(reason))"
            case .diverged: return "Newton's method diverged (an iterate is not finite)"
            case let .notConverged(iterations): return "Newton's method did not converge in \(iterations) iterations"
            }
        }
    }

    /// The periodic state y* (Φ(y*) = y*) when ``outcome`` is ``Outcome/converged``; the last
    /// iterate otherwise.
    public let state: [Double]
    /// How the search ended.
    public let outcome: Outcome
    /// Newton iterations taken (each costs n + 1 one-period solves for n states).
    public let iterations: Int

    /// Whether ``state`` is the periodic steady state.
    public var isConverged: Bool { outcome == .converged }
}

extension ODEProblem {
    /// The periodic steady state of this problem, with its span as the period: the state y* that
    /// one period — from `timeSpan.start` to `timeSpan.end`, with this problem's parameters and
    /// time events (a dose at the start, say) — maps onto itself.
    ///
    /// With Φ(y) the state at the end of the period starting from y, Newton's method solves
    /// Φ(y) − y = 0 from ``initialState``:
    ///
    /// ```
    /// J = ∂Φ/∂y − I   (forward differences of whole one-period solves, step 1e-3·max(|y_j|, scale))
    /// y ← y − J⁻¹ (Φ(y) − y)
    /// ```
    ///
    /// For a linear system Φ is affine, so the first step is exact up to the solver's tolerance;
    /// for a non-linear one it converges quadratically near y*.
    ///
    /// - Parameters:
    ///   - scale: the size of the state that matters (a dose in state units): the floor of the
    ///     difference steps and the scale of the convergence test; > 0.
    ///   - algorithm: the method for the one-period solves.
    ///   - options: their tolerances and step limits; the save schedule is replaced (final state
    ///     only, no dense output). Solve tighter than `tolerance`.
    ///   - tolerance: converged when max |Φ(y) − y| or the last Newton step is ≤ tolerance · scale
    ///     (default 1e-10).
    ///   - maxIterations: the most Newton steps (default 30).
    /// - Returns: the state and how the search ended (``PeriodicSteadyState/outcome``).
    /// - Throws: ``ODEError`` for options the solver rejects, a `scale` or `tolerance` that is not
    ///   finite and positive.
    ///
    /// ```swift
    /// // A 100 mg bolus every 12 h into y′ = −k·y (k = 0.1 /h): the trough is
    /// // 100·e^(−1.2)/(1 − e^(−1.2)) = 43.0 mg.
    /// let period = try ODEProblem(system: ExponentialDecay(), initialState: [0], timeSpan: (0, 12), parameters: [0.1],
    ///                             timeEvents: [TimeEvent(time: 0, action: .addToState(state: 0, amount: 100))])
    /// let ss = try period.periodicSteadyState(scale: 100, using: .tsit5,
    ///                                         options: ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13))
    /// ss.state   // [43.0…]: the amount just before each dose, once at steady state
    /// ```
    public func periodicSteadyState(scale: Double, using algorithm: some ODEAlgorithm, options: ODEOptions,
                                    tolerance: Double = 1e-10, maxIterations: Int = 30) throws -> PeriodicSteadyState {
        guard scale > 0, scale.isFinite else { throw ODEError.invalidOption(name: "scale", value: scale, requirement: "finite and > 0") }
        guard tolerance > 0, tolerance.isFinite else {
            throw ODEError.invalidOption(name: "tolerance", value: tolerance, requirement: "finite and > 0")
        }
        var opts = options
        opts.save = .finalOnly
        opts.denseOutput = false
        opts.saveLeftLimits = false
        let n = stateCount
        var shooting = self
        // The one-period solve from y: its final state is Φ(y) when its status is a success.
        func flow(_ y: [Double]) throws -> ODESolution {
            shooting.initialState = y
            return try shooting.solve(using: algorithm, options: opts)
        }
        var y = initialState
        for iteration in 0..<maxIterations {
            let base = try flow(y)
            guard base.status.isSuccess else {
                return PeriodicSteadyState(state: y, outcome: .periodSolveFailed(base.status), iterations: iteration)
            }
            let fy = base.finalState
            let residual = zip(fy, y).map { $0 - $1 }
            if (residual.map(abs).max() ?? 0) <= tolerance * scale {
                return PeriodicSteadyState(state: y, outcome: .converged, iterations: iteration)
            }
            var jacobian = Matrix<Double>(rows: n, columns: n)
            for j in 0..<n {
                let h = 1e-3 * max(abs(y[j]), scale)
                var shifted = y
                shifted[j] += h
                let moved = try flow(shifted)
                guard moved.status.isSuccess else {
                    return PeriodicSteadyState(state: y, outcome: .periodSolveFailed(moved.status), iterations: iteration)
                }
                let fs = moved.finalState
                for i in 0..<n { jacobian[i, j] = (fs[i] - fy[i]) / h - (i == j ? 1 : 0) }
            }
            let step: [Double]
            do { step = try LUFactorization(jacobian).solve(residual) } catch {
                return PeriodicSteadyState(state: y, outcome: .singularJacobian("\(error)"), iterations: iteration)
            }
            for i in 0..<n { y[i] -= step[i] }
            guard y.allSatisfy(\.isFinite) else { return PeriodicSteadyState(state: y, outcome: .diverged, iterations: iteration + 1) }
            // A step at the solver's noise level: y is the fixed point to the tolerance of Φ.
            if (step.map(abs).max() ?? 0) <= tolerance * scale {
                return PeriodicSteadyState(state: y, outcome: .converged, iterations: iteration + 1)
            }
        }
        return PeriodicSteadyState(state: y, outcome: .notConverged(iterations: maxIterations), iterations: maxIterations)
    }
}
