import RealModule
import TwinData

/// A distribution of one covariate across a virtual population: normal or log-normal,
/// truncated to [lower, upper].
///
/// Truncation is by rejection: a draw outside the bounds is drawn again with the member's
/// stream, at most ``maximumAttempts`` times; if every attempt falls outside (the bounds hold
/// almost none of the distribution), the last draw is clamped to the nearer bound.
///
/// ```swift
/// let weight = try CovariateDistribution(name: "WT", unit: .kilogram,
///                                        shape: .normal(mean: 70, sd: 12), lower: 40, upper: 150)
/// var stream = MemberRandomStream(seed: 1, member: 0)
/// let kg = weight.draw(using: &stream)       // in [40, 150]
/// ```
public struct CovariateDistribution: Sendable, Equatable {
    /// The shape of the untruncated distribution, in ``CovariateDistribution/unit``.
    public enum Shape: Sendable, Equatable {
        /// Normal with this mean and SD (SD ≥ 0).
        case normal(mean: Double, sd: Double)
        /// Log-normal with this median (> 0) and coefficient of variation (a fraction ≥ 0;
        /// 0.25 for 25 %): value = median · exp(ω·z), ω = √ln(1 + cv²).
        case logNormal(median: Double, cv: Double)
    }

    /// Draws outside the bounds are repeated at most this many times before clamping.
    public static let maximumAttempts = 100

    /// The covariate name, upper case (the NONMEM column name: WT, AGE, CRCL …).
    public let name: String
    /// The unit of the values (and of ``shape``'s parameters and the bounds), or nil for a code.
    public let unit: MeasurementUnit?
    /// The untruncated distribution.
    public let shape: Shape
    /// The lowest value a member can have (−∞ for none), in ``unit``.
    public let lower: Double
    /// The highest value a member can have (+∞ for none), in ``unit``.
    public let upper: Double

    /// A truncated distribution. `name` is upper-cased.
    ///
    /// - Parameters:
    ///   - name: the covariate name (letters, digits, `_`).
    ///   - unit: the unit of every number given here; nil for a code or a count.
    ///   - shape: the untruncated distribution.
    ///   - lower: the lowest admitted value (default −∞; use 0 or above for log-normal).
    ///   - upper: the highest admitted value (default +∞).
    /// - Throws: ``EnsembleError/invalidCovariate(text:reason:)`` for a bad name, a non-finite
    ///   mean or median, a negative or non-finite SD or CV, a median ≤ 0, NaN bounds, lower > upper,
    ///   or bounds that exclude the whole support of a log-normal (upper ≤ 0).
    public init(name: String, unit: MeasurementUnit? = nil, shape: Shape,
                lower: Double = -.infinity, upper: Double = .infinity) throws(EnsembleError) {
        let text = name
        guard PopulationText.isName(name) else {
            throw .invalidCovariate(text: text, reason: "'\(name)' is not a covariate name (letters, digits and _)")
        }
        switch shape {
        case let .normal(mean, sd):
            guard mean.isFinite else { throw .invalidCovariate(text: text, reason: "the mean \(mean) is not finite") }
            guard sd.isFinite, sd >= 0 else { throw .invalidCovariate(text: text, reason: "the SD \(sd) must be finite and ≥ 0") }
        case let .logNormal(median, cv):
            guard median.isFinite, median > 0 else { throw .invalidCovariate(text: text, reason: "the median \(median) of a log-normal must be finite and > 0") }
            guard cv.isFinite, cv >= 0 else { throw .invalidCovariate(text: text, reason: "the coefficient of variation \(cv) must be finite and ≥ 0") }
            guard upper > 0 else { throw .invalidCovariate(text: text, reason: "the upper bound \(upper) excludes every value of a log-normal (all > 0)") }
        }
        guard !lower.isNaN, !upper.isNaN else { throw .invalidCovariate(text: text, reason: "a bound is NaN") }
        guard lower <= upper else {
            throw .invalidCovariate(text: text, reason: "the lower bound \(lower) is above the upper bound \(upper); write [lower,upper]")
        }
        self.name = name.uppercased()
        self.unit = unit
        self.shape = shape
        self.lower = lower
        self.upper = upper
    }

