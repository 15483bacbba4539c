@_spi(LaneEngine) import TwinODE

/// The patients currently in the lanes of one worker: their states and parameters laid out
/// structure-of-arrays (entry i of `y` holds state i of every lane), each lane's own time, step
/// size and stopping point, and the scalar bookkeeping of which member a lane holds.
final class LaneState<V: ODELaneVector> {
    let system: any ODESystem
    let n: Int
    let np: Int
    let width = V.scalarCount
    /// y[i]: state i of every lane.
    let y: UnsafeMutablePointer<V>
    /// p[j]: parameter j of every lane.
    let p: UnsafeMutablePointer<V>
    /// Scratch for evaluating one lane alone (the failure fallback), broadcast to every lane.
    private let broadcastY: UnsafeMutablePointer<V>
    private let broadcastP: UnsafeMutablePointer<V>
    private let broadcastF: UnsafeMutablePointer<V>

    /// Per-lane vectors kept behind a pointer: the driver reads and writes them on every step,
    /// and pointer storage needs no dynamic exclusivity checks (class stored properties do).
    private let vectors: UnsafeMutablePointer<V>
    private let masks: UnsafeMutablePointer<LaneMask<V>>

    /// Each lane's time.
    var t: V { get { vectors[0] } set { vectors[0] = newValue } }
    /// The next step to try (0 = not chosen yet).
    var h: V { get { vectors[1] } set { vectors[1] = newValue } }
    /// The next time the lane must land on exactly: its next event, or the end.
    var tStop: V { get { vectors[2] } set { vectors[2] = newValue } }
    /// log₂ of the previous accepted error norm, floored at 1e-4 (PI control).
    var logPreviousError: V { get { vectors[3] } set { vectors[3] = newValue } }
    /// Accepted steps of the lane's member.
    var steps: V { get { vectors[4] } set { vectors[4] = newValue } }
    /// Attempted steps of the lane's member.
    var attempts: V { get { vectors[5] } set { vectors[5] = newValue } }
    /// The step size of the current trial step (0 in idle lanes), read by the stepper's attempt.
    var trialStep: V { get { vectors[6] } set { vectors[6] = newValue } }
    var rejectedLast: LaneMask<V> { get { masks[0] } set { masks[0] = newValue } }
    var active: LaneMask<V> { get { masks[1] } set { masks[1] = newValue } }

    /// Each lane's member and its events and grid position, behind a pointer for the same reason
    /// (``LaneSlot``; `slots[lane]`).
    let slots: UnsafeMutablePointer<LaneSlot>

    init(system: any ODESystem) {
        self.system = system
        n = system.stateCount
        np = system.parameterCount
        // Safe: allocated here, freed in deinit, indexed below n / np only.
        y = .allocate(capacity: max(n, 1))
        y.initialize(repeating: V(repeating: 0), count: max(n, 1))
        p = .allocate(capacity: max(np, 1))
        p.initialize(repeating: V(repeating: 1), count: max(np, 1))
        broadcastY = .allocate(capacity: max(n, 1))
        broadcastY.initialize(repeating: V(repeating: 0), count: max(n, 1))
        broadcastP = .allocate(capacity: max(np, 1))
        broadcastP.initialize(repeating: V(repeating: 0), count: max(np, 1))
        broadcastF = .allocate(capacity: max(n, 1))
        broadcastF.initialize(repeating: V(repeating: 0), count: max(n, 1))
        vectors = .allocate(capacity: 7)
        vectors.initialize(repeating: V(repeating: 0), count: 7)
        vectors[3] = V(repeating: StepControlParameters.log2MinimumPreviousError)
        masks = .allocate(capacity: 2)
        masks.initialize(repeating: LaneMask<V>(repeating: false), count: 2)
        slots = .allocate(capacity: V.scalarCount)
        slots.initialize(repeating: LaneSlot(), count: V.scalarCount)
    }

    deinit {
        slots.deinitialize(count: width)
        slots.deallocate()
        vectors.deallocate()
        masks.deallocate()
        y.deallocate()
        p.deallocate()
        broadcastY.deallocate()
        broadcastP.deallocate()
        broadcastF.deallocate()
    }

    /// dy = f(t, x) for every lane. When the right-hand side throws, each lane is evaluated alone
    /// (``evaluateLaneByLane(t:x:into:)``), so the failure is charged to the lanes that cause it.
    /// Returns the lanes that failed recoverably and unrecoverably; nil when none did.
    @inline(__always)
    func evaluate(t: V, x: UnsafeMutablePointer<V>, into dy: UnsafeMutablePointer<V>)
        -> (recoverable: SIMDMask<V.MaskStorage>, fatal: SIMDMask<V.MaskStorage>)? {
        if evaluateVector(t: t, x: x, into: dy) { return nil }
        return evaluateLaneByLane(t: t, x: x, into: dy)
    }

