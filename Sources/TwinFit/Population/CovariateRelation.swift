import RealModule

/// How a covariate moves a population parameter's typical value: one explicit, typed relation
/// applied as a factor on θ.
///
/// | effect | factor on θ |
/// |---|---|
/// | ``Effect/power(reference:exponent:)`` | (COV/ref)^exponent |
/// | ``Effect/exponential(reference:coefficient:)`` | e^(k·(COV − ref)) |
/// | ``Effect/linear(reference:slope:)`` | 1 + slope·(COV − ref) |
/// | ``Effect/categorical(factor:)`` | factor^COV, COV ∈ {0, 1} (e.g. dialysis ×0.7) |
///
/// ```swift
/// // Goti 2018: CL = 4.5·(CRCL/120)^0.8 L/h
/// let r = CovariateRelation(parameter: "CL", covariate: "CRCL", unit: "mL/min",
///                           effect: .power(reference: 120, exponent: 0.8))
/// r.effect.factor(60)   // (60/120)^0.8 ≈ 0.574
/// ```
public struct CovariateRelation: Sendable, Hashable, Codable {
    /// The relation's shape and coefficients.
    public enum Effect: Sendable, Hashable {
        case power(reference: Double, exponent: Double)
        case exponential(reference: Double, coefficient: Double)
        case linear(reference: Double, slope: Double)
        case categorical(factor: Double)

        /// The factor on θ for covariate value `x` (in the relation's unit); nil where the
        /// relation does not admit `x` (a non-positive ratio in a power, a category not 0/1, a
        /// non-positive linear factor).
        public func factor(_ x: Double) -> Double? {
            guard x.isFinite else { return nil }
            let f: Double
            switch self {
            case .power(let ref, let e):
                guard x > 0 || (x == 0 && e > 0) else { return nil }
                f = Double.pow(x / ref, e)
            case .exponential(let ref, let k): f = Double.exp(k * (x - ref))
            case .linear(let ref, let s): f = 1 + s * (x - ref)
            case .categorical(let factor):
                guard x == 0 || x == 1 else { return nil }
                f = x == 1 ? factor : 1
            }
            return f.isFinite && f > 0 ? f : nil
        }

        var name: String {
            switch self {
            case .power: "power"
            case .exponential: "exponential"
            case .linear: "linear"
            case .categorical: "categorical"
            }
        }
    }

    /// The population parameter it acts on.
    public var parameter: String
    /// The covariate's column name (WT, CRCL, DIAL …), as in ``TwinData/CovariateName``.
    public var covariate: String
    /// The unit the coefficients assume (kg, mL/min); nil for a code (0/1) or a count.
    public var unit: String?
    /// The effect.
    public var effect: Effect
    /// Whether its coefficient was fixed in the population fit (allometric exponent 1, …).
    public var fixed: Bool

    public init(parameter: String, covariate: String, unit: String? = nil, effect: Effect, fixed: Bool = false) {
        self.parameter = parameter
        self.covariate = covariate
        self.unit = unit
        self.effect = effect
        self.fixed = fixed
    }

    enum CodingKeys: String, CodingKey { case parameter, covariate, unit, relation, reference, exponent, coefficient, slope, factor, fixed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parameter = try c.decode(String.self, forKey: .parameter)
        covariate = try c.decode(String.self, forKey: .covariate).uppercased()
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        fixed = try c.decodeIfPresent(Bool.self, forKey: .fixed) ?? false
        let kind = try c.decode(String.self, forKey: .relation)
        switch kind {
        case "power": effect = .power(reference: try c.decode(Double.self, forKey: .reference), exponent: try c.decode(Double.self, forKey: .exponent))
        case "exponential": effect = .exponential(reference: try c.decode(Double.self, forKey: .reference), coefficient: try c.decode(Double.self, forKey: .coefficient))
        case "linear": effect = .linear(reference: try c.decode(Double.self, forKey: .reference), slope: try c.decode(Double.self, forKey: .slope))
        case "categorical": effect = .categorical(factor: try c.decode(Double.self, forKey: .factor))
        default:
            throw DecodingError.dataCorruptedError(forKey: .relation, in: c,
                                                   debugDescription: "unknown relation \"\(kind)\"; known: power, exponential, linear, categorical")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameter, forKey: .parameter)
        try c.encode(covariate, forKey: .covariate)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(effect.name, forKey: .relation)
        switch effect {
        case .power(let r, let e): try c.encode(r, forKey: .reference); try c.encode(e, forKey: .exponent)
        case .exponential(let r, let k): try c.encode(r, forKey: .reference); try c.encode(k, forKey: .coefficient)
        case .linear(let r, let s): try c.encode(r, forKey: .reference); try c.encode(s, forKey: .slope)
        case .categorical(let f): try c.encode(f, forKey: .factor)
        }
    }
}
