/// The buffers of one trial step of a seven-stage FSAL explicit Runge–Kutta pair (Tsit5, DP5)
/// advanced for a vector of patients: what the ensemble engine hands to
/// the system's `evaluateStages` entry point for its lane width, so that the stages and the
/// right-hand side are compiled together, specialised for the system in the module that defines it
/// (the state count becomes a constant, and a step costs one dynamic call instead of one per stage),
/// and for the pair (its coefficients become constants: the stage sums unroll, zero entries drop
/// out, and the stage values stay in registers).
///
/// Engine plumbing: a model never builds one. Every buffer holds one vector per state (or per
/// parameter); the engine owns them for the duration of the call.
///
/// Stage s (1…6) is yₛ = y + Σ_{j<s} (h·aₛⱼ)·kⱼ, summed left to right in fused multiply-adds with
/// zero coefficients skipped, and kₛ = f(t + cₛ·h, yₛ); the sixth stage point is the new solution,
/// at t + h. The error is the squared RMS of h·Σ eₛkₛ / (atol + rtol·max(|y|, |yNew|)). TwinODE's
/// single-trajectory stepper does the same sums with separate roundings, so the two agree to
/// rounding, not to the bit; every lane width does exactly these operations.
/// Which of TwinODE's seven-stage pairs a ``LaneStages`` step takes.
public enum LaneRungeKuttaPair: Sendable {
    /// Tsitouras 5(4).
    case tsitouras5
    /// Dormand–Prince 5(4).
    case dormandPrince5
}

@frozen
public struct LaneStages<V: ODELaneVector>: @unchecked Sendable {
    // Safe: the engine keeps every buffer alive, and touches none of them, while the call runs.
    /// Each lane's time at the start of the step, and its trial step size.
    public var t: V
    public var h: V
    /// The state (n vectors), the parameters (np), k₁ … k₇ followed by the stage point (8n; k₁ =
    /// f(t, y) on entry) and the new solution (n).
    public let y: UnsafeMutablePointer<V>
    public let p: UnsafeMutablePointer<V>
    public let k: UnsafeMutablePointer<V>
    public let yNew: UnsafeMutablePointer<V>
    /// atol per state (n vectors) and rtol, for the error estimate.
    public let absoluteTolerance: UnsafePointer<V>
    public let relativeTolerance: Double
    /// Where the step's squared RMS error is written once every stage is done (one vector).
    public let error: UnsafeMutablePointer<V>
    public let pair: LaneRungeKuttaPair
    public let stateCount: Int
    public let parameterCount: Int
    /// The first stage to compute (1 for a whole step; later after a failed stage was redone).
    public var firstStage: Int

    @inlinable
    public init(t: V, h: V, y: UnsafeMutablePointer<V>, p: UnsafeMutablePointer<V>, k: UnsafeMutablePointer<V>,
                yNew: UnsafeMutablePointer<V>, absoluteTolerance: UnsafePointer<V>,
                relativeTolerance: Double, error: UnsafeMutablePointer<V>, pair: LaneRungeKuttaPair, stateCount: Int,
                parameterCount: Int, firstStage: Int) {
        self.t = t
        self.h = h
        self.y = y
        self.p = p
        self.k = k
        self.yNew = yNew
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.error = error
        self.pair = pair
        self.stateCount = stateCount
        self.parameterCount = parameterCount
        self.firstStage = firstStage
    }

    /// The time of stage s (1…6): t + cₛ₊₁·h, and t + h for the last.
    @inlinable
    public func time(ofStage s: Int) -> V {
        switch pair {
        case .tsitouras5: time(ofStage: s, Tsitouras5Coefficients.self)
        case .dormandPrince5: time(ofStage: s, DormandPrince5Coefficients.self)
        }
    }

    @inlinable @inline(__always)
    func time<P: RungeKuttaPairCoefficients>(ofStage s: Int, _: P.Type) -> V { s == 6 ? t + h : t + P.c(s &- 1) * h }

    /// Where stage s's point is written: k + 7n, or the new solution for the last.
    @inlinable @inline(__always)
    public func point(ofStage s: Int) -> UnsafeMutablePointer<V> { s == 6 ? yNew : k + 7 &* stateCount }

    /// Computes stages `firstStage` … 6 with `system`'s right-hand side and then the error
    /// estimate; returns 7 when all are done, or the stage whose right-hand side threw (its point
    /// and the k's before it are written, its k is not, nor the error).
    ///
    /// `system.stateCount` is read here rather than ``stateCount`` so that, specialised for a
    /// system whose count is a literal, the loops over the states unroll.
    @inlinable @inline(__always)
    public func run<System: ODESystem>(_ system: System) -> Int {
        precondition(system.stateCount == stateCount && system.parameterCount == parameterCount,
                     "LaneStages: built for another system")
        switch pair {
        case .tsitouras5: return stages(system, Tsitouras5Coefficients.self)
        case .dormandPrince5: return stages(system, DormandPrince5Coefficients.self)
        }
    }

