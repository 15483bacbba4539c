import RealModule

/// The between-patient variability of one physiological parameter.
///
/// ```
/// log-normal:  Pᵢ = P_typical · exp(ηᵢ),   ηᵢ ~ N(0, ω²)     the median is P_typical (as in NONMEM)
/// normal:      Pᵢ = P_typical + ηᵢ,        ηᵢ ~ N(0, sd²)    sd in the parameter's own unit
/// ```
///
/// A coefficient of variation CV of a log-normal parameter gives ω² = ln(1 + CV²).
///
/// ```swift
/// let cl = ParameterVariability.logNormal(cv: 0.3)       // .logNormal(omega: √ln 1.09 ≈ 0.2936)
/// let wt = ParameterVariability.normal(sd: 12)           // ± 12 kg
/// let v  = ParameterVariability.normalFractionOfTypical(0.1).resolved(typical: 35)   // .normal(sd: 3.5)
/// ```
public enum ParameterVariability: Sendable, Equatable {
    /// Log-normal: P = P_typical · exp(η), η ~ N(0, ω²). ω is the SD of η (dimensionless, ≥ 0).
    case logNormal(omega: Double)
    /// Normal: P = P_typical + η, η ~ N(0, sd²). `sd` is in the parameter's unit (≥ 0).
    case normal(sd: Double)
    /// Normal with SD = `fraction` · |P_typical| (`sd:WT=10%` is 0.1): resolved to ``normal(sd:)``
    /// once the typical value is known, by ``resolved(typical:)``.
    case normalFractionOfTypical(Double)

    /// Log-normal with coefficient of variation `cv` (0.3 for 30%): ω = √ln(1 + cv²).
    public static func logNormal(cv: Double) -> ParameterVariability {
        .logNormal(omega: Double.log(1 + cv * cv).squareRoot())
    }

    /// Whether the parameter varies multiplicatively (log-normal).
    public var isLogNormal: Bool {
        if case .logNormal = self { return true }
        return false
    }

    /// The same variability with a fraction of the typical value turned into an SD in the
    /// parameter's unit; the other cases are returned unchanged.
    ///
    /// - Parameter typical: the parameter's typical value, in its unit.
    public func resolved(typical: Double) -> ParameterVariability {
        if case let .normalFractionOfTypical(fraction) = self { return .normal(sd: fraction * Swift.abs(typical)) }
        return self
    }

    /// The SD of η: ω for log-normal (log scale), the SD in the parameter's unit for normal, the
    /// fraction for an unresolved ``normalFractionOfTypical(_:)``.
    public var spread: Double {
        switch self {
        case let .logNormal(omega): return omega
        case let .normal(sd): return sd
        case let .normalFractionOfTypical(fraction): return fraction
        }
    }
}

/// The between-patient variability of several parameters, as written on the command line.
///
/// Items are separated by commas; whitespace around them is ignored; names are matched
/// case-insensitively against the model's parameters later (by ``VirtualPopulation``):
///
/// ```
/// CL=30%          log-normal, coefficient of variation 30 %: ω² = ln(1 + 0.3²)
/// omega:CL=0.3    log-normal with ω = 0.3 (SD of η on the log scale)
/// sd:WT=12        normal with SD 12 in the parameter's unit
/// sd:WT=10%       normal with SD 10 % of the typical value
/// ```
///
/// ```swift
/// let spec = try VariabilitySpec(parsing: "CL=30%, V=20%, omega:ka=0.5, sd:tlag=0.1")
/// spec.entries.map(\.name)                  // ["CL", "V", "ka", "tlag"]
/// spec["cl"]                                // .logNormal(omega: 0.2935…)
/// ```
///
/// An empty (or all-blank) text means no variability.
public struct VariabilitySpec: Sendable, Equatable {
    /// One parameter's variability.
    public struct Entry: Sendable, Equatable {
        /// The parameter name as written.
        public let name: String
        /// Its variability.
        public let variability: ParameterVariability

        public init(name: String, variability: ParameterVariability) {
            self.name = name
            self.variability = variability
        }
    }

    /// The entries, in the order written; names are unique ignoring case.
    public let entries: [Entry]

    /// No variability.
    public init() { entries = [] }

