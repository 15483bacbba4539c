/// The residual error model of one model output, with its σ's as standard deviations (a in the
/// output's unit, b a fraction, σ on the log scale for exponential).
///
/// ```swift
/// let e = OutputErrorModel(output: "C", unit: "mg/L", model: .combined(additive: 3.4, proportional: 0.227))
/// ```
public struct OutputErrorModel: Sendable, Hashable, Codable {
    /// The model output (C …).
    public var output: String
    /// The output's unit (mg/L).
    public var unit: String
    /// The error model and its standard deviations.
    public var model: ResidualErrorModel
    /// Whether the σ's were fixed in the population fit.
    public var fixed: Bool

    public init(output: String, unit: String, model: ResidualErrorModel, fixed: Bool = false) {
        self.output = output
        self.unit = unit
        self.model = model
        self.fixed = fixed
    }

    enum CodingKeys: String, CodingKey { case output, unit, type, additive, proportional, sigma, fixed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        output = try c.decode(String.self, forKey: .output)
        unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
        fixed = try c.decodeIfPresent(Bool.self, forKey: .fixed) ?? false
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "additive": model = .additive(try c.decode(Double.self, forKey: .additive))
        case "proportional": model = .proportional(try c.decode(Double.self, forKey: .proportional))
        case "combined": model = .combined(additive: try c.decode(Double.self, forKey: .additive),
                                           proportional: try c.decode(Double.self, forKey: .proportional))
        case "exponential": model = .exponential(try c.decode(Double.self, forKey: .sigma))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                                                   debugDescription: "unknown error model \"\(type)\"; known: additive, proportional, combined, exponential")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(output, forKey: .output)
        try c.encode(unit, forKey: .unit)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(model.kind, forKey: .type)
        switch model {
        case .additive(let a): try c.encode(a, forKey: .additive)
        case .proportional(let b): try c.encode(b, forKey: .proportional)
        case .combined(let a, let b): try c.encode(a, forKey: .additive); try c.encode(b, forKey: .proportional)
        case .exponential(let s): try c.encode(s, forKey: .sigma)
        }
    }
}
