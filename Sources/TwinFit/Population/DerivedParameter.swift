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