    /// A specification from entries.
    ///
    /// - Throws: ``EnsembleError/invalidVariability(text:reason:)`` for a duplicate name (ignoring
    ///   case), a name that is not letters, digits and `_`, or a negative or non-finite spread.
    public init(_ entries: [(name: String, variability: ParameterVariability)]) throws(EnsembleError) {
        var seen: Set<String> = []
        var out: [Entry] = []
        for (name, variability) in entries {
            let text = "\(name)"
            guard PopulationText.isName(name) else {
                throw .invalidVariability(text: text, reason: "'\(name)' is not a parameter name (letters, digits and _)")
            }
            guard seen.insert(name.lowercased()).inserted else {
                throw .invalidVariability(text: text, reason: "parameter \(name) is given twice; give each parameter once")
            }
            let spread = variability.spread
            guard spread.isFinite, spread >= 0 else {
                throw .invalidVariability(text: text, reason: "the spread \(spread) of \(name) must be finite and ≥ 0")
            }
            out.append(Entry(name: name, variability: variability))
        }
        self.entries = out
    }

    /// Parses the command-line syntax (see the type's documentation).
    ///
    /// - Parameter text: comma-separated items; empty for no variability.
    /// - Throws: ``EnsembleError/invalidVariability(text:reason:)`` naming the item: a missing `=`,
    ///   an unknown prefix (accepted: none, `omega:`, `sd:`), a value that is not a number, a
    ///   negative or non-finite value, a log-normal value without `%` and without `omega:`
    ///   (ambiguous), `omega:` with a `%`, or a parameter given twice.
    public init(parsing text: String) throws(EnsembleError) {
        var parsed: [(name: String, variability: ParameterVariability)] = []
        var seen: Set<String> = []
        for item in PopulationText.items(text) {
            let entry = try Self.parseItem(item)
            guard seen.insert(entry.name.lowercased()).inserted else {
                throw .invalidVariability(text: item, reason: "parameter \(entry.name) is given twice; give each parameter once")
            }
            parsed.append(entry)
        }
        try self.init(parsed)
    }

    /// The variability of the parameter called `name` (case-insensitive), or nil.
    public subscript(name: String) -> ParameterVariability? {
        let lower = name.lowercased()
        return entries.first { $0.name.lowercased() == lower }?.variability
    }

    /// Whether no parameter varies.
    public var isEmpty: Bool { entries.isEmpty }

    private static func parseItem(_ item: String) throws(EnsembleError) -> (name: String, variability: ParameterVariability) {
        guard let equals = item.firstIndex(of: "=") else {
            throw .invalidVariability(text: item, reason: "missing '=' between the parameter name and its value")
        }
        var left = PopulationText.trimmed(item[..<equals])
        let right = PopulationText.trimmed(item[item.index(after: equals)...])
        var prefix = ""
        if let colon = left.firstIndex(of: ":") {
            prefix = PopulationText.trimmed(left[..<colon]).lowercased()
            left = PopulationText.trimmed(left[left.index(after: colon)...])
        }
        let name = left
        guard PopulationText.isName(name) else {
            throw .invalidVariability(text: item, reason: name.isEmpty
                ? "the parameter name is missing before '='"
                : "'\(name)' is not a parameter name (letters, digits and _)")
        }
        guard !right.isEmpty else {
            throw .invalidVariability(text: item, reason: "the value after '=' is missing")
        }
        guard let parsed = PopulationText.numberOrPercent(right) else {
            throw .invalidVariability(text: item, reason: "'\(right)' is not a number")
        }
        let (value, isPercent) = parsed
        guard value.isFinite else {
            throw .invalidVariability(text: item, reason: "the value \(right) is not finite")
        }
        guard value >= 0 else {
            throw .invalidVariability(text: item, reason: "the value \(right) is negative; a spread must be ≥ 0")
        }
        switch prefix {
        case "":
            guard isPercent else {
                throw .invalidVariability(text: item, reason: "'\(right)' is ambiguous: write \(name)=\(right)% for a coefficient of variation or omega:\(name)=\(right) for ω")
            }
            return (name, .logNormal(cv: value / 100))
        case "omega":
            guard !isPercent else {
                throw .invalidVariability(text: item, reason: "omega: takes ω on the log scale, not a percentage; write \(name)=\(right) for a coefficient of variation")
            }
            return (name, .logNormal(omega: value))
        case "sd":
            return (name, isPercent ? .normalFractionOfTypical(value / 100) : .normal(sd: value))
        default:
            throw .invalidVariability(text: item, reason: "unknown prefix '\(prefix):'")
        }
    }
}