    /// One value: draws from ``shape`` (one standard normal per attempt) until it falls in
    /// [lower, upper], at most ``maximumAttempts`` times, then clamps the last draw.
    public func draw(using stream: inout MemberRandomStream) -> Double {
        var value = 0.0
        for _ in 0..<Self.maximumAttempts {
            let z = stream.standardNormal()
            switch shape {
            case let .normal(mean, sd): value = mean + sd * z
            case let .logNormal(median, cv): value = median * Double.exp(Double.log(1 + cv * cv).squareRoot() * z)
            }
            if value >= lower && value <= upper { return value }
        }
        return Swift.min(Swift.max(value, lower), upper)
    }

    /// Parses one item of the command-line syntax (see ``CovariateSource/init(parsing:)``);
    /// numbers are converted to the covariate's storage unit.
    static func parse(_ item: String) throws(EnsembleError) -> CovariateDistribution {
        guard let tilde = item.firstIndex(of: "~") else {
            throw .invalidCovariate(text: item, reason: "missing '~' between the covariate name and its distribution")
        }
        let name = PopulationText.trimmed(item[..<tilde]).uppercased()
        guard PopulationText.isName(name) else {
            throw .invalidCovariate(text: item, reason: name.isEmpty ? "the covariate name is missing before '~'" : "'\(name)' is not a covariate name (letters, digits and _)")
        }
        let rest = PopulationText.trimmed(item[item.index(after: tilde)...])
        guard let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")"), open < close else {
            throw .invalidCovariate(text: item, reason: "expected N(mean,sd) or LN(median,cv%) after '~'")
        }
        let family = PopulationText.trimmed(rest[..<open]).uppercased()
        let arguments = rest[rest.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false)
        guard arguments.count == 2 else {
            throw .invalidCovariate(text: item, reason: "\(family)(…) takes two numbers separated by a comma, found \(arguments.count)")
        }
        guard let first = PopulationText.number(arguments[0]) else {
            throw .invalidCovariate(text: item, reason: "'\(PopulationText.trimmed(arguments[0]))' is not a number")
        }
        guard let second = PopulationText.numberOrPercent(arguments[1]) else {
            throw .invalidCovariate(text: item, reason: "'\(PopulationText.trimmed(arguments[1]))' is not a number")
        }

        var tail = PopulationText.trimmed(rest[rest.index(after: close)...])
        var lower: Double?
        var upper: Double?
        if tail.hasPrefix("[") {
            guard let end = tail.firstIndex(of: "]") else {
                throw .invalidCovariate(text: item, reason: "the bounds '[' are not closed with ']'")
            }
            let bounds = tail[tail.index(after: tail.startIndex)..<end].split(separator: ",", omittingEmptySubsequences: false)
            guard bounds.count == 2 else {
                throw .invalidCovariate(text: item, reason: "the bounds take two numbers [lower,upper], found \(bounds.count)")
            }
            guard let lo = PopulationText.number(bounds[0]), let hi = PopulationText.number(bounds[1]) else {
                throw .invalidCovariate(text: item, reason: "the bounds '\(tail[...end])' are not two numbers")
            }
            (lower, upper) = (lo, hi)
            tail = PopulationText.trimmed(tail[tail.index(after: end)...])
        }

        // The unit: numbers are converted to the covariate's storage unit (WT in kg, AGE in years …).
        var unit = CovariateName.storageUnit(for: name)
        var factor = 1.0
        if !tail.isEmpty {
            guard let written = MeasurementUnit.lookup(tail) else {
                throw .invalidCovariate(text: item, reason: "unknown unit '\(tail)'; use a unit such as kg, cm, years, mL/min, mg/dL (or none)")
            }
            let storage = CovariateName.storageUnit(for: name, measuredIn: written)
            guard let f = written.factor(to: storage) else {
                throw .invalidCovariate(text: item, reason: "the unit '\(tail)' cannot be converted to \(storage.symbol), the unit \(name) is stored in")
            }
            unit = storage
            factor = f
        }

