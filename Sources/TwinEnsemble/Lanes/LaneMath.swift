@_spi(LaneEngine) import TwinODE

/// Vector base-2 logarithm and exponential for the step-size controllers of the lane integrators.
///
/// The PI controller needs err^(−α)·err_prev^β for every lane on every step; calling `pow` lane by
/// lane would cost more than the step itself on small models. These work on whole vectors with
/// short polynomial cores and per-lane exponent handling (bit manipulation), lane by lane
/// identical whatever the width. Errors below 2e-7, plenty for a step-size controller;
/// they are not used for model equations (``Lanes/exp(_:)`` is the accurate one there).
enum LaneMath {
    /// log₂ x for x > 0 (finite, normal); absolute error below 1e-7.
    @inline(__always)
    static func log2<V: ODELaneVector>(_ x: V) -> V {
        // x = m·2^e with m ∈ [√½, √2), and log₂ m = u·q(u), u = m − 1, with q of degree 7: a
        // least-squares fit of log₂(1 + u)/u at Chebyshev nodes of [√½ − 1, √2 − 1] (numpy 2.4,
        // Benchmarks/scripts/fit-lane-log2.py; max |error| 8.6e-8). No division: the controller's
        // logarithm is on every step's critical path.
        var (m, e) = V.decompose(x)
        let high = lt(V(repeating: 1.4142135623730951), m)
        m = m.selecting(m * 0.5, where: high)
        e = e.selecting(e + 1, where: high)
        let u = m - 1
        let u2 = u * u
        let u4 = u2 * u2
        // Estrin's scheme, in fused multiply-adds (a short dependency chain).
        let q01 = fma(u, -0.7213527598805924, 1.4426949579638337)
        let q23 = fma(u, -0.36024192433805363, 0.480924046273303)
        let q45 = fma(u, -0.2488223453474083, 0.28707532086888515)
        let q67 = fma(u, -0.14620529685086628, 0.23421261641649846)
        let q = fma(u4, fma(u2, q67, q45), fma(u2, q23, q01))
        return fma(u, q, e)
    }

    /// 2ˣ, with x clamped to [−1000, 1000]; relative error below 2e-7.
    @inline(__always)
    static func exp2<V: ODELaneVector>(_ x: V) -> V {
        let clamped = bounded(x, -1000, 1000)
        // x = k + r, |r| ≤ ½; adding and subtracting 1.5·2⁵² rounds to the nearest whole number.
        let k = (clamped + 6755399441055744.0) - 6755399441055744.0
        let r = clamped - k
        // 2ʳ = Σ (r·ln 2)ʲ/j! to j = 6 (< 2e-7 relative for |r| ≤ ½), by Estrin's scheme.
        let r2 = r * r
        let r4 = r2 * r2
        let p01 = fma(r, 0.6931471805599453, 1)
        let p23 = fma(r, 0.055504108664821576, 0.2402265069591007)
        let p45 = fma(r, 0.0013333558146428441, 0.009618129107628477)
        let p = fma(r4, fma(r2, V(repeating: 0.00015403530393381606), p45), fma(r2, p23, p01))
        return p * V.exp2(integer: k)
    }

    /// a·b + c with one rounding, lane by lane (the vector fused multiply-add).
    @inline(__always)
    static func fma<V: ODELaneVector>(_ a: V, _ b: V, _ c: V) -> V { c.addingProduct(a, b) }

    /// a·b + c with one rounding, lane by lane.
    @inline(__always)
    static func fma<V: ODELaneVector>(_ a: V, _ b: Double, _ c: Double) -> V {
        V(repeating: c).addingProduct(a, V(repeating: b))
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
