@_spi(LaneEngine) import TwinODE

/// Rodas4 (Hairer and Wanner 1996, §IV.7; TwinODE's coefficients) advanced in lanes, for stiff
/// models: each lane's Jacobian (analytic, lane by lane, or by forward differences on whole
/// vectors) and the LU of its iteration matrix (1/(γh))·I − J are computed inside the lanes,
/// batched across patients — no LAPACK call per patient.
final class RosenbrockLaneStepper<V: ODELaneVector>: LaneStepper {
    typealias R = Rodas4Coefficients
    let lanes: LaneState<V>
    let n: Int
    let rtol: Double
    let atol: UnsafeMutablePointer<V>
    /// f(t, y) at the start of the step.
    let fy: UnsafeMutablePointer<V>
    /// ∂f/∂t (zero for autonomous systems).
    let ft: UnsafeMutablePointer<V>
    let jacobian: UnsafeMutablePointer<V>
    let lu: LaneLU<V>
    /// k₁ … k₆.
    let k: UnsafeMutablePointer<V>
    let yNew: UnsafeMutablePointer<V>
    let stage: UnsafeMutablePointer<V>
    let fStage: UnsafeMutablePointer<V>
    let scratch: UnsafeMutablePointer<V>
    private let scalarY: UnsafeMutablePointer<Double>
    private let scalarP: UnsafeMutablePointer<Double>
    private let scalarJ: UnsafeMutablePointer<Double>
    /// Whether the system provides an analytic Jacobian: assumed until its `jacobian` says not (returns false).
    private(set) var analytic = true
    let autonomous: Bool

    var derivative: UnsafeMutablePointer<V> { fy }

    init(lanes: LaneState<V>, relativeTolerance: Double, absoluteTolerances: [Double]) {
        self.lanes = lanes
        n = lanes.n
        rtol = relativeTolerance
        autonomous = lanes.system.isAutonomous
        let size = max(n, 1)
        func vectors(_ count: Int) -> UnsafeMutablePointer<V> {
            // Safe: allocated here, freed in deinit, indexed below count.
            let p = UnsafeMutablePointer<V>.allocate(capacity: count)
            p.initialize(repeating: V(repeating: 0), count: count)
            return p
        }
        atol = vectors(size)
        for i in 0..<size { atol[i] = V(repeating: absoluteTolerances[min(i, absoluteTolerances.count - 1)]) }
        fy = vectors(size)
        ft = vectors(size)
        jacobian = vectors(size * size)
        lu = LaneLU(order: n)
        k = vectors(6 * size)
        yNew = vectors(size)
        stage = vectors(size)
        fStage = vectors(size)
        scratch = vectors(size)
        scalarY = .allocate(capacity: size)
        scalarP = .allocate(capacity: max(lanes.np, 1))
        scalarJ = .allocate(capacity: size * size)
    }

    deinit {
        for p in [atol, fy, ft, jacobian, k, yNew, stage, fStage, scratch] { p.deallocate() }
        lu.deallocate()
        scalarY.deallocate()
        scalarP.deallocate()
        scalarJ.deallocate()
    }

    func refresh(_ mask: LaneMask<V>) -> LaneMask<V> {
        guard let failed = lanes.evaluate(t: lanes.t, x: lanes.y, into: fy) else { return LaneMask<V>(repeating: false) }
        return (failed.recoverable .| failed.fatal) .& mask
    }

