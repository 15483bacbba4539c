/// The buffers of one trial step of a seven-stage FSAL explicit Runge–Kutta pair (Tsit5, DP5)
/// advanced for a vector of patients: what the ensemble engine hands to
/// the system's `evaluateStages` entry point for its lane width, so that the stages and the
/// right-hand side are compiled together, specialised for the system in the module that defines it
/// (the state count becomes a constant, the stage sums stay in registers, and a step costs one
/// dynamic call instead of one per stage).
///
/// Engine plumbing: a model never builds one. Every buffer holds one vector per state (or per
/// parameter, or per tableau entry); the engine owns them for the duration of the call.
///
/// Stage s (1…6) is yₛ = y + Σ_{j<s} (h·a[s][j])·kⱼ, summed left to right with zero coefficients
/// skipped, and kₛ = f(t + cₛ·h, yₛ); the sixth stage point is the new solution, at t + h. These are
/// the operations, in the order, of TwinODE's single-trajectory stepper, lane by lane.
@frozen
public struct LaneStages<V: ODELaneVector>: @unchecked Sendable {
    // Safe: the engine keeps every buffer alive, and touches none of them, while the call runs.
    /// Each lane's time at the start of the step, and its trial step size.
    public var t: V
    public var h: V
    /// The state (n vectors), the parameters (np), k₁ … k₇ (7n; k₁ = f(t, y) on entry), the stage
    /// point (n), the new solution (n), and h·a row by row (21).
    public let y: UnsafeMutablePointer<V>
    public let p: UnsafeMutablePointer<V>
    public let k: UnsafeMutablePointer<V>
    public let stagePoint: UnsafeMutablePointer<V>
    public let yNew: UnsafeMutablePointer<V>
    public let ha: UnsafeMutablePointer<V>
    /// The tableau's a (21 entries, row by row) and c₂ … c₆ (at least 5).
    public let a: UnsafePointer<Double>
    public let c: UnsafePointer<Double>
    public let stateCount: Int
    public let parameterCount: Int
    /// The first stage to compute (1 for a whole step; later after a failed stage was redone).
    public var firstStage: Int

    @inlinable
    public init(t: V, h: V, y: UnsafeMutablePointer<V>, p: UnsafeMutablePointer<V>, k: UnsafeMutablePointer<V>,
                stagePoint: UnsafeMutablePointer<V>, yNew: UnsafeMutablePointer<V>, ha: UnsafeMutablePointer<V>,
                a: UnsafePointer<Double>, c: UnsafePointer<Double>, stateCount: Int, parameterCount: Int, firstStage: Int) {
        self.t = t
        self.h = h
        self.y = y
        self.p = p
        self.k = k
        self.stagePoint = stagePoint
        self.yNew = yNew
        self.ha = ha
        self.a = a
        self.c = c
        self.stateCount = stateCount
        self.parameterCount = parameterCount
        self.firstStage = firstStage
    }

    /// The time of stage s (1…6): t + cₛ₊₁·h, and t + h for the last.
    @inlinable @inline(__always)
    public func time(ofStage s: Int) -> V { s == 6 ? t + h : t + c[s &- 1] * h }

    /// Where stage s's point is written: the stage buffer, or the new solution for the last.
    @inlinable @inline(__always)
    public func point(ofStage s: Int) -> UnsafeMutablePointer<V> { s == 6 ? yNew : stagePoint }

    /// Computes stages `firstStage` … 6 with `system`'s right-hand side; returns 7 when all are
    /// done, or the stage whose right-hand side threw (its point is written, its k is not).
    ///
    /// `system.stateCount` is read here rather than ``stateCount`` so that, specialised for a
    /// system whose count is a literal, the loops over the states unroll.
    @inlinable @inline(__always)
    public func run<System: ODESystem>(_ system: System) -> Int {
        let n = system.stateCount, np = system.parameterCount
        precondition(n == stateCount && np == parameterCount, "LaneStages: built for another system")
        // The parameters are copied to the stack: the stage loop writes only the engine's buffers,
        // so the copy is visibly unchanged and what the right-hand side derives from the parameters
        // alone (CL/V, say) can be computed once per step instead of once per stage.
        return withUnsafeTemporaryAllocation(of: V.self, capacity: max(np, 1)) { buffer in
            guard let local = buffer.baseAddress else { return stages(system, n: n, p: p) }
            for j in 0..<np { (local + j).initialize(to: p[j]) }
            let result = stages(system, n: n, p: local)
            local.deinitialize(count: np)
            return result
        }
    }

    @inlinable @inline(__always)
    func stages<System: ODESystem>(_ system: System, n: Int, p: UnsafeMutablePointer<V>) -> Int {
        let np = parameterCount
        let (y, k, ha, a) = (self.y, self.k, self.ha, self.a)
        var s = firstStage
        while s <= 6 {
            let row = s &* (s &- 1) / 2
            let out = point(ofStage: s)
            for i in 0..<n {
                var acc = y[i]
                for j in 0..<s where a[row &+ j] != 0 { acc += ha[row &+ j] * k[j &* n &+ i] }
                out[i] = acc
            }
            // Safe: Lanes<V> is a frozen single-field wrapper of V; the buffers are reinterpreted
            // in place for the duration of the call only.
            let ok = out.withMemoryRebound(to: Lanes<V>.self, capacity: n) { xs in
                p.withMemoryRebound(to: Lanes<V>.self, capacity: max(np, 1)) { ps in
                    (k + s &* n).withMemoryRebound(to: Lanes<V>.self, capacity: n) { ds in
                        do throws(RightHandSideFailure) {
                            try system.rightHandSide(t: Lanes(time(ofStage: s)), y: ODEVector(xs, count: n),
                                                     p: ODEVector(ps, count: np), dy: ODEMutableVector(ds, count: n))
                            return true
                        } catch {
                            return false
                        }
                    }
                }
            }
            if !ok { return s }
            s &+= 1
        }
        return 7
    }
}