    /// A whole step (or the rest of one, after a failed stage was redone). Not inlined, so that
    /// each pair's step is a function of its own, small enough for the whole step to be inlined
    /// into it (the optimiser stops inlining into a caller that grows too large).
    @inlinable @inline(never)
    func stages<System: ODESystem, P: RungeKuttaPairCoefficients>(_ system: System, _ pair: P.Type) -> Int {
        guard firstStage == 1 else { return resume(system, p: p, pair) }
        let np = system.parameterCount
        // The parameters are copied to the stack: the stages write only the engine's buffers, so
        // the copy is visibly unchanged and what the right-hand side derives from the parameters
        // alone (CL/V, say) is computed once per step instead of once per stage. (Only while the
        // copy fits the stack: withUnsafeTemporaryAllocation goes to the heap beyond 1 KiB.)
        guard np &* MemoryLayout<V>.stride <= 1024 else { return wholeStep(system, p: p, pair) }
        return withUnsafeTemporaryAllocation(of: V.self, capacity: max(np, 1)) { buffer in
            guard let local = buffer.baseAddress else { return wholeStep(system, p: p, pair) }
            for j in 0..<np { (local + j).initialize(to: p[j]) }
            let result = wholeStep(system, p: local, pair)
            local.deinitialize(count: np)
            return result
        }
    }

    /// The six stages, one literal stage number each (so each stage's sum unrolls). Every stage
    /// point goes to k + 7n, which LLVM sees as disjoint from the k's, so the k's stay in registers
    /// from one stage to the next; the new solution is copied out at the end.
    @inlinable @inline(__always)
    func wholeStep<System: ODESystem, P: RungeKuttaPairCoefficients>(_ system: System, p: UnsafeMutablePointer<V>,
                                                                    _ pair: P.Type) -> Int {
        let n = system.stateCount
        let point = k + 7 &* n
        let done: Int
        if !stage(1, system, p: p, into: point, pair) { done = 1 }
        else if !stage(2, system, p: p, into: point, pair) { done = 2 }
        else if !stage(3, system, p: p, into: point, pair) { done = 3 }
        else if !stage(4, system, p: p, into: point, pair) { done = 4 }
        else if !stage(5, system, p: p, into: point, pair) { done = 5 }
        else if !stage(6, system, p: p, into: point, pair) { done = 6 }
        else { done = 7 }
        guard done == 7 else {
            if done == 6 { for i in 0..<n { yNew[i] = point[i] } }
            return done
        }
        for i in 0..<n { yNew[i] = point[i] }
        error.pointee = errorEstimate(system, yNew: point, pair)
        return 7
    }

    /// Stages `firstStage` … 6 in the engine's buffers (after a failed stage was redone).
    @inlinable @inline(never)
    func resume<System: ODESystem, P: RungeKuttaPairCoefficients>(_ system: System, p: UnsafeMutablePointer<V>,
                                                                 _ pair: P.Type) -> Int {
        var s = firstStage
        while s <= 6 {
            guard stage(s, system, p: p, into: point(ofStage: s), pair) else { return s }
            s &+= 1
        }
        error.pointee = errorEstimate(system, yNew: yNew, pair)
        return 7
    }

    /// Stage s: its point into `out`, then kₛ = f(t + cₛh, point) into k + s·n; false when the
    /// right-hand side threw.
    @inlinable @inline(__always)
    func stage<System: ODESystem, P: RungeKuttaPairCoefficients>(_ s: Int, _ system: System, p: UnsafeMutablePointer<V>,
                                                                into out: UnsafeMutablePointer<V>, _: P.Type) -> Bool {
        let (n, np, k) = (system.stateCount, system.parameterCount, self.k)
        let row = s &* (s &- 1) / 2
        for i in 0..<n {
            var acc = y[i]
            for j in 0..<s where P.a(row &+ j) != 0 { acc = acc.addingProduct(h * P.a(row &+ j), k[j &* n &+ i]) }
            out[i] = acc
        }
        // Safe: Lanes<V> is a frozen single-field wrapper of V; the buffers are reinterpreted
        // in place for the duration of the call only.
        return out.withMemoryRebound(to: Lanes<V>.self, capacity: n) { xs in
            p.withMemoryRebound(to: Lanes<V>.self, capacity: max(np, 1)) { ps in
                (k + s &* n).withMemoryRebound(to: Lanes<V>.self, capacity: n) { ds in
                    do throws(RightHandSideFailure) {
                        try system.rightHandSide(t: Lanes(time(ofStage: s, P.self)), y: ODEVector(xs, count: n),
                                                 p: ODEVector(ps, count: np), dy: ODEMutableVector(ds, count: n))
                        return true
                    } catch {
                        return false
                    }
                }
            }
        }
    }

    /// The squared ``WeightedErrorNorm`` of the estimate h·Σ eₛkₛ between y and yNew, on vectors:
    /// the RMS over the states of h·Σ eₛkₛ / (atolᵢ + rtol·max(|yᵢ|, |yNewᵢ|)).
    @inlinable @inline(__always)
    func errorEstimate<System: ODESystem, P: RungeKuttaPairCoefficients>(_ system: System, yNew: UnsafeMutablePointer<V>,
                                                                        _: P.Type) -> V {
        let n = system.stateCount
        var sum = V(repeating: 0)
        for i in 0..<n {
            var estimate = V(repeating: 0)
            for s in 0..<7 where P.e(s) != 0 { estimate = estimate.addingProduct(V(repeating: P.e(s)), self.k[s &* n &+ i]) }
            let a = y[i].selecting(-y[i], where: V.laneLess(y[i], V(repeating: 0)))
            let b = yNew[i].selecting(-yNew[i], where: V.laneLess(yNew[i], V(repeating: 0)))
            let scale = absoluteTolerance[i] + relativeTolerance * a.selecting(b, where: V.laneLessOrEqual(a, b))
            let r = h * estimate / scale
            sum = sum.addingProduct(r, r)
        }
        return sum * (1 / Double(max(n, 1)))
    }
}
