/// Advances a trajectory with Rodas4. Storage, the iteration matrix and its LU are allocated
/// once; each step refactors in place.
final class RosenbrockStepper<System: ODESystem>: EmbeddedErrorStepper {
    typealias R = Rodas4Coefficients
    let context: SolverContext<System>
    let n: Int
    var t: Double
    private(set) var tPrevious: Double
    let y: UnsafeMutablePointer<Double>
    private let y0: UnsafeMutablePointer<Double>
    private let fy: UnsafeMutablePointer<Double>
    private let ft: UnsafeMutablePointer<Double>
    private let jac: UnsafeMutablePointer<Double>
    private let stage: UnsafeMutablePointer<Double>
    private let fStage: UnsafeMutablePointer<Double>
    private let yNew: UnsafeMutablePointer<Double>
    /// k₁ … k₆, n each.
    private let k: UnsafeMutablePointer<Double>
    /// Dense-output vectors q₁, q₂ of the last accepted step.
    private let q1: UnsafeMutablePointer<Double>
    private let q2: UnsafeMutablePointer<Double>
    private let linear: DenseLinearSolver
    var h: Double
    private(set) var hLast = 0.0
    var controller: PIController
    private var jacobianIsCurrent = false
    private var derivativeIsCurrent = false
    let options: ODEOptions
    let maxStep: Double
    var rejectedLastAttempt = false

    init(context: SolverContext<System>, options: ODEOptions, t0: Double, y0 initial: [Double], tEnd: Double) {
        self.context = context
        self.options = options
        n = context.n
        t = t0
        tPrevious = t0
        let size = max(1, n)
        y = .allocate(capacity: size)
        y0 = .allocate(capacity: size)
        fy = .allocate(capacity: size)
        ft = .allocate(capacity: size)
        jac = .allocate(capacity: size * size)
        stage = .allocate(capacity: size)
        fStage = .allocate(capacity: size)
        yNew = .allocate(capacity: size)
        k = .allocate(capacity: 6 * size)
        q1 = .allocate(capacity: size)
        q2 = .allocate(capacity: size)
        for p in [fy, ft, stage, fStage, yNew, q1, q2] { p.initialize(repeating: 0, count: size) }
        k.initialize(repeating: 0, count: 6 * size)
        jac.initialize(repeating: 0, count: size * size)
        for i in 0..<n { y[i] = initial[i]; y0[i] = initial[i] }
        linear = DenseLinearSolver(order: n)
        maxStep = min(options.maxStep ?? .infinity, tEnd - t0)
        h = options.fixedStep ?? options.initialStep ?? 0
        controller = PIController(.rodas4)
    }

    deinit {
        for p in [y, y0, fy, ft, jac, stage, fStage, yNew, k, q1, q2] { p.deallocate() }
    }

    private func prepare() -> ODEStatus? {
        if !derivativeIsCurrent {
            if let failure = context.f(t, y, fy) { return .rightHandSideFailed(time: t, message: failure.message) }
            derivativeIsCurrent = true
            if h == 0 {
                h = hairerInitialStep(context, order: StepControlParameters.rodas4.estimatorOrder, t0: t, y0: y, f0: fy, scratchY: stage, scratchF: fStage, maxStep: maxStep)
            }
        }
        if !jacobianIsCurrent {
            if let failure = context.jacobian(t, y, fy, h: h, into: jac) { return .rightHandSideFailed(time: t, message: failure.message) }
            if context.system.isAutonomous {
                for i in 0..<n { ft[i] = 0 }
            } else if let failure = context.timeDerivative(t, y, fy, h: h, into: ft) {
                return .rightHandSideFailed(time: t, message: failure.message)
            }
            jacobianIsCurrent = true
        }
        return nil
    }

    func step(limit: Double) -> ODEStatus? {
        if let failure = prepare() { return failure }
        return adaptiveStep(limit: limit)
    }

    /// Solves ((1/(γh))·I − J)·x = b (b in `stage` on entry, x written to `out`).
    @inline(__always)
    private func solve(into out: UnsafeMutablePointer<Double>) {
        for i in 0..<n { out[i] = stage[i] }
        linear.solve(out)
        context.statistics.linearSolves += 1
    }

