/// Plausible ranges for a single dose, per dimension, in canonical units: a dose outside them
/// is refused as ``RecordError/implausibleDose(_:amount:unit:plausible:)``.
///
/// The ranges are wide on purpose: they catch the factor-of-1000 slips (a dose of 320 mg
/// written as 320000 "mg" because the file was in µg), not clinical judgement.
///
/// | dimension | canonical unit | default range |
/// |---|---|---|
/// | mass | mg | 0.0001 – 50,000 (0.1 µg – 50 g) |
/// | insulin | U | 0.01 – 1,000 |
/// | carbohydrate | g | 0 – 1,000 |
/// | volume | L | 0 – 10 |
///
/// ```swift
/// var bounds = DoseBounds.standard
/// bounds.mass = 0.001...5_000      // a narrower range for one drug, mg
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

    /// Bounds with the given ranges.
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

    /// The range for a dimension, or nil where none applies.
    public func range(for dimension: UnitDimension) -> ClosedRange<Double>? {
        switch dimension {
        case .mass: return mass
        case .insulin: return insulin
        case .carbohydrate: return carbohydrate
        case .volume: return volume
        default: return nil
        }
    }
}
