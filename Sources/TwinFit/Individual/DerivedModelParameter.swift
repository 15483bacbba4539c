import RealModule

/// A model parameter computed from estimated ones instead of being estimated or held itself:
///
///     x_target = factor · Π x_nameᵖᵒʷᵉʳ
///
/// — the parameterisations population models use, such as the one-compartment model written in
/// (ka, CL, ke) with ke held: V = CL/ke is `DerivedModelParameter(target: "V", factor: 1 / ke,
/// powers: ["CL": 1])` (Pinheiro & Bates 2000, §6.2, `fm3Theo`). The fit differentiates through
/// it: ∂x_target/∂x_name = power · x_target / x_name.
///
/// ```swift
/// var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL"])
/// spec.derived = [DerivedModelParameter(target: "V", factor: 1 / 0.0859, powers: ["CL": 1])]   // ke = 0.0859 1/h
/// ```
public struct DerivedModelParameter: Sendable, Hashable, Codable {
    /// The model parameter computed (not estimated, not fixed).
    public var target: String
    /// The constant factor (units make x_target's unit).
    public var factor: Double
    /// Exponents of estimated parameters, by name.
    public var powers: [String: Double]

    public init(target: String, factor: Double, powers: [String: Double]) {
        self.target = target
        self.factor = factor
        self.powers = powers
    }
}

/// A derived parameter resolved against a specification: the target's model index and, per
/// term, the estimated column and its exponent.
struct ResolvedDerivedParameter: Sendable, Hashable {
    var target: Int
    var factor: Double
    var terms: [(column: Int, power: Double)]

    static func == (a: Self, b: Self) -> Bool {
        a.target == b.target && a.factor == b.factor && a.terms.map(\.column) == b.terms.map(\.column) && a.terms.map(\.power) == b.terms.map(\.power)
    }
    func hash(into hasher: inout Hasher) { hasher.combine(target); hasher.combine(factor) }

    /// x_target from the natural values of the estimated parameters (`estimated[c]`).
    func value(estimated: (Int) -> Double) -> Double {
        var x = factor
        for term in terms { x *= term.power == 1 ? estimated(term.column) : Double.pow(estimated(term.column), term.power) }
        return x
    }
}
