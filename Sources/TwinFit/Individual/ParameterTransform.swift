import RealModule

/// The scale on which a fit moves a parameter: estimates live in an unbounded space and map back
/// to the parameter's natural range.
///
/// | transform | natural value x from estimate u | for |
/// |---|---|---|
/// | ``identity`` | x = u | unbounded parameters |
/// | ``log`` | x = eᵘ | positive parameters (rates, clearances, volumes) |
/// | ``logit(lower:upper:)`` | x = l + (h − l)/(1 + e⁻ᵘ) | bounded ones (bioavailability in (0, 1)) |
///
/// A random effect on the transformed scale is the population model's "exponential" (log),
/// "additive" (identity) or "logit" random effect.
///
/// ```swift
/// let t = ParameterTransform.log
/// t.natural(from: t.transformed(from: 2.8))   // 2.8 L/h
/// ```
public enum ParameterTransform: Sendable, Hashable, Codable {
    /// x = u.
    case identity
    /// x = eᵘ, x > 0.
    case log
    /// x = lower + (upper − lower)·σ(u), lower < x < upper.
    case logit(lower: Double, upper: Double)

    /// The natural value for estimate `u`.
    @inlinable
    public func natural(from u: Double) -> Double {
        switch self {
        case .identity: return u
        case .log: return Double.exp(u)
        case .logit(let l, let h): return l + (h - l) / (1 + Double.exp(-u))
        }
    }

    /// dx/du at estimate `u`.
    @inlinable
    public func derivative(at u: Double) -> Double {
        switch self {
        case .identity: return 1
        case .log: return Double.exp(u)
        case .logit(let l, let h):
            let s = 1 / (1 + Double.exp(-u))
            return (h - l) * s * (1 - s)
        }
    }

    /// The estimate for natural value `x`, or nil when `x` lies outside the transform's range.
    public func transformed(from x: Double) -> Double? {
        guard x.isFinite else { return nil }
        switch self {
        case .identity: return x
        case .log: return x > 0 ? Double.log(x) : nil
        case .logit(let l, let h):
            guard x > l, x < h else { return nil }
            let s = (x - l) / (h - l)
            return Double.log(s / (1 - s))
        }
    }

    /// The short name used in files ("identity", "log", "logit").
    public var kind: String {
        switch self {
        case .identity: "identity"
        case .log: "log"
        case .logit: "logit"
        }
    }
}
