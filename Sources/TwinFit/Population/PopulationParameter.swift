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
