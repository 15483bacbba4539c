import TwinODE

/// Vector base-2 logarithm and exponential for the step-size controllers of the lane integrators.
///
/// The PI controller needs err^(−α)·err_prev^β for every lane on every step; calling `pow` lane by
/// lane would cost more than the step itself on small models. These work on whole vectors with
/// short polynomial cores and per-lane exponent handling (bit manipulation), lane by lane
/// identical whatever the width. Relative error below 1e-6, plenty for a step-size controller;
/// they are not used for model equations (``Lanes/exp(_:)`` is the accurate one there).
enum LaneMath {
    /// log₂ x for x > 0 (finite, normal).
    @inline(__always)
    static func log2<V: ODELaneVector>(_ x: V) -> V {
        // x = m·2^e with m ∈ [√½, √2); log₂ m = (2/ln 2)·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716:
        // s + s³/3 + s⁵/5 + s⁷/7, truncated where s⁸/9 < 1e-7.
        var (m, e) = V.decompose(x)
        let high = lt(V(repeating: 1.4142135623730951), m)
        m = m.selecting(m * 0.5, where: high)
        e = e.selecting(e + 1, where: high)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        let s4 = s2 * s2
        // Estrin's scheme (a short dependency chain: the controller is on every step's critical path).
        let p13 = 2.8853900817779268 + s2 * 0.9617966939259756
        let p57 = 0.5770780163555853 + s2 * 0.4121985831111324
        return e + s * (p13 + s4 * p57)
    }

    /// 2ˣ, with x clamped to [−1000, 1000].
    @inline(__always)
    static func exp2<V: ODELaneVector>(_ x: V) -> V {
        let clamped = bounded(x, -1000, 1000)
        // x = k + r, |r| ≤ ½; adding and subtracting 1.5·2⁵² rounds to the nearest whole number.
        let k = (clamped + 6755399441055744.0) - 6755399441055744.0
        let r = clamped - k
        // 2ʳ = Σ (r·ln 2)ʲ/j! to j = 6 (< 2e-7 relative for |r| ≤ ½), by Estrin's scheme.
        let r2 = r * r
        let r4 = r2 * r2
        let p01 = 1 + r * 0.6931471805599453
        let p23 = 0.2402265069591007 + r * 0.055504108664821576
        let p45 = 0.009618129107628477 + r * 0.0013333558146428441
        let p = (p01 + r2 * p23) + r4 * (p45 + r2 * 0.00015403530393381606)
        return p * V.exp2(integer: k)
    }
}

// Lane-wise comparisons through ``ODELaneVector``'s concrete vector compares: the generic `.<` of
// `SIMD` compiles to a loop over the lanes with a branch per lane.

/// a < b lane by lane.
@inline(__always) func lt<V: ODELaneVector>(_ a: V, _ b: V) -> LaneMask<V> { V.laneLess(a, b) }
/// a ≤ b lane by lane.
@inline(__always) func le<V: ODELaneVector>(_ a: V, _ b: V) -> LaneMask<V> { V.laneLessOrEqual(a, b) }
/// a < b lane by lane.
@inline(__always) func lt<V: ODELaneVector>(_ a: V, _ b: Double) -> LaneMask<V> { V.laneLess(a, V(repeating: b)) }
/// a ≤ b lane by lane.
@inline(__always) func le<V: ODELaneVector>(_ a: V, _ b: Double) -> LaneMask<V> { V.laneLessOrEqual(a, V(repeating: b)) }
/// a > b lane by lane.
@inline(__always) func gt<V: ODELaneVector>(_ a: V, _ b: Double) -> LaneMask<V> { V.laneLess(V(repeating: b), a) }
/// a ≥ b lane by lane.
@inline(__always) func ge<V: ODELaneVector>(_ a: V, _ b: Double) -> LaneMask<V> { V.laneLessOrEqual(V(repeating: b), a) }
/// a = b lane by lane.
@inline(__always) func eq<V: ODELaneVector>(_ a: V, _ b: V) -> LaneMask<V> { V.laneEqual(a, b) }
/// a = b lane by lane.
@inline(__always) func eq<V: ODELaneVector>(_ a: V, _ b: Double) -> LaneMask<V> { V.laneEqual(a, V(repeating: b)) }

/// x clamped to [lower, upper] lane by lane.
@inline(__always) func bounded<V: ODELaneVector>(_ x: V, _ lower: Double, _ upper: Double) -> V {
    let low = x.selecting(lower, where: lt(x, lower))
    return low.selecting(upper, where: gt(low, upper))
}
