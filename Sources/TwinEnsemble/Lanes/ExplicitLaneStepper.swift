import TwinODE

/// A seven-stage FSAL explicit Runge–Kutta pair (Tsit5, DP5 — TwinODE's tableaus) advanced in
/// lanes: the same arithmetic as TwinODE's single-trajectory stepper, on vectors of patients.
final class ExplicitLaneStepper<V: ODELaneVector>: LaneStepper {
    let lanes: LaneState<V>
    let n: Int
    let rtol: Double
    /// atol per state, broadcast.
    let atol: UnsafeMutablePointer<V>
    /// k₁ … k₇, n each (k₁ = f(t, y) at the start of a step).
    let k: UnsafeMutablePointer<V>
    let yNew: UnsafeMutablePointer<V>
    let stage: UnsafeMutablePointer<V>
    let scratch: UnsafeMutablePointer<V>
    let a: [Double]
    let c: [Double]
    let e: [Double]
    let r: [Double]

    var estimatorOrder: Int { 4 }
    var methodOrder: Int { 5 }
    var controllerBeta: Double { 0.04 }
    var maximumGrowth: Double { 10 }
    var derivative: UnsafeMutablePointer<V> { k }

    init(lanes: LaneState<V>, tableau: ExplicitRungeKuttaTableau, relativeTolerance: Double, absoluteTolerances: [Double]) {
        self.lanes = lanes
        n = lanes.n
        rtol = relativeTolerance
        let size = max(n, 1)
        // Safe: allocated here, freed in deinit, indexed below 7·n.
        atol = .allocate(capacity: size)
        for i in 0..<size { (atol + i).initialize(to: V(repeating: absoluteTolerances[min(i, absoluteTolerances.count - 1)])) }
        k = .allocate(capacity: 7 * size)
        k.initialize(repeating: V(repeating: 0), count: 7 * size)
        yNew = .allocate(capacity: size)
        yNew.initialize(repeating: V(repeating: 0), count: size)
        stage = .allocate(capacity: size)
        stage.initialize(repeating: V(repeating: 0), count: size)
        scratch = .allocate(capacity: size)
        scratch.initialize(repeating: V(repeating: 0), count: size)
        a = tableau.a
        c = tableau.c
        e = tableau.errorWeights
        r = tableau.interpolation
    }

    deinit {
        atol.deallocate()
        k.deallocate()
        yNew.deallocate()
        stage.deallocate()
        scratch.deallocate()
    }

    func refresh(_ mask: LaneMask<V>) -> LaneMask<V> {
        let failed = lanes.evaluate(t: lanes.t, x: lanes.y, into: scratch)
        for i in 0..<n { k[i] = k[i].replacing(with: scratch[i], where: mask) }
        guard let failed else { return LaneMask<V>(repeating: false) }
        return (failed.recoverable .| failed.fatal) .& mask
    }

    func attempt(_ h: V) -> LaneAttempt<V> {
        let n = self.n
        var recoverable = LaneMask<V>(repeating: false)
        var fatal = LaneMask<V>(repeating: false)
        let t = lanes.t
        let y = lanes.y
        var row = 0
        a.withUnsafeBufferPointer { a in
            for s in 1..<7 {
                // stage = y + h·Σ_{j<s} a[s][j]·k_j
                for i in 0..<n { stage[i] = y[i] }
                for j in 0..<s where a[row + j] != 0 {
                    let coefficient = h * a[row + j]
                    let kj = k + j * n
                    for i in 0..<n { stage[i] += coefficient * kj[i] }
                }
                row += s
                let ts = s == 6 ? t + h : t + c[s - 1] * h
                if s == 6 { for i in 0..<n { yNew[i] = stage[i] } }
                if let failed = lanes.evaluate(t: ts, x: stage, into: k + s * n) {
                    recoverable .|= failed.recoverable
                    fatal .|= failed.fatal
                }
            }
        }
        for i in 0..<n {
            var sum = V(repeating: 0)
            for s in 0..<7 where e[s] != 0 { sum += e[s] * k[s * n + i] }
            scratch[i] = h * sum
        }
        var err = lanes.errorNorm(scratch, y, yNew, rtol: rtol, atol: atol)
        err = err.replacing(with: .infinity, where: (err .!= err) .| recoverable .| fatal)
        return LaneAttempt(error: err, recoverable: recoverable, fatal: fatal, singular: LaneMask<V>(repeating: false))
    }

    func accept(_ mask: LaneMask<V>) {
        let y = lanes.y
        let k7 = k + 6 * n
        for i in 0..<n {
            y[i] = y[i].replacing(with: yNew[i], where: mask)
            // First same as last: k₇ at (t + h, yNew) is the next step's k₁.
            k[i] = k[i].replacing(with: k7[i], where: mask)
        }
    }

    func interpolate(lane: Int, theta: Double, h: Double, into out: UnsafeMutablePointer<Double>) {
        for i in 0..<n {
            var acc = 0.0
            for s in 0..<7 {
                let b = theta * (r[4 * s] + theta * (r[4 * s + 1] + theta * (r[4 * s + 2] + theta * r[4 * s + 3])))
                acc += b * k[s * n + i][lane]
            }
            out[i] = lanes.y[i][lane] + h * acc
        }
    }
}
