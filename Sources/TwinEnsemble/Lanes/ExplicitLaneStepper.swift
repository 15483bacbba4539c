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
    /// The tableau, in pointer storage (no bounds checks or closures in the step): a (21 entries,
    /// row by row), c (6), the error weights e (7).
    let a: UnsafeMutablePointer<Double>
    let c: UnsafeMutablePointer<Double>
    let e: UnsafeMutablePointer<Double>
    /// h·a for the current trial step, 21 vectors.
    let ha: UnsafeMutablePointer<V>
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
        func copy(_ values: [Double], _ count: Int) -> UnsafeMutablePointer<Double> {
            // Safe: allocated here with `count` entries, freed in deinit.
            let p = UnsafeMutablePointer<Double>.allocate(capacity: count)
            for i in 0..<count { (p + i).initialize(to: i < values.count ? values[i] : 0) }
            return p
        }
        precondition(tableau.a.count == 21 && tableau.c.count >= 6 && tableau.errorWeights.count == 7)
        a = copy(tableau.a, 21)
        c = copy(tableau.c, 6)
        e = copy(tableau.errorWeights, 7)
        // Safe: allocated here with 21 entries, freed in deinit.
        ha = .allocate(capacity: 21)
        ha.initialize(repeating: V(repeating: 0), count: 21)
        r = tableau.interpolation
    }

    deinit {
        atol.deallocate()
        k.deallocate()
        yNew.deallocate()
        stage.deallocate()
        scratch.deallocate()
        a.deallocate()
        c.deallocate()
        e.deallocate()
        ha.deallocate()
    }

    func refresh(_ mask: LaneMask<V>) -> LaneMask<V> {
        let failed = lanes.evaluate(t: lanes.t, x: lanes.y, into: scratch)
        for i in 0..<n { k[i] = k[i].selecting(scratch[i], where: mask) }
        guard let failed else { return LaneMask<V>(repeating: false) }
        return (failed.recoverable .| failed.fatal) .& mask
    }

    func attempt() -> LaneAttempt<V> {
        let n = self.n
        var recoverable = LaneMask<V>(repeating: false)
        var fatal = LaneMask<V>(repeating: false)
        let t = lanes.t
        let h = lanes.trialStep
        let y = lanes.y
        let (a, c, e, k, yNew, ha, stage) = (self.a, self.c, self.e, self.k, self.yNew, self.ha, self.stage)
        // h·a for the whole tableau first; then the six stages, compiled with the system's
        // right-hand side (``LaneStages``). A stage whose right-hand side throws is redone lane by
        // lane, so the failure is charged to the lanes that cause it, and the others go on.
        for idx in 0..<21 { ha[idx] = h * a[idx] }
        var stages = LaneStages(t: t, h: h, y: y, p: lanes.p, k: k, stagePoint: stage, yNew: yNew, ha: ha,
                                a: a, c: c, stateCount: n, parameterCount: lanes.np, firstStage: 1)
        while true {
            let failedStage = V.evaluateStages(lanes.system, stages)
            guard failedStage <= 6 else { break }
            let failed = lanes.evaluateLaneByLane(t: stages.time(ofStage: failedStage), x: stages.point(ofStage: failedStage),
                                                  into: k + failedStage &* n)
            recoverable .|= failed.recoverable
            fatal .|= failed.fatal
            stages.firstStage = failedStage + 1
        }
        // The error estimate h·Σ eₛkₛ, weighted by atolᵢ + rtol·max(|yᵢ|, |yNewᵢ|), squared RMS.
        var sum = V(repeating: 0)
        for i in 0..<n {
            var estimate = V(repeating: 0)
            for s in 0..<7 where e[s] != 0 { estimate += e[s] * k[s &* n &+ i] }
            let scale = atol[i] + rtol * larger(abs(y[i]), abs(yNew[i]))
            let r = h * estimate / scale
            sum += r * r
        }
        var err = sum * (1 / Double(max(n, 1)))
        err = err.selecting(.infinity, where: .!eq(err, err) .| recoverable .| fatal)
        return LaneAttempt(error: err, recoverable: recoverable, fatal: fatal, singular: LaneMask<V>(repeating: false))
    }

    @inline(__always)
    func accept(_ mask: LaneMask<V>) {
        let y = lanes.y
        let k7 = k + 6 * n
        for i in 0..<n {
            y[i] = y[i].selecting(yNew[i], where: mask)
            // First same as last: k₇ at (t + h, yNew) is the next step's k₁.
            k[i] = k[i].selecting(k7[i], where: mask)
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
