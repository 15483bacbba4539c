@_spi(LaneEngine) import TwinODE

/// A seven-stage FSAL explicit Runge–Kutta pair (Tsit5, DP5 — TwinODE's tableaus) advanced in
/// lanes: the method of TwinODE's single-trajectory stepper (its sums in fused multiply-adds), on
/// vectors of patients.
final class ExplicitLaneStepper<V: ODELaneVector>: LaneStepper {
    let lanes: LaneState<V>
    let n: Int
    let rtol: Double
    /// atol per state, broadcast.
    let atol: UnsafeMutablePointer<V>
    /// k₁ … k₇, n each (k₁ = f(t, y) at the start of a step), then the stage point (n).
    let k: UnsafeMutablePointer<V>
    let yNew: UnsafeMutablePointer<V>
    let scratch: UnsafeMutablePointer<V>
    /// The trial step's squared RMS error (one vector), written by the stage kernel.
    let error: UnsafeMutablePointer<V>
    let pair: LaneRungeKuttaPair
    let r: [Double]

    var derivative: UnsafeMutablePointer<V> { k }

    init(lanes: LaneState<V>, pair: LaneRungeKuttaPair, relativeTolerance: Double, absoluteTolerances: [Double]) {
        self.lanes = lanes
        n = lanes.n
        rtol = relativeTolerance
        let size = max(n, 1)
        // Safe: allocated here, freed in deinit, indexed below 8·n.
        atol = .allocate(capacity: size)
        for i in 0..<size { (atol + i).initialize(to: V(repeating: absoluteTolerances[min(i, absoluteTolerances.count - 1)])) }
        k = .allocate(capacity: 8 * size)
        k.initialize(repeating: V(repeating: 0), count: 8 * size)
        yNew = .allocate(capacity: size)
        yNew.initialize(repeating: V(repeating: 0), count: size)
        scratch = .allocate(capacity: size)
        scratch.initialize(repeating: V(repeating: 0), count: size)
        error = .allocate(capacity: 1)
        error.initialize(to: V(repeating: 0))
        self.pair = pair
        r = (pair == .dormandPrince5 ? ExplicitRungeKuttaTableau.dormandPrince5 : .tsitouras5).interpolation
    }

    deinit {
        atol.deallocate()
        k.deallocate()
        yNew.deallocate()
        scratch.deallocate()
        error.deallocate()
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
        // The six stages and the error estimate, compiled with the system's right-hand side and
        // the pair's coefficients (``LaneStages``). A stage whose right-hand side throws is redone
        // lane by lane, so the failure is charged to the lanes that cause it, and the others go on.
        var stages = LaneStages(t: lanes.t, h: lanes.trialStep, y: lanes.y, p: lanes.p, k: k, yNew: yNew,
                                absoluteTolerance: atol, relativeTolerance: rtol, error: error, pair: pair,
                                stateCount: n, parameterCount: lanes.np, firstStage: 1)
        while true {
            let failedStage = V.evaluateStages(lanes.system, stages)
            guard failedStage <= 6 else { break }
            let failed = lanes.evaluateLaneByLane(t: stages.time(ofStage: failedStage), x: stages.point(ofStage: failedStage),
                                                  into: k + failedStage &* n)
            recoverable .|= failed.recoverable
            fatal .|= failed.fatal
            stages.firstStage = failedStage + 1
        }
        var err = error.pointee
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
