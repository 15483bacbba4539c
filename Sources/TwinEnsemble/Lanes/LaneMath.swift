import TwinODE

/// Vector logarithm and exponential for the step-size controllers of the lane integrators.
///
/// The PI controller needs err^(−α)·err_prev^β for every lane on every step; calling `pow` lane by
/// lane would cost more than the step itself on small models. These work on whole vectors with
/// a polynomial core and per-lane exponent handling, lane by lane identical whatever the width.
/// Relative error about 1e-15 on the ranges used (err ∈ [1e-10, 1e300]); they are not used for
/// model equations (``Lanes`` keeps the correctly rounded scalar functions there).
enum LaneMath {
    /// ln x for x > 0 (finite, normal).
    @inline(__always)
    static func log<V: ODELaneVector>(_ x: V) -> V {
        // x = m·2^e with m ∈ [√½, √2); ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716.
        var (m, e) = V.decompose(x)
        let high = m .> 1.4142135623730951
        m = m.replacing(with: m * 0.5, where: high)
        e = e.replacing(with: e + 1, where: high)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        // 2·(s + s³/3 + … + s¹⁹/19): the series of atanh, truncated where s²⁰/21 < 1e-17.
        var p = V(repeating: 1.0 / 19)
        p = p * s2 + 1.0 / 17
        p = p * s2 + 1.0 / 15
        p = p * s2 + 1.0 / 13
        p = p * s2 + 1.0 / 11
        p = p * s2 + 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2 + 1
        return e * 0.6931471805599453 + 2 * s * p
    }

    /// eˣ, with x clamped to [−700, 700].
    @inline(__always)
    static func exp<V: ODELaneVector>(_ x: V) -> V {
        let clamped = bounded(x, -700, 700)
        // x = k·ln2 + r, |r| ≤ ln2/2 (Cody–Waite split of ln 2 for an exact k·ln2hi); adding and
        // subtracting 1.5·2⁵² rounds to the nearest whole number in vector registers.
        let k = (clamped * 1.4426950408889634 + 6755399441055744.0) - 6755399441055744.0
        let r = clamped - k * 0.6931471803691238 - k * 1.9082149292705877e-10
        // Taylor series of eʳ to r¹³/13! (< 2e-17 relative for |r| ≤ 0.347).
        var p = V(repeating: 1.0 / 6227020800)
        p = p * r + 1.0 / 479001600
        p = p * r + 1.0 / 39916800
        p = p * r + 1.0 / 3628800
        p = p * r + 1.0 / 362880
        p = p * r + 1.0 / 40320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return p * V.exp2(integer: k)
    }
}

/// x clamped to [lower, upper] lane by lane.
@inline(__always) func bounded<V: ODELaneVector>(_ x: V, _ lower: Double, _ upper: Double) -> V {
    let low = x.replacing(with: lower, where: x .< lower)
    return low.replacing(with: upper, where: low .> upper)
}
