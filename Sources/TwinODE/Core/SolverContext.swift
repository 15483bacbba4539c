import TwinLinearAlgebra

/// What every stepper of one solve shares: the system, the (event-mutable) parameters, the
/// error weights and the work counters. Owns its buffers; allocated once per solve.
final class SolverContext<System: ODESystem> {
    let system: System
    let n: Int
    let parameterCount: Int
    /// Parameters as the right-hand side sees them; time events may change them.
    let parameters: UnsafeMutablePointer<Double>
    let relativeTolerance: Double
    /// Absolute tolerance per state.
    let absoluteTolerance: UnsafeMutablePointer<Double>
    var statistics = ODEStatistics()
    /// The step-size floor and least first step on this problem's time axis.
    let stepFloor: StepSizeFloor
    /// Scratch for finite-difference Jacobians.
    private let scratchY: UnsafeMutablePointer<Double>
    private let scratchF: UnsafeMutablePointer<Double>

    init(problem: ODEProblem<System>, options: ODEOptions) {
        system = problem.system
        n = problem.stateCount
        parameterCount = problem.parameters.count
        parameters = .allocate(capacity: max(1, parameterCount))
        for (i, v) in problem.parameters.enumerated() { parameters[i] = v }
        relativeTolerance = options.relativeTolerance
        absoluteTolerance = .allocate(capacity: max(1, n))
        for i in 0..<n { absoluteTolerance[i] = options.absoluteTolerance(i) }
        scratchY = .allocate(capacity: max(1, n))
        scratchF = .allocate(capacity: max(1, n))
        stepFloor = StepSizeFloor(start: problem.timeSpan.start, end: problem.timeSpan.end)
    }

    deinit {
        parameters.deallocate()
        absoluteTolerance.deallocate()
        scratchY.deallocate()
        scratchF.deallocate()
    }

    /// dy ← f(t, y); nil on success, the failure otherwise.
    @inline(__always)
    func f(_ t: Double, _ y: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) -> RightHandSideFailure? {
        statistics.rightHandSideEvaluations += 1
        do {
            try system.evaluate(t: t, y: ODEVector(y, count: n), p: ODEVector(UnsafePointer(parameters), count: parameterCount),
                                dy: ODEMutableVector(dy, count: n))
            return nil
        } catch {
            return error
        }
    }

    /// ``WeightedErrorNorm`` of `e` between the states `a` and `b`.
    @inline(__always)
    func errorNorm(_ e: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<n {
            let r = e[i] / WeightedErrorNorm.weight(absolute: absoluteTolerance[i], relative: relativeTolerance, a[i], b[i])
            sum += r * r
        }
        return WeightedErrorNorm.norm(squaredSum: sum, count: n)
    }

    /// The weighted RMS norm of `e` with weights atolᵢ + rtol·|yᵢ|.
    @inline(__always)
    func norm(_ e: UnsafePointer<Double>, scaleBy y: UnsafePointer<Double>) -> Double {
        errorNorm(e, y, y)
    }

