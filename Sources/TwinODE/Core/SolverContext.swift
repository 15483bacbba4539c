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

    /// The weighted RMS norm of `e` with weights atolᵢ + rtol·max(|aᵢ|, |bᵢ|).
    @inline(__always)
    func errorNorm(_ e: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<n {
            let scale = absoluteTolerance[i] + relativeTolerance * max(abs(a[i]), abs(b[i]))
            let r = e[i] / scale
            sum += r * r
        }
        return (sum / Double(max(n, 1))).squareRoot()
    }

    /// The weighted RMS norm of `e` with weights atolᵢ + rtol·|yᵢ|.
    @inline(__always)
    func norm(_ e: UnsafePointer<Double>, scaleBy y: UnsafePointer<Double>) -> Double {
        errorNorm(e, y, y)
    }

    /// J ← ∂f/∂y at (t, y), column-major n×n; analytic when the system has one, otherwise by
    /// forward differences with δⱼ = √(ε·max(10⁻⁵, |yⱼ|)) (Hairer and Wanner's RADAU5 choice).
    /// `fy` must hold f(t, y). Returns a right-hand-side failure met while differencing.
    func jacobian(_ t: Double, _ y: UnsafePointer<Double>, _ fy: UnsafePointer<Double>, into jac: UnsafeMutablePointer<Double>) -> RightHandSideFailure? {
        statistics.jacobianEvaluations += 1
        let nn = n * n
        for k in 0..<nn { jac[k] = 0 }
        if system.hasAnalyticJacobian {
            system.jacobian(t: t, y: ODEVector(y, count: n), p: ODEVector(UnsafePointer(parameters), count: parameterCount),
                            into: ODEMutableVector(jac, count: nn))
            return nil
        }
        for i in 0..<n { scratchY[i] = y[i] }
        for j in 0..<n {
            let yj = y[j]
            let delta = (Double.ulpOfOne * max(1e-5, abs(yj))).squareRoot()
            scratchY[j] = yj + delta
            if let failure = f(t, scratchY, scratchF) { scratchY[j] = yj; return failure }
            let column = jac + j * n
            let inv = 1 / delta
            for i in 0..<n { column[i] = (scratchF[i] - fy[i]) * inv }
            scratchY[j] = yj
        }
        return nil
    }

    /// ∂f/∂t at (t, y) by a forward difference; `fy` must hold f(t, y).
    func timeDerivative(_ t: Double, _ y: UnsafePointer<Double>, _ fy: UnsafePointer<Double>, into ft: UnsafeMutablePointer<Double>) -> RightHandSideFailure? {
        let delta = (Double.ulpOfOne * max(1e-5, abs(t))).squareRoot()
        if let failure = f(t + delta, y, scratchF) { return failure }
        for i in 0..<n { ft[i] = (scratchF[i] - fy[i]) / delta }
        return nil
    }

    /// The current parameters as an array (for reports).
    var parameterArray: [Double] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
}