    /// dy = f(t, x) for every lane at once; false when the right-hand side threw (then
    /// ``evaluateLaneByLane(t:x:into:)`` tells which lanes failed).
    @inline(__always)
    func evaluateVector(t: V, x: UnsafeMutablePointer<V>, into dy: UnsafeMutablePointer<V>) -> Bool {
        evaluate(t: t, x: x, p: p, into: dy) == nil
    }

    /// The system's right-hand side on these buffers; the failure it threw, if any.
    @inline(__always)
    private func evaluate(t: V, x: UnsafeMutablePointer<V>, p: UnsafeMutablePointer<V>, into dy: UnsafeMutablePointer<V>)
        -> RightHandSideFailure? {
        // Safe: Lanes<V> is a frozen single-field wrapper of V, so the buffers are reinterpreted
        // in place for the duration of the call only.
        x.withMemoryRebound(to: Lanes<V>.self, capacity: max(n, 1)) { xs in
            p.withMemoryRebound(to: Lanes<V>.self, capacity: max(np, 1)) { ps in
                dy.withMemoryRebound(to: Lanes<V>.self, capacity: max(n, 1)) { ds in
                    do throws(RightHandSideFailure) {
                        try V.evaluate(system, t: Lanes(t), y: ODEVector(xs, count: n), p: ODEVector(ps, count: np),
                                       dy: ODEMutableVector(ds, count: n))
                        return nil
                    } catch {
                        return error
                    }
                }
            }
        }
    }

    @inline(never)
    func evaluateLaneByLane(t: V, x: UnsafeMutablePointer<V>, into dy: UnsafeMutablePointer<V>)
        -> (recoverable: SIMDMask<V.MaskStorage>, fatal: SIMDMask<V.MaskStorage>) {
        var recoverable = SIMDMask<V.MaskStorage>(repeating: false)
        var fatal = SIMDMask<V.MaskStorage>(repeating: false)
        // Each lane alone, broadcast to every lane of a vector, so that it is computed with exactly
        // the vector code path (the same bits as in the batch) and a failure is its own.
        for lane in 0..<width {
            for i in 0..<n { broadcastY[i] = V(repeating: x[i][lane]) }
            for j in 0..<np { broadcastP[j] = V(repeating: p[j][lane]) }
            switch evaluate(t: V(repeating: t[lane]), x: broadcastY, p: broadcastP, into: broadcastF) {
            case nil:
                for i in 0..<n { dy[i][lane] = broadcastF[i][0] }
            case .recoverable?:
                for i in 0..<n { dy[i][lane] = .nan }
                recoverable[lane] = true
            case .unrecoverable?:
                for i in 0..<n { dy[i][lane] = .nan }
                fatal[lane] = true
            }
        }
        return (recoverable, fatal)
    }

    /// The square of TwinODE's `WeightedErrorNorm` per lane: weights atolᵢ + rtol·max(|aᵢ|, |bᵢ|),
    /// the same expression on vectors (squared: the controller works with its logarithm and the
    /// test err ≤ 1 is the same, so no square root is taken).
    @inline(__always)
    func errorNorm(_ e: UnsafeMutablePointer<V>, _ a: UnsafeMutablePointer<V>, _ b: UnsafeMutablePointer<V>,
                   rtol: Double, atol: UnsafeMutablePointer<V>) -> V {
        var sum = V(repeating: 0)
        for i in 0..<n {
            let scale = atol[i] + rtol * larger(abs(a[i]), abs(b[i]))
            let r = e[i] / scale
            sum += r * r
        }
        return sum * (1 / Double(max(n, 1)))
    }
}

/// The scalar bookkeeping of one lane.
struct LaneSlot {
    /// The member in the lane (−1: idle), and where its chunk is among the driver's open chunks.
    var member = -1
    var chunk = 0
    /// Its time events, sorted by time, and the first one not applied yet.
    var events: [TimeEvent] = []
    var nextEvent = 0
    /// The first output time not written yet.
    var nextGrid = 0
}

/// |v| lane by lane.
@inline(__always) func abs<V: ODELaneVector>(_ v: V) -> V { v.selecting(-v, where: lt(v, 0)) }

/// max(a, b) lane by lane (b where b ≥ a, as Swift.max).
@inline(__always) func larger<V: ODELaneVector>(_ a: V, _ b: V) -> V { a.selecting(b, where: le(a, b)) }
/// min(a, b) lane by lane (b where b < a, as Swift.min).
@inline(__always) func smaller<V: ODELaneVector>(_ a: V, _ b: V) -> V { a.selecting(b, where: lt(b, a)) }