        let shape: Shape
        switch family {
        case "N":
            guard !second.isPercent else {
                throw .invalidCovariate(text: item, reason: "N(mean,sd) takes an SD in the covariate's unit, not a percentage")
            }
            shape = .normal(mean: first * factor, sd: second.value * factor)
        case "LN":
            shape = .logNormal(median: first * factor, cv: second.isPercent ? second.value / 100 : second.value)
        default:
            throw .invalidCovariate(text: item, reason: "unknown distribution '\(family)'; use N (normal) or LN (log-normal)")
        }
        let defaultLower: Double = family == "LN" ? 0 : -.infinity
        return try CovariateDistribution(name: name, unit: unit, shape: shape,
                                         lower: (lower ?? defaultLower) * factor, upper: (upper ?? .infinity) * factor)
    }
}

/// Where the covariates of a virtual population's members come from.
///
/// ```swift
/// let none = CovariateSource.none
/// let real = try CovariateSource(cohort: cohort)     // member i takes record i mod count
/// let drawn = try CovariateSource(parsing: "WT~N(70,12)[40,150] kg, AGE~N(50,15)[18,90] years")
/// ```
public enum CovariateSource: Sendable, Equatable {
    /// No covariates: every member has the typical parameters before random effects.
    case none
    /// Covariates of real patients: member i takes entry i mod count (an empty list gives none).
    case cohort([[String: Covariate]])
    /// Covariates drawn independently from truncated distributions, in this order, with the
    /// member's stream.
    case drawn([CovariateDistribution])

    /// The covariates of a cohort's records, in record order.
    ///
    /// - Throws: ``EnsembleError/invalidCovariate(text:reason:)`` when the cohort is empty.
    public init(cohort: Cohort) throws(EnsembleError) {
        guard !cohort.records.isEmpty else {
            throw .invalidCovariate(text: "cohort", reason: "the cohort has no records; give a file with at least one subject")
        }
        self = .cohort(cohort.records.map(\.covariates))
    }

    /// Parses drawn covariates written as comma-separated items
    ///
    /// ```
    /// NAME~N(mean,sd)[lower,upper] unit       normal, truncated to [lower, upper]
    /// NAME~LN(median,cv%)[lower,upper] unit   log-normal; cv as a percentage (25%) or a fraction (0.25)
    /// ```
    ///
    /// e.g. `WT~N(70,12)[40,150] kg, AGE~N(50,15)[18,90] years`. The bounds are optional (none for
    /// a normal, [0, ∞) for a log-normal) and so is the unit (default: the well-known unit of the
    /// name, WT kg, AGE years, HT cm, CRCL mL/min, SCR mg/dL, else none). Numbers written in
    /// another unit of the same dimension are converted to that storage unit (`WT~N(154,26) lb`
    /// draws kilograms). Names are upper-cased. Empty text gives ``none``.
    ///
    /// - Throws: ``EnsembleError/invalidCovariate(text:reason:)`` naming the item: a missing `~`,
    ///   an unknown distribution, the wrong number of arguments or bounds, a value that is not a
    ///   number, an unknown unit, an invalid distribution (see
    ///   ``CovariateDistribution/init(name:unit:shape:lower:upper:)``), a covariate given twice.
    public init(parsing text: String) throws(EnsembleError) {
        var distributions: [CovariateDistribution] = []
        for item in PopulationText.items(text) {
            let distribution = try CovariateDistribution.parse(item)
            guard !distributions.contains(where: { $0.name == distribution.name }) else {
                throw .invalidCovariate(text: item, reason: "covariate \(distribution.name) is given twice; give each covariate once")
            }
            distributions.append(distribution)
        }
        self = distributions.isEmpty ? .none : .drawn(distributions)
    }

    /// The covariates of member `index`. Drawn covariates consume `stream` (in the listed order);
    /// the other sources leave it untouched.
    public func covariates(forMember index: Int, using stream: inout MemberRandomStream) -> [String: Covariate] {
        switch self {
        case .none:
            return [:]
        case let .cohort(entries):
            guard !entries.isEmpty else { return [:] }
            let n = entries.count
            return entries[((index % n) + n) % n]
        case let .drawn(distributions):
            var out: [String: Covariate] = [:]
            for distribution in distributions {
                out[distribution.name] = Covariate(value: distribution.draw(using: &stream), unit: distribution.unit)
            }
            return out
        }
    }

    /// Whether members get no covariates at all.
    public var isEmpty: Bool {
        switch self {
        case .none: return true
        case let .cohort(entries): return entries.allSatisfy(\.isEmpty)
        case let .drawn(distributions): return distributions.isEmpty
        }
    }
}