    /// J ← ∂f/∂y and ft ← ∂f/∂t at (t, y) for steps `h` (per lane, positive), with fy = f(t, y)
    /// current. Differenced Jacobians use TwinODE's increments (`SolverContext.jacobian`, after
    /// CVODE's `cvDenseDQJac`, Hindmarsh et al. 2005), lane by lane on whole vectors:
    ///
    /// ```
    /// wⱼ = 1 / (rtol·|yⱼ| + atolⱼ),  σ₀ = 1000·ε·h·n·‖f‖_w (1 when ‖f‖_w = 0),  σⱼ = max(√ε·|yⱼ|, σ₀/wⱼ)
    /// ```
    ///
    /// applied as (yⱼ + σⱼ) − yⱼ; √(ε·10⁻⁵) only where σⱼ = 0 (atolⱼ = 0 at yⱼ = 0). ∂f/∂t takes
    /// δ = (t + δ′) − t, δ′ = √ε·max(|t|, h). Every operation is lane-wise, so a lane's bits depend
    /// on its own member only.
    private func differentiate(_ h: V) -> (recoverable: LaneMask<V>, fatal: LaneMask<V>) {
        var recoverable = LaneMask<V>(repeating: false)
        var fatal = LaneMask<V>(repeating: false)
        let y = lanes.y
        let squareRootEpsilon = Double.ulpOfOne.squareRoot()
        if analytic {
            for lane in 0..<lanes.width {
                for i in 0..<n { scalarY[i] = y[i][lane] }
                for j in 0..<lanes.np { scalarP[j] = lanes.p[j][lane] }
                for idx in 0..<(n * n) { scalarJ[idx] = 0 }
                guard lanes.system.jacobian(t: lanes.t[lane], y: ODEVector(scalarY, count: n), p: ODEVector(scalarP, count: lanes.np),
                                            into: ODEMutableVector(scalarJ, count: n * n)) else {
                    // Not provided (the protocol's default): difference f from now on, every lane.
                    analytic = false
                    break
                }
                for idx in 0..<(n * n) { jacobian[idx][lane] = scalarJ[idx] }
            }
        }
        if !analytic {
            // σ₀ per lane from the weighted RMS norm of f(t, y).
            var sum = V(repeating: 0)
            for i in 0..<n {
                let r = fy[i] / (atol[i] + rtol * abs(y[i]))
                sum += r * r
            }
            let fNorm = (sum * (1 / Double(max(n, 1)))).squareRoot()
            var sigma0 = fNorm * h * (1000 * Double.ulpOfOne * Double(n))
            sigma0 = sigma0.selecting(1, where: .!(gt(fNorm, 0) .& lt(fNorm, .infinity)))
            let fallback = V(repeating: (Double.ulpOfOne * 1e-5).squareRoot())
            for j in 0..<n {
                let saved = y[j]
                let magnitude = abs(saved)
                var sigma = larger(squareRootEpsilon * magnitude, sigma0 * (rtol * magnitude + atol[j]))
                sigma = sigma.selecting(fallback, where: .!(gt(sigma, 0) .& lt(sigma, .infinity)))
                let shifted = saved + sigma
                var delta = shifted - saved
                delta = delta.selecting(sigma, where: .!gt(delta, 0))
                y[j] = saved + delta
                if let failed = lanes.evaluate(t: lanes.t, x: y, into: scratch) {
                    recoverable .|= failed.recoverable
                    fatal .|= failed.fatal
                }
                y[j] = saved
                let inverse = 1 / delta
                for i in 0..<n { jacobian[i + j * n] = (scratch[i] - fy[i]) * inverse }
            }
        }
        if autonomous {
            for i in 0..<n { ft[i] = V(repeating: 0) }
        } else {
            let t = lanes.t
            let delta = (t + squareRootEpsilon * larger(abs(t), h)) - t
            if let failed = lanes.evaluate(t: t + delta, x: y, into: scratch) {
                recoverable .|= failed.recoverable
                fatal .|= failed.fatal
            }
            for i in 0..<n { ft[i] = (scratch[i] - fy[i]) / delta }
        }
        return (recoverable, fatal)
    }

    @inline(__always)
    private func evaluateStage(_ t: V, _ recoverable: inout LaneMask<V>, _ fatal: inout LaneMask<V>) {
        if let failed = lanes.evaluate(t: t, x: yNew, into: fStage) {
            recoverable .|= failed.recoverable
            fatal .|= failed.fatal
        }
    }

