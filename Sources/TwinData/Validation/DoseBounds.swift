/// Plausibility at the edges: the ranges a single dose, a body weight, an infusion duration, a
/// dosing interval and a record time must lie in, in canonical units. A value outside them is
/// refused as ``RecordError/implausibleDose(_:amount:unit:plausible:)`` (amounts) or
/// ``RecordError/implausibleValue(_:quantity:value:unit:plausible:source:)`` (the rest), with
/// the range and the setting it comes from in the message.
///
/// The ranges are wide on purpose: they catch the factor-of-1000 slips (a dose of 320 mg
/// written as 320000 "mg" because the file was in µg), a dose written in kg, a negative weight
/// that would turn an mg/kg dose negative, and overflow — not clinical judgement. Signs are
/// checked by physics, not by these ranges: amounts, weights, durations, intervals and rates are
/// never negative and never infinite. Observed values (DV may be negative after baseline
/// correction) and times relative to an origin (pre-dose samples are negative) stay legal when
/// they are finite and within ``absoluteTime``.
///
/// | quantity | canonical unit | default range |
/// |---|---|---|
/// | dose, mass | mg | 0.0001 – 50,000 (0.1 µg – 50 g) |
/// | dose, insulin | U | 0.01 – 1,000 |
/// | meal, carbohydrate | g | 0 – 1,000 |
/// | dose, volume | L | 0 – 10 |
/// | dose, amount of substance | mmol | 0.000001 – 5,000 |
/// | body weight (covariate WT, and for mg/kg and U/kg doses) | kg | 0.2 – 700 |
/// | infusion duration (DUR, effectivePeriod, "over") | h | 0 – 8,760 (one year) |
/// | dosing interval (II, "q…", timing.repeat.period) | h | 0 – 8,760 |
/// | any record time, relative to its origin | h | −10,000,000 – 10,000,000 (±1,141 years) |
///
/// ```swift
/// var bounds = DoseBounds.standard
/// bounds.mass = 0.001...5_000      // a narrower range for one drug, mg
/// bounds.bodyWeight = 0.3...300    // a neonatal unit's files, kg
/// ```
public struct DoseBounds: Hashable, Sendable {
    /// Single-dose range for mass amounts, mg.
    public var mass: ClosedRange<Double>
    /// Single-dose range for insulin, U.
    public var insulin: ClosedRange<Double>
    /// Single-meal range for carbohydrate, g.
    public var carbohydrate: ClosedRange<Double>
    /// Single-dose range for volumes, L.
    public var volume: ClosedRange<Double>
    /// Single-dose range for amounts of substance, mmol. Default 0.000001–5,000.
    public var amountOfSubstance: ClosedRange<Double> = 0.000_001...5_000
    /// Body weight, kg (the covariate WT, and the weight an mg/kg dose is multiplied by).
    /// Default 0.2–700.
    public var bodyWeight: ClosedRange<Double> = 0.2...700
    /// Infusion duration, hours. Default 0–8,760.
    public var infusionDuration: ClosedRange<Double> = 0...8_760
    /// Dosing interval (II, a regimen's q…, a FHIR order's period), hours. Default 0–8,760.
    public var interval: ClosedRange<Double> = 0...8_760
    /// Any time relative to its origin, hours (negative is legal: pre-dose baselines).
    /// Default ±10,000,000 h (±1,141 years).
    public var absoluteTime: ClosedRange<Double> = -10_000_000...10_000_000

    /// Bounds with the given dose ranges; the other ranges take their defaults.
    public init(mass: ClosedRange<Double>, insulin: ClosedRange<Double>,
                carbohydrate: ClosedRange<Double>, volume: ClosedRange<Double>) {
        self.mass = mass
        self.insulin = insulin
        self.carbohydrate = carbohydrate
        self.volume = volume
    }

    /// The defaults in the table above.
    public static let standard = DoseBounds(mass: 0.0001...50_000, insulin: 0.01...1_000,
                                            carbohydrate: 0...1_000, volume: 0...10)

    /// The single-dose range for a dimension, or nil where none applies.
    public func range(for dimension: UnitDimension) -> ClosedRange<Double>? {
        switch dimension {
        case .mass: return mass
        case .insulin: return insulin
        case .carbohydrate: return carbohydrate
        case .volume: return volume
        case .amountOfSubstance: return amountOfSubstance
        default: return nil
        }
    }
}

/// The plausibility checks shared by the readers and the regimen parser.
enum Plausibility {
    /// A finite amount ≥ 0 inside the dimension's range (when `bounds` is given), else the error.
    /// A zero amount is left to the caller (a steady-state or meal row may carry one).
    static func checkDose(_ amount: Double, unit: MeasurementUnit, bounds: DoseBounds?, at location: RecordLocation) -> RecordError? {
        if !amount.isFinite || amount < 0 {
            return .implausibleValue(location, quantity: "a dose amount", value: amount, unit: unit.symbol,
                                     plausible: bounds?.range(for: unit.dimension) ?? 0...Double.greatestFiniteMagnitude,
                                     source: "a dose amount cannot be negative or infinite")
        }
        if let bounds, amount > 0, let range = bounds.range(for: unit.dimension), !range.contains(amount) {
            return .implausibleDose(location, amount: amount, unit: unit.symbol, plausible: range)
        }
        return nil
    }

    /// A finite value inside `range` (or, without bounds, finite and ≥ the range's lower bound
    /// when `signed` is false).
    static func check(_ value: Double, _ quantity: String, unit: String, range: ClosedRange<Double>?, setting: String,
                      nonNegative: Bool, at location: RecordLocation) -> RecordError? {
        let physical: ClosedRange<Double> = nonNegative ? 0...Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        if !value.isFinite || !physical.contains(value) {
            return .implausibleValue(location, quantity: quantity, value: value, unit: unit, plausible: range ?? physical,
                                     source: nonNegative ? "\(quantity.droppingArticle) cannot be negative or infinite" : "\(quantity.droppingArticle) must be finite")
        }
        if let range, !range.contains(value) {
            return .implausibleValue(location, quantity: quantity, value: value, unit: unit, plausible: range, source: setting)
        }
        return nil
    }
}

extension String {
    /// "a body weight" → "body weight" (for "body weight cannot be negative").
    var droppingArticle: String {
        if hasPrefix("a ") { return String(dropFirst(2)) }
        if hasPrefix("an ") { return String(dropFirst(3)) }
        return self
    }
}
