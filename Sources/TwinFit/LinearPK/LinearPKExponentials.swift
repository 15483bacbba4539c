import RealModule

/// The building blocks of the closed forms, each with its exact partial derivatives: a decaying
/// exponential, a difference of two, and the divided difference in the rate of a decaying
/// exponential (the response of a depot–central chain). Each comes in two versions: a single
/// term φ_s(x) = e^(−x·s), and (with `interval` II > 0) the sum over all earlier doses of a
/// steady state, Φ_s(x) = Σ_{n≥1} e^(−x·(s + n·II)) = e^(−x·(s + II))·r(x) with
/// r(x) = 1/(1 − e^(−x·II)) — the geometric series of Abuhelwa, Foster & Upton (2015).
///
/// Times s are hours since a dose's (lagged) start, rates x in 1/h.
enum LinearPKExponentials {
    /// Below this |z| = |b − a|·s/2 the divided difference of e^(−x·s) is taken from its
    /// series, e^(−m·s)·(−s)·sinh(z)/z with m = (a + b)/2, rather than from
    /// (e^(−b·s) − e^(−a·s))/(b − a), whose cancellation would grow as 1/|z|. At 0.5 the
    /// series' first dropped term (z¹⁴/15!) is below 1e-16 relative and the difference form
    /// loses under one digit, so both sides agree to rounding and the result is smooth in a, b.
    static let seriesThreshold = 0.5

    /// r(x) = 1/(1 − e^(−x·II)) and r′(x) = −II·e^(−x·II)·r², without cancellation.
    @inline(__always)
    static func accumulation(_ x: Double, _ interval: Double) -> (r: Double, dr: Double) {
        let em = Double.expMinusOne(-x * interval)
        let r = -1 / em
        return (r, -interval * (1 + em) * r * r)
    }

    /// φ_s(x), or Φ_s(x) when `interval` > 0, and its partials in x and s.
    @inline(__always)
    static func exponential(_ x: Double, _ s: Double, interval: Double) -> (value: Double, dx: Double, ds: Double) {
        if interval == 0 {
            let e = Double.exp(-x * s)
            return (e, -s * e, -x * e)
        }
        let s1 = s + interval
        let e = Double.exp(-x * s1)
        let (r, dr) = accumulation(x, interval)
        let v = e * r
        return (v, -s1 * v + e * dr, -x * v)
    }

    /// φ_{s0}(x) − φ_{s0+w}(x) (or the Φ version), w ≥ 0, with partials in x, s0 and w:
    /// e^(−x·s0)·(1 − e^(−x·w)) through expm1, exact for small x·w.
    @inline(__always)
    static func difference(_ x: Double, _ s0: Double, _ w: Double, interval: Double)
        -> (value: Double, dx: Double, ds0: Double, dw: Double) {
        let m = -Double.expMinusOne(-x * w)          // 1 − e^(−x·w)
        let tail = 1 - m                             // e^(−x·w)
        if interval == 0 {
            let e0 = Double.exp(-x * s0)
            let v = e0 * m
            return (v, -s0 * v + e0 * w * tail, -x * v, x * e0 * tail)
        }
        let s1 = s0 + interval
        let e1 = Double.exp(-x * s1)
        let (r, dr) = accumulation(x, interval)
        let v = e1 * m * r
        return (v, -s1 * v + e1 * w * tail * r + e1 * m * dr, -x * v, x * e1 * tail * r)
    }

    /// The divided difference g[a, b] = (e^(−b·s) − e^(−a·s))/(b − a), a, b > 0, s ≥ 0, and its
    /// partials in a, b and s; continuous through a = b (where it is −s·e^(−a·s)).
    @inline(__always)
    static func divided(_ a: Double, _ b: Double, _ s: Double) -> (value: Double, da: Double, db: Double, ds: Double) {
        let delta = b - a
        let z = delta * s / 2
        if abs(z) < seriesThreshold {
            // sinh(z)/z = Σ z^(2j)/(2j+1)!, its derivative Σ 2j·z^(2j−1)/(2j+1)!, to z¹² (7 terms).
            let z2 = z * z
            let S = 1 + z2 * (1.0 / 6 + z2 * (1.0 / 120 + z2 * (1.0 / 5040 + z2 * (1.0 / 362_880
                + z2 * (1.0 / 39_916_800 + z2 * (1.0 / 6_227_020_800))))))
            let dS = z * (1.0 / 3 + z2 * (1.0 / 30 + z2 * (1.0 / 840 + z2 * (1.0 / 45_360
                + z2 * (1.0 / 3_991_680 + z2 * (1.0 / 518_918_400))))))
            let mid = (a + b) / 2
            let e = Double.exp(-mid * s)
            let v = -s * e * S
            let dMid = -s * v
            let dDelta = -s * s * e * dS / 2
            let ds = -e * S * (1 - mid * s) - s * e * dS * delta / 2
            return (v, dMid / 2 - dDelta, dMid / 2 + dDelta, ds)
        }
        let ea = Double.exp(-a * s), eb = Double.exp(-b * s)
        let inverse = 1 / delta
        let v = (eb - ea) * inverse
        return (v, (v + s * ea) * inverse, (-s * eb - v) * inverse, (a * ea - b * eb) * inverse)
    }

    /// φ_s[a, b], or with `interval` > 0 the steady-state sum Φ_s[a, b] through the product rule
    /// for divided differences: Φ_s[a, b] = g_{s+II}[a, b]·r(b) + e^(−a·(s+II))·r[a, b], with
    /// r[a, b] = g_{II}[a, b]·r(a)·r(b). s + II must be ≥ 0.
    @inline(__always)
    static func dividedSum(_ a: Double, _ b: Double, _ s: Double, interval: Double)
        -> (value: Double, da: Double, db: Double, ds: Double) {
        if interval == 0 { return divided(a, b, s) }
        let s1 = s + interval
        let d1 = divided(a, b, s1), d2 = divided(a, b, interval)
        let (ra, dra) = accumulation(a, interval), (rb, drb) = accumulation(b, interval)
        let ea = Double.exp(-a * s1)
        let second = ea * d2.value * ra * rb
        let v = d1.value * rb + second
        let da = d1.da * rb - s1 * second + ea * (d2.da * ra + d2.value * dra) * rb
        let db = d1.db * rb + d1.value * drb + ea * ra * (d2.db * rb + d2.value * drb)
        let ds = d1.ds * rb - a * second
        return (v, da, db, ds)
    }
}