    func attempt() -> LaneAttempt<V> {
        let n = self.n
        let h = lanes.trialStep
        let y = lanes.y
        let t = lanes.t
        var recoverable = LaneMask<V>(repeating: false)
        var fatal = LaneMask<V>(repeating: false)
        if let failed = lanes.evaluate(t: t, x: y, into: fy) {
            recoverable .|= failed.recoverable
            fatal .|= failed.fatal
        }
        // Idle lanes carry h = 0: give them h = 1 so that their (unused) matrix stays finite.
        let hh = h.selecting(1, where: eq(h, 0))
        let d = differentiate(hh)
        recoverable .|= d.recoverable
        fatal .|= d.fatal
        let diagonal = 1 / (R.gamma * hh)
        let m = lu.a
        for idx in 0..<(n * n) { m[idx] = -jacobian[idx] }
        for i in 0..<n { m[i + i * n] += diagonal }
        let singular = lu.factor()
        let inv = 1 / hh
        let (k1, k2, k3, k4, k5, k6) = (k, k + n, k + 2 * n, k + 3 * n, k + 4 * n, k + 5 * n)

        for i in 0..<n { k1[i] = fy[i] + hh * R.d1 * ft[i] }
        lu.solve(k1)
        for i in 0..<n { yNew[i] = y[i] + R.a21 * k1[i] }
        evaluateStage(t + R.c2 * hh, &recoverable, &fatal)
        for i in 0..<n { k2[i] = fStage[i] + hh * R.d2 * ft[i] + R.c21 * k1[i] * inv }
        lu.solve(k2)
        for i in 0..<n { yNew[i] = y[i] + R.a31 * k1[i] + R.a32 * k2[i] }
        evaluateStage(t + R.c3 * hh, &recoverable, &fatal)
        for i in 0..<n { k3[i] = fStage[i] + hh * R.d3 * ft[i] + (R.c31 * k1[i] + R.c32 * k2[i]) * inv }
        lu.solve(k3)
        for i in 0..<n { yNew[i] = y[i] + R.a41 * k1[i] + R.a42 * k2[i] + R.a43 * k3[i] }
        evaluateStage(t + R.c4 * hh, &recoverable, &fatal)
        for i in 0..<n { k4[i] = fStage[i] + hh * R.d4 * ft[i] + (R.c41 * k1[i] + R.c42 * k2[i] + R.c43 * k3[i]) * inv }
        lu.solve(k4)
        for i in 0..<n { yNew[i] = y[i] + R.a51 * k1[i] + R.a52 * k2[i] + R.a53 * k3[i] + R.a54 * k4[i] }
        evaluateStage(t + hh, &recoverable, &fatal)
        for i in 0..<n {
            let sum = R.c51 * k1[i] + R.c52 * k2[i] + R.c53 * k3[i] + R.c54 * k4[i]
            k5[i] = fStage[i] + sum * inv
        }
        lu.solve(k5)
        // Stage 6: Y₆ = Y₅ + k₅; the correction k₆ is also the error estimate (stiffly accurate pair).
        for i in 0..<n { yNew[i] += k5[i] }
        evaluateStage(t + hh, &recoverable, &fatal)
        for i in 0..<n {
            let sum = R.c61 * k1[i] + R.c62 * k2[i] + R.c63 * k3[i] + R.c64 * k4[i] + R.c65 * k5[i]
            k6[i] = fStage[i] + sum * inv
        }
        lu.solve(k6)
        for i in 0..<n { yNew[i] += k6[i] }
        var err = lanes.errorNorm(k6, y, yNew, rtol: rtol, atol: atol)
        err = err.selecting(.infinity, where: .!eq(err, err) .| recoverable .| fatal .| singular)
        return LaneAttempt(error: err, recoverable: recoverable, fatal: fatal, singular: singular)
    }

    func accept(_ mask: LaneMask<V>) {
        let y = lanes.y
        for i in 0..<n { y[i] = y[i].selecting(yNew[i], where: mask) }
    }

    func interpolate(lane: Int, theta s: Double, h: Double, into out: UnsafeMutablePointer<Double>) {
        // (1−θ)·y₀ + θ·(y₁ + (1−θ)·(q₁ + θ·q₂)), q = Σ dᵢⱼ kⱼ (RODAS dense output).
        let s1 = 1 - s
        for i in 0..<n {
            let (k1, k2, k3, k4, k5) = (k[i][lane], k[n + i][lane], k[2 * n + i][lane], k[3 * n + i][lane], k[4 * n + i][lane])
            let q1 = R.d21 * k1 + R.d22 * k2 + R.d23 * k3 + R.d24 * k4 + R.d25 * k5
            let q2 = R.d31 * k1 + R.d32 * k2 + R.d33 * k3 + R.d34 * k4 + R.d35 * k5
            out[i] = s1 * lanes.y[i][lane] + s * (yNew[i][lane] + s1 * (q1 + s * q2))
        }
    }
}
