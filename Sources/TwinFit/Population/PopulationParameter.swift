/// How a parameter varies between subjects: the scale its random effect η is added on.
///
/// | scale | individual value | transform |
/// |---|---|---|
/// | ``exponential`` | θ·e^η | log |
/// | ``additive`` | θ + η | identity |
/// | ``logit`` | logit⁻¹(logit θ + η) on (lower, upper) | logit |
/// | ``none`` | θ (no random effect) | — |
public enum RandomEffectScale: String, Sendable, Hashable, Codable, CaseIterable {
    case none, exponential, additive, logit
}

/// One parameter of a population model: its typical value θ (for the reference covariates),
/// whether θ was fixed in the population fit, its unit and its random effect.
///
/// The name is a model parameter (CL, V1 …) or an auxiliary parameter that only feeds a
/// ``DerivedParameter`` (ke in V = CL/ke).
///
/// ```swift
/// let cl = PopulationParameter(name: "CL", typical: 4.5, unit: "L/h", randomEffect: .exponential)
/// ```
public struct PopulationParameter: Sendable, Hashable, Codable {
    /// The parameter's name (a model parameter's spelling, or an auxiliary name).
    public var name: String
    /// θ, natural scale, in `unit`.
    public var typical: Double
    /// The unit of θ (L/h, L, 1/h …).
    public var unit: String
    /// Whether θ was fixed (not estimated) in the population fit.
    public var fixed: Bool
    /// The random effect's scale, ``RandomEffectScale/none`` without one.
    public var randomEffect: RandomEffectScale
    /// Bounds of a ``RandomEffectScale/logit`` parameter (default 0 and 1).
    public var lower: Double?
    public var upper: Double?

    public init(name: String, typical: Double, unit: String, fixed: Bool = false,
                randomEffect: RandomEffectScale = .none, lower: Double? = nil, upper: Double? = nil) {
        self.name = name
        self.typical = typical
        self.unit = unit
        self.fixed = fixed
        self.randomEffect = randomEffect
        self.lower = lower
        self.upper = upper
    }

    enum CodingKeys: String, CodingKey { case name, typical, unit, fixed, randomEffect, lower, upper }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        typical = try c.decode(Double.self, forKey: .typical)
        unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
        fixed = try c.decodeIfPresent(Bool.self, forKey: .fixed) ?? false
        randomEffect = try c.decodeIfPresent(RandomEffectScale.self, forKey: .randomEffect) ?? .none
        lower = try c.decodeIfPresent(Double.self, forKey: .lower)
        upper = try c.decodeIfPresent(Double.self, forKey: .upper)
    }

    /// The transform the random effect lives on (log, identity, logit), nil without one.
    public var transform: ParameterTransform? {
        switch randomEffect {
        case .none: nil
        case .exponential: .log
        case .additive: .identity
        case .logit: .logit(lower: lower ?? 0, upper: upper ?? 1)
        }
    }
}

/// A model parameter computed from population parameters rather than estimated itself, as a
/// small explicit relation (no expression evaluator).
///
/// ```swift
/// // Pinheiro & Bates' Theophylline model in (ke, ka, CL): V = CL/ke
/// let v = DerivedParameter(parameter: "V", relation: .quotient(numerator: "CL", denominator: "ke"))
/// ```
public struct DerivedParameter: Sendable, Hashable, Codable {
    /// The relation.
    public enum Relation: Sendable, Hashable {
        /// target = numerator / denominator (V = CL/ke).
        case quotient(numerator: String, denominator: String)
        /// target = first · second (CL = ke·V).
        case product(String, String)

        /// The population parameters the relation reads.
        public var inputs: [String] {
            switch self {
            case .quotient(let n, let d): [n, d]
            case .product(let a, let b): [a, b]
            }
        }

        /// The value from the inputs' values (in the order of ``inputs``).
        public func value(_ x: [Double]) -> Double {
            switch self {
            case .quotient: x[0] / x[1]
            case .product: x[0] * x[1]
            }
        }

        /// d log(target)/d log(input) for each input: +1/−1 (the relation is linear in logs).
        public var logExponents: [Double] {
            switch self {
            case .quotient: [1, -1]
            case .product: [1, 1]
            }
        }
    }

    /// The model parameter computed (model spelling).
    public var parameter: String
    /// How.
    public var relation: Relation

    public init(parameter: String, relation: Relation) {
        self.parameter = parameter
        self.relation = relation
    }

    enum CodingKeys: String, CodingKey { case parameter, relation, numerator, denominator, factors }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parameter = try c.decode(String.self, forKey: .parameter)
        let kind = try c.decode(String.self, forKey: .relation)
        switch kind {
        case "quotient":
            relation = .quotient(numerator: try c.decode(String.self, forKey: .numerator),
                                 denominator: try c.decode(String.self, forKey: .denominator))
        case "product":
            let f = try c.decode([String].self, forKey: .factors)
            guard f.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .factors, in: c, debugDescription: "a product names exactly 2 factors")
            }
            relation = .product(f[0], f[1])
        default:
            throw DecodingError.dataCorruptedError(forKey: .relation, in: c,
                                                   debugDescription: "unknown relation \"\(kind)\"; known: quotient, product")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameter, forKey: .parameter)
        switch relation {
        case .quotient(let n, let d):
            try c.encode("quotient", forKey: .relation)
            try c.encode(n, forKey: .numerator)
            try c.encode(d, forKey: .denominator)
        case .product(let a, let b):
            try c.encode("product", forKey: .relation)
            try c.encode([a, b], forKey: .factors)
        }
    }
}