    func attempt(_ hh: Double) -> StepAttempt {
        let n = self.n
        // Iteration matrix (1/(γh))·I − J, factored once for all six stages.
        let diagonal = 1 / (R.gamma * hh)
        let m = linear.matrix
        for idx in 0..<(n * n) { m[idx] = -jac[idx] }
        for i in 0..<n { m[i + i * n] += diagonal }
        context.statistics.luFactorizations += 1
        if !linear.factor() { return .singular }
        let (k1, k2, k3, k4, k5, k6) = (k, k + n, k + 2 * n, k + 3 * n, k + 4 * n, k + 5 * n)
        let inv = 1 / hh

        // Stage 1
        for i in 0..<n { stage[i] = fy[i] + hh * R.d1 * ft[i] }
        solve(into: k1)
        // Stage 2
        for i in 0..<n { yNew[i] = y[i] + R.a21 * k1[i] }
        if let f = context.f(t + R.c2 * hh, yNew, fStage) { return f.isRecoverable ? .recoverableFailure : .failure(f) }
        for i in 0..<n { stage[i] = fStage[i] + hh * R.d2 * ft[i] + R.c21 * k1[i] * inv }
        solve(into: k2)
        // Stage 3
        for i in 0..<n { yNew[i] = y[i] + R.a31 * k1[i] + R.a32 * k2[i] }
        if let f = context.f(t + R.c3 * hh, yNew, fStage) { return f.isRecoverable ? .recoverableFailure : .failure(f) }
        for i in 0..<n { stage[i] = fStage[i] + hh * R.d3 * ft[i] + (R.c31 * k1[i] + R.c32 * k2[i]) * inv }
        solve(into: k3)
        // Stage 4
        for i in 0..<n { yNew[i] = y[i] + R.a41 * k1[i] + R.a42 * k2[i] + R.a43 * k3[i] }
        if let f = context.f(t + R.c4 * hh, yNew, fStage) { return f.isRecoverable ? .recoverableFailure : .failure(f) }
        for i in 0..<n { stage[i] = fStage[i] + hh * R.d4 * ft[i] + (R.c41 * k1[i] + R.c42 * k2[i] + R.c43 * k3[i]) * inv }
        solve(into: k4)
        // Stage 5 (at t + h)
        for i in 0..<n { yNew[i] = y[i] + R.a51 * k1[i] + R.a52 * k2[i] + R.a53 * k3[i] + R.a54 * k4[i] }
        if let f = context.f(t + hh, yNew, fStage) { return f.isRecoverable ? .recoverableFailure : .failure(f) }
        for i in 0..<n {
            let sum = R.c51 * k1[i] + R.c52 * k2[i] + R.c53 * k3[i] + R.c54 * k4[i]
            stage[i] = fStage[i] + sum * inv
        }
        solve(into: k5)
        // Stage 6: Y₆ = Y₅ + k₅; the correction k₆ is also the error estimate (stiffly accurate pair).
        for i in 0..<n { yNew[i] += k5[i] }
        if let f = context.f(t + hh, yNew, fStage) { return f.isRecoverable ? .recoverableFailure : .failure(f) }
        for i in 0..<n {
            let sum = R.c61 * k1[i] + R.c62 * k2[i] + R.c63 * k3[i] + R.c64 * k4[i] + R.c65 * k5[i]
            stage[i] = fStage[i] + sum * inv
        }
        solve(into: k6)
        for i in 0..<n { yNew[i] += k6[i] }
        let err = context.errorNorm(k6, y, yNew)
        return .computed(error: err.isNaN ? .infinity : err)
    }

    func accept(_ hh: Double, landsOnLimit: Bool, limit: Double) {
        context.statistics.acceptedSteps += 1
        let (k1, k2, k3, k4, k5) = (k, k + n, k + 2 * n, k + 3 * n, k + 4 * n)
        for i in 0..<n {
            q1[i] = R.d21 * k1[i] + R.d22 * k2[i] + R.d23 * k3[i] + R.d24 * k4[i] + R.d25 * k5[i]
            q2[i] = R.d31 * k1[i] + R.d32 * k2[i] + R.d33 * k3[i] + R.d34 * k4[i] + R.d35 * k5[i]
            y0[i] = y[i]
            y[i] = yNew[i]
        }
        tPrevious = t
        t = landsOnLimit ? limit : t + hh
        hLast = hh
        derivativeIsCurrent = false
        jacobianIsCurrent = false
    }

    func interpolate(at time: Double, into out: UnsafeMutablePointer<Double>) {
        let s = hLast > 0 ? (time - tPrevious) / hLast : 0
        let s1 = 1 - s
        for i in 0..<n { out[i] = s1 * y0[i] + s * (y[i] + s1 * (q1[i] + s * q2[i])) }
    }

    func appendDenseSegment(to dense: inout DenseOutput) {
        // (1−θ)y₀ + θ(y₁ + (1−θ)(q₁ + θq₂)) = y₀ + θ(y₁ − y₀ + q₁) + θ²(q₂ − q₁) − θ³q₂
        let n = self.n
        dense.append(start: tPrevious, length: hLast, degree: 3) { power, out in
            for i in 0..<n {
                switch power {
                case 0: out[i] = y0[i]
                case 1: out[i] = y[i] - y0[i] + q1[i]
                case 2: out[i] = q2[i] - q1[i]
                default: out[i] = -q2[i]
                }
            }
        }
    }

    func truncate(at time: Double) {
        interpolate(at: time, into: yNew)
        for i in 0..<n { y[i] = yNew[i] }
        t = time
        derivativeIsCurrent = false
        jacobianIsCurrent = false
    }

    func restart() -> ODEStatus? {
        derivativeIsCurrent = false
        jacobianIsCurrent = false
        return prepare()
    }
}

extension RightHandSideFailure {
    var message: String {
        switch self {
        case .recoverable(let m), .unrecoverable(let m): m
        }
    }

    var isRecoverable: Bool {
        if case .recoverable = self { return true }
        return false
    }
}
