/// A unit of measurement: its symbol, its dimension, and the factor that converts a value in it
/// to the dimension's canonical unit (`canonical = value × factor`).
///
/// Parse a spelling with ``parse(_:location:)``, which accepts the common variants (`mcg`, `ug`,
/// `µg` with either µ code point U+00B5 or U+03BC, UCUM forms such as `u[IU]/mL`, any case).
/// Convert with ``factor(to:substance:)``.
///
/// ```swift
/// let ngPerML = try MeasurementUnit.parse("ng/mL")      // factor 0.001 to mg/L
/// let x = 250 * ngPerML.factor                           // 0.25 mg/L
/// let glucose = MeasurementUnit.millimolePerLiter
///     .factor(to: .milligramPerDeciliter, substance: .glucose)   // 18.016
/// ```
public struct MeasurementUnit: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The preferred spelling ("µg/mL").
    public let symbol: String
    /// The physical dimension.
    public let dimension: UnitDimension
    /// Multiply a value in this unit by `factor` to get it in ``UnitDimension/canonicalUnit``.
    public let factor: Double

    /// A unit with an explicit factor to its dimension's canonical unit.
    public init(symbol: String, dimension: UnitDimension, factor: Double) {
        self.symbol = symbol
        self.dimension = dimension
        self.factor = factor
    }

    public var description: String { symbol }

    /// True when this is its dimension's canonical unit.
    public var isCanonical: Bool { factor == 1 && symbol == dimension.canonicalSymbol }

    /// The factor that converts a value in this unit to `target`, or nil when the two cannot be
    /// converted (different dimensions, or a molar/insulin conversion without the substance's
    /// molar mass or pmol-per-unit).
    ///
    /// Within a dimension the factor is `self.factor / target.factor`. Across the mass, molar and
    /// insulin forms of one quantity it goes through amount of substance: mass ÷ molar mass,
    /// insulin units × pmol per unit.
    public func factor(to target: MeasurementUnit, substance: Substance? = nil) -> Double? {
        if dimension == target.dimension { return factor / target.factor }
        guard let mine = Self.toMillimoles(dimension, substance),
              let theirs = Self.toMillimoles(target.dimension, substance),
              mine.family == theirs.family else { return nil }
        return factor * mine.factor / (theirs.factor * target.factor)
    }

    /// Converts `value` in this unit to `target` (see ``factor(to:substance:)``), or nil.
    public func convert(_ value: Double, to target: MeasurementUnit, substance: Substance? = nil) -> Double? {
        factor(to: target, substance: substance).map { value * $0 }
    }

    /// For the molar bridge: canonical unit of `dimension` → mmol (amounts) or mmol/L
    /// (concentrations), with the family so that an amount never converts to a concentration.
    private static func toMillimoles(_ dimension: UnitDimension, _ substance: Substance?) -> (family: Int, factor: Double)? {
        switch dimension {
        case .amountOfSubstance: return (0, 1)
        case .molarConcentration: return (1, 1)
        case .mass:                     // mg → mmol: ÷ (g/mol)
            guard let m = substance?.molarMass, m > 0 else { return nil }
            return (0, 1 / m)
        case .massConcentration:        // mg/L → mmol/L
            guard let m = substance?.molarMass, m > 0 else { return nil }
            return (1, 1 / m)
        case .insulin:                  // U → pmol → mmol
            guard let p = substance?.picomolesPerUnit, p > 0 else { return nil }
            return (0, p * 1e-9)
        case .insulinConcentration:     // µU/mL = mU/L → U/L → pmol/L → mmol/L
            guard let p = substance?.picomolesPerUnit, p > 0 else { return nil }
            return (1, 1e-3 * p * 1e-9)
        default: return nil
        }
    }
}
