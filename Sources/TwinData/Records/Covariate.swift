/// A patient characteristic used by models: weight, age, sex, creatinine clearance ….
///
/// Covariates are keyed by an upper-case name (the NONMEM column name). The well-known ones
/// (``CovariateName``) are stored in clinical units — weight kg, height cm, age years,
/// creatinine clearance mL/min, serum creatinine mg/dL — and any other covariate with a unit in
/// the canonical unit of its dimension; a covariate without a unit keeps its value as written
/// (`unit == nil`).
///
/// ```swift
/// let wt = Covariate(value: 79.6, unit: .kilogram)
/// record.covariates[CovariateName.weight] = wt
/// ```
public struct Covariate: Hashable, Sendable, Codable {
    /// The value, in `unit`.
    public var value: Double
    /// The unit, or nil for a code or a count (SEX, RACE).
    public var unit: MeasurementUnit?

    /// A covariate value.
    public init(value: Double, unit: MeasurementUnit? = nil) {
        self.value = value
        self.unit = unit
    }
}

/// Names and storage units of the well-known covariates.
///
/// ```swift
/// let weightKg = record.covariates[CovariateName.weight]?.value
/// ```
public enum CovariateName {
    /// Body weight, kg.
    public static let weight = "WT"
    /// Height, cm.
    public static let height = "HT"
    /// Age, years.
    public static let age = "AGE"
    /// Sex: 1 male, 2 female (the common NONMEM coding; FHIR "other"/"unknown" are left out).
    public static let sex = "SEX"
    /// Creatinine clearance, mL/min.
    public static let creatinineClearance = "CRCL"
    /// Serum creatinine, mg/dL.
    public static let serumCreatinine = "SCR"

    /// The unit a well-known covariate is stored in, or nil for other names.
    public static func storageUnit(for name: String) -> MeasurementUnit? {
        switch name {
        case weight: return .kilogram
        case height: return .centimeter
        case age: return .year
        case creatinineClearance: return .milliliterPerMinute
        case serumCreatinine: return .milligramPerDeciliter
        default: return nil
        }
    }

    /// The unit a covariate measured in `unit` is stored in: the well-known unit for the
    /// well-known names, the canonical unit of the dimension otherwise.
    public static func storageUnit(for name: String, measuredIn unit: MeasurementUnit) -> MeasurementUnit {
        if let known = storageUnit(for: name), unit.factor(to: known, substance: name == serumCreatinine ? .creatinine : nil) != nil {
            return known
        }
        return unit.dimension.canonicalUnit
    }
}

/// A record that is neither a dose nor an observation (NONMEM EVID 2, or EVID 0 with MDV 1):
/// an output time or a covariate change.
///
/// ```swift
/// let output = OtherEvent(time: 48, compartment: 2)
/// ```
public struct OtherEvent: Hashable, Sendable, Codable {
    /// Time, hours from the segment's origin.
    public var time: Double
    /// CMT, or nil.
    public var compartment: Int?
    /// Segment (0 before the first reset).
    public var segment: Int

    /// An event.
    public init(time: Double, compartment: Int? = nil, segment: Int = 0) {
        self.time = time
        self.compartment = compartment
        self.segment = segment
    }
}

/// A reset of the system to its initial state (NONMEM EVID 3, or EVID 4 = reset and dose).
/// It starts a new segment; times after it may restart from zero.
///
/// ```swift
/// let washout = Reset(time: 0, segment: 1)
/// ```
public struct Reset: Hashable, Sendable, Codable {
    /// Time of the reset, hours, on the new segment's clock.
    public var time: Double
    /// The segment the reset starts (1 for the first reset).
    public var segment: Int
    /// CMT, or nil.
    public var compartment: Int?

    /// A reset.
    public init(time: Double, segment: Int, compartment: Int? = nil) {
        self.time = time
        self.segment = segment
        self.compartment = compartment
    }
}