    /// J ← ∂f/∂y at (t, y), column-major n×n; analytic when the system has one, otherwise by
    /// forward differences with increments scaled by the error weights, as CVODE's dense
    /// difference-quotient Jacobian (Hindmarsh et al. 2005; SUNDIALS `cvDenseDQJac`):
    ///
    /// ```
    /// wⱼ = 1 / (rtol·|yⱼ| + atolⱼ)                       error weight of state j (1/state unit)
    /// σ₀ = 1000·ε·|h|·n·‖f(t, y)‖_w   (1 when ‖f‖_w = 0)  ‖·‖_w the weighted RMS norm
    /// σⱼ = max(√ε·|yⱼ|, σ₀ / wⱼ)                          increment of state j (state units)
    /// ```
    ///
    /// The full form, not a simplification: √ε·|yⱼ| keeps the difference at half the digits of yⱼ,
    /// and σ₀/wⱼ keeps it above the rounding of f for a state near zero, as a fraction of the
    /// state's own tolerance (not of an absolute 10⁻⁵, which is 10⁸ times y₂ ≈ 10⁻¹³ of Robertson).
    /// The increment actually applied is (yⱼ + σⱼ) − yⱼ, exact in floating point. Only where wⱼ is
    /// infinite (atolⱼ = 0 at yⱼ = 0), so that σⱼ = 0, does it fall back to the absolute
    /// √(ε·10⁻⁵) of Hairer and Wanner's RADAU5: that state has no scale of its own there.
    ///
    /// - Parameters:
    ///   - t: time (model units); `y`: the state (n values); `fy`: f(t, y), which must be current.
    ///   - h: the step the Jacobian is for (model time units; its sign is ignored).
    /// - Returns: a right-hand-side failure met while differencing; nil otherwise.
    func jacobian(_ t: Double, _ y: UnsafePointer<Double>, _ fy: UnsafePointer<Double>, h: Double,
                  into jac: UnsafeMutablePointer<Double>) -> RightHandSideFailure? {
        statistics.jacobianEvaluations += 1
        let nn = n * n
        for k in 0..<nn { jac[k] = 0 }
        if system.jacobian(t: t, y: ODEVector(y, count: n), p: ODEVector(UnsafePointer(parameters), count: parameterCount),
                           into: ODEMutableVector(jac, count: nn)) {
            return nil
        }
        let fNorm = norm(fy, scaleBy: y)
        let sigma0 = fNorm > 0 && fNorm.isFinite ? 1000 * Double.ulpOfOne * abs(h) * Double(n) * fNorm : 1
        for i in 0..<n { scratchY[i] = y[i] }
        for j in 0..<n {
            let yj = y[j]
            let tolerance = relativeTolerance * abs(yj) + absoluteTolerance[j]
            let delta = Self.differenceIncrement(yj, tolerance, sigma0)
            scratchY[j] = yj + delta
            if let failure = f(t, scratchY, scratchF) { scratchY[j] = yj; return failure }
            let column = jac + j * n
            let inv = 1 / delta
            for i in 0..<n { column[i] = (scratchF[i] - fy[i]) * inv }
            scratchY[j] = yj
        }
        return nil
    }

    /// The forward-difference increment of a state of value `y` whose tolerance rtol·|y| + atol is
    /// `tolerance` (= 1/w), with σ₀ as in ``jacobian(_:_:_:h:into:)``: (y + σ) − y for
    /// σ = max(√ε·|y|, σ₀·tolerance), or √(ε·10⁻⁵) when that is zero or not finite (a state at
    /// exactly 0 with atol = 0). Always positive and finite for finite y.
    @inline(__always)
    static func differenceIncrement(_ y: Double, _ tolerance: Double, _ sigma0: Double) -> Double {
        let squareRootEpsilon = Double.ulpOfOne.squareRoot()
        var sigma = max(squareRootEpsilon * abs(y), sigma0 * tolerance)
        if !(sigma > 0 && sigma.isFinite) { sigma = (Double.ulpOfOne * 1e-5).squareRoot() }
        let delta = (y + sigma) - y
        return delta > 0 ? delta : sigma
    }

    /// ∂f/∂t at (t, y) by a forward difference; `fy` must hold f(t, y). The increment is
    /// (t + δ) − t with δ = √ε·max(|t|, |h|): half the digits of t, or of the step h the derivative
    /// is for near t = 0 — relative to the time axis, never an absolute time.
    func timeDerivative(_ t: Double, _ y: UnsafePointer<Double>, _ fy: UnsafePointer<Double>, h: Double,
                        into ft: UnsafeMutablePointer<Double>) -> RightHandSideFailure? {
        var delta = Double.ulpOfOne.squareRoot() * max(abs(t), abs(h), stepFloor.spanScale)
        delta = (t + delta) - t
        if let failure = f(t + delta, y, scratchF) { return failure }
        for i in 0..<n { ft[i] = (scratchF[i] - fy[i]) / delta }
        return nil
    }

    /// The current parameters as an array (for reports).
    var parameterArray: [Double] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
}
