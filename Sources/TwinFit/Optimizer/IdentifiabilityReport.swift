/// A direction in parameter space: a unit eigenvector of the information matrix, named by the
/// parameters that carry it.
public struct ParameterCombination: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One named component of the direction.
    public struct Term: Sendable, Hashable, Codable {
        /// The parameter's name (for example "log ka").
        public var name: String
        /// Its component in the unit direction.
        public var loading: Double
    }

    /// The information along this direction (the eigenvalue; 1/variance of the combination).
    public var eigenvalue: Double
    /// The unit direction, all n components, signed so that the first listed term is positive.
    public var loadings: [Double]
    /// The components above ``ParameterCombination/listingThreshold`` in magnitude, in parameter order.
    public var terms: [Term]

    /// Components at most this (0.1) in magnitude are left out of ``terms`` and the description.
    public static let listingThreshold = 0.1

    init(eigenvalue: Double, vector: [Double], names: [String]) {
        var v = vector
        if let first = v.firstIndex(where: { Swift.abs($0) > Self.listingThreshold }), v[first] < 0 {
            for k in v.indices { v[k] = -v[k] }
        }
        self.eigenvalue = eigenvalue
        self.loadings = v
        self.terms = v.indices.filter { Swift.abs(v[$0]) > Self.listingThreshold }.map { Term(name: names[$0], loading: v[$0]) }
    }

    /// For example "log ka − log ke (0.71, −0.70)".
    public var description: String {
        var text = ""
        for (k, term) in terms.enumerated() {
            let negative = term.loading < 0
            text += k == 0 ? (negative ? "−" : "") : (negative ? " − " : " + ")
            text += term.name
        }
        return text + " (" + terms.map { twoDecimals($0.loading) }.joined(separator: ", ") + ")"
    }
}

/// Whether the data determine every parameter, judged on the information matrix's spectrum.
///
/// - ``Status/singular``: λmin ≤ n·ε·λmax — numerically zero information along some direction;
/// - ``Status/illConditioned``: condition number λmax/λmin above the threshold (default 1/√ε ≈ 6.7e7);
/// - ``Status/identifiable``: otherwise.
public struct IdentifiabilityReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The verdict.
    public enum Status: String, Sendable, Hashable, Codable {
        case identifiable, illConditioned, singular
    }

    public var status: Status
    /// λmax/λmin of the information (+∞ when λmin ≤ 0).
    public var conditionNumber: Double
    /// The condition number above which the information counts as ill-conditioned.
    public var conditionThreshold: Double
    /// The directions the data cannot determine (λ ≤ λmax/threshold or numerically zero), weakest
    /// first; empty when identifiable.
    public var weakDirections: [ParameterCombination]

    /// Whether every parameter is determined.
    public var isIdentifiable: Bool { status == .identifiable }

    /// For example "not identifiable (condition number inf): the data cannot determine log a − log b (0.71, −0.71)".
    public var description: String {
        let kappa = conditionNumber.isFinite ? shortScientific(conditionNumber) : "∞"
        switch status {
        case .identifiable:
            return "identifiable (condition number \(kappa) ≤ \(shortScientific(conditionThreshold)))"
        case .illConditioned, .singular:
            let verdict = status == .singular ? "not identifiable (singular information" : "poorly identifiable (ill-conditioned information"
            let combos = weakDirections.map(\.description).joined(separator: "; ")
            return "\(verdict), condition number \(kappa)): the data cannot determine \(combos)"
        }
    }
}

/// "0.71", "−0.70": two decimals, U+2212 for the minus sign.
func twoDecimals(_ x: Double) -> String {
    let hundredths = Int((Swift.abs(x) * 100).rounded())
    let fraction = hundredths % 100
    let text = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    return x < 0 && hundredths > 0 ? "−" + text : text
}

/// "6.7e7"-style: one decimal of mantissa.
func shortScientific(_ x: Double) -> String {
    guard x > 0, x.isFinite else { return "\(x)" }
    var exponent = Int(x.exponent) * 30103 / 100000
    var mantissa = x / pow10(exponent)
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    var tenths = Int((mantissa * 10).rounded())
    if tenths >= 100 { tenths /= 10; exponent += 1 }
    return "\(tenths / 10).\(tenths % 10)e\(exponent)"
}

private func pow10(_ k: Int) -> Double {
    var result = 1.0
    for _ in 0..<Swift.abs(k) { result *= 10 }
    return k >= 0 ? result : 1 / result
}
