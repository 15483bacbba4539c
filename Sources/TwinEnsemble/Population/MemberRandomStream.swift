import RealModule

/// The random stream of one member of a virtual population, derived from (seed, member index)
/// only, so that member i draws the same numbers whatever the thread count or the order in which
/// members are computed.
///
/// The generator is SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter advanced by the
/// golden gamma γ = 0x9E3779B97F4A7C15 and passed through a finaliser (Stafford's "variant 13"
/// of the MurmurHash3 mixer). Its starting state is
///
/// ```
/// state₀ = mix( mix(seed) ⊕ (member · γ) )       (· and + wrap modulo 2⁶⁴)
/// ```
///
/// where `mix` is the finaliser. γ is odd, so `member · γ` differs for every index, and `mix` is
/// a bijection: different members (or seeds) start at different, well-scattered points of the
/// generator's single cycle of length 2⁶⁴. N members drawing L numbers each overlap with
/// probability about N²·L / 2⁶⁴ (10⁻⁶ for a million members drawing a hundred numbers).
///
/// ```swift
/// var stream = MemberRandomStream(seed: 42, member: 7)
/// let u = stream.uniform()           // in (0, 1)
/// let z = stream.standardNormal()    // N(0, 1)
/// ```
///
/// References: Steele GL, Lea D, Flood CH (2014) Fast splittable pseudorandom number generators.
/// OOPSLA 2014, 453–472. Wichura MJ (1988) Algorithm AS 241: The percentage points of the normal
/// distribution. Applied Statistics 37(3):477–484.
public struct MemberRandomStream: RandomNumberGenerator, Sendable {
    /// SplitMix64's increment, ⌊2⁶⁴/φ⌋ made odd.
    static let goldenGamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator's counter.
    private var state: UInt64

    /// The stream of member `member` under `seed`.
    ///
    /// - Parameters:
    ///   - seed: the run's seed; any value.
    ///   - member: the member's index in the population (0-based; any value is accepted).
    public init(seed: UInt64, member: Int) {
        let index = UInt64(truncatingIfNeeded: member)
        state = Self.mix(Self.mix(seed) ^ (index &* Self.goldenGamma))
    }

    /// SplitMix64's finaliser: a bijection of UInt64 that scatters nearby inputs.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= Self.goldenGamma
        return Self.mix(state)
    }

    /// A uniform number in the open interval (0, 1): the top 53 bits of ``next()`` scaled by 2⁻⁵³,
    /// drawn again in the rare case (probability 2⁻⁵³) that they are all zero. The values lie in
    /// [2⁻⁵³, 1 − 2⁻⁵³].
    public mutating func uniform() -> Double {
        while true {
            let bits = next() >> 11
            if bits != 0 { return Double(bits) * 0x1p-53 }
        }
    }

    /// A standard normal number, N(0, 1): ``inverseNormalCDF(_:)`` of one ``uniform()``, so each
    /// normal draw uses exactly one 64-bit output (which keeps the draw order easy to document).
    /// The values lie within ±8.3.
    public mutating func standardNormal() -> Double {
        Self.inverseNormalCDF(uniform())
    }

    /// Φ⁻¹(p), the quantile function of the standard normal distribution, by Wichura's
    /// Algorithm AS 241 (PPND16): rational approximations of degree 7 in three regions,
    /// relative error about 1e-16.
    ///
    /// ```
    /// |p − ½| ≤ 0.425:   q·A(r)/B(r),   q = p − ½, r = 0.180625 − q²
    /// otherwise:          r = √(−ln min(p, 1−p));  C(r−1.6)/D(r−1.6) for r ≤ 5, E(r−5)/F(r−5) beyond,
    ///                     with the sign of q
    /// ```
    ///
    /// ```swift
    /// MemberRandomStream.inverseNormalCDF(0.975)   // 1.959963984540054
    /// ```
    ///
    /// - Parameter p: a probability; −∞ at 0, +∞ at 1, NaN outside [0, 1] or for NaN.
    ///
    /// Reference: Wichura MJ (1988) Algorithm AS 241: The percentage points of the normal
    /// distribution. Applied Statistics 37(3):477–484 (the coefficients are those of PPND16).
    public static func inverseNormalCDF(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if Swift.abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = ((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                + 1.3314166789178437745e2) * r + 3.3871328727963666080e0
            let den = ((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                + 4.2313330701600911252e1) * r + 1
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-Double.log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            let num = ((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                + 4.63033784615654529590e0) * r + 1.42343711074968357734e0
            let den = ((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                + 2.05319162663775882187e0) * r + 1
            value = num / den
        } else {
            r -= 5
            let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                + 5.46378491116411436990e0) * r + 6.65790464350110377720e0
            let den = ((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                + 5.99832206555887937690e-1) * r + 1
            value = num / den
        }
        return q < 0 ? -value : value
    }
}
