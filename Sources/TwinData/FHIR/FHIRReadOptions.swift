import Foundation

/// Where time 0 lies for a FHIR record, and how to read times without a zone.
///
/// ```swift
/// var options = FHIRReadOptions()                                   // hours from each patient's first dose
/// options.origin = .explicit(try FHIRDateTime(parsing: "2024-03-01T00:00:00Z"))
/// options.timeZone = TimeZone(identifier: "Europe/Berlin")          // for "2024-03-01T08:00:00"
/// ```
public struct FHIRReadOptions: Sendable {
    /// The time origin.
    public enum Origin: Sendable, Hashable {
        /// Each patient's first dose given (MedicationAdministration); a patient without one
        /// starts at their first observation.
        case firstDose
        /// One instant for every patient (a full date-time with a zone, or with ``timeZone``).
        case explicit(FHIRDateTime)
    }

    /// Time 0. Default ``Origin/firstDose``.
    public var origin: Origin = .firstDose
    /// The zone for dates and for times written without a zone. Used only with an explicit
    /// origin: without both, such times are errors (``RecordError/ambiguousTime(_:found:reason:)``).
    public var timeZone: TimeZone?
    /// Strictness, limits, dose bounds.
    public var read: ReadOptions = ReadOptions()

    /// Default options.
    public init(origin: Origin = .firstDose, timeZone: TimeZone? = nil, read: ReadOptions = ReadOptions()) {
        self.origin = origin
        self.timeZone = timeZone
        self.read = read
    }
}

/// What MedTwin makes of a LOINC-coded Observation.
///
/// | LOINC | meaning | becomes |
/// |---|---|---|
/// | 29463-7, 3141-9 | body weight | covariate WT, kg |
/// | 8302-2 | body height | covariate HT, cm |
/// | 2164-2 | creatinine clearance | covariate CRCL, mL/min |
/// | 2160-0, 14682-9 | serum creatinine (mass, molar) | covariate SCR, mg/dL, and observation "creatinine", mg/L |
/// | 2339-0, 2345-7, 41653-7, 15074-8, 14749-6 | glucose (mass, molar) | observation "glucose", mg/L |
/// | 20448-7 | insulin | observation "insulin", µU/mL |
/// | 4049-3 | theophylline | observation "theophylline", mg/L |
/// | any other code with a known unit | | observation "loinc:CODE", canonical unit |
public struct LOINCMapping: Sendable, Hashable {
    /// The covariate it sets (``CovariateName``), if any.
    public var covariateName: String?
    /// The unit that covariate is stored in.
    public var covariateUnit: MeasurementUnit?
    /// The ``Observation/quantity`` it becomes, if it becomes an observation.
    public var observationQuantity: String?
    /// The unit the observation is stored in.
    public var observationUnit: MeasurementUnit?
    /// The substance, for molar ↔ mass conversions.
    public var substance: Substance?

    init(covariate: String? = nil, covariateUnit: MeasurementUnit? = nil, observation: String? = nil,
         observationUnit: MeasurementUnit? = nil, substance: Substance? = nil) {
        self.covariateName = covariate
        self.covariateUnit = covariateUnit
        self.observationQuantity = observation
        self.observationUnit = observationUnit
        self.substance = substance
    }

    /// The mapping for a LOINC code, or nil for codes not in the table.
    public static func forCode(_ code: String) -> LOINCMapping? { table[code] }

    static let table: [String: LOINCMapping] = {
        let weight = LOINCMapping(covariate: CovariateName.weight, covariateUnit: .kilogram)
        let creatinine = LOINCMapping(covariate: CovariateName.serumCreatinine, covariateUnit: .milligramPerDeciliter,
                                      observation: "creatinine", observationUnit: .milligramPerLiter, substance: .creatinine)
        let glucose = LOINCMapping(observation: "glucose", observationUnit: .milligramPerLiter, substance: .glucose)
        return [
            "29463-7": weight, "3141-9": weight,
            "8302-2": LOINCMapping(covariate: CovariateName.height, covariateUnit: .centimeter),
            "2164-2": LOINCMapping(covariate: CovariateName.creatinineClearance, covariateUnit: .milliliterPerMinute),
            "2160-0": creatinine, "14682-9": creatinine,
            "2339-0": glucose, "2345-7": glucose, "41653-7": glucose, "15074-8": glucose, "14749-6": glucose,
            "20448-7": LOINCMapping(observation: "insulin", observationUnit: .microInsulinUnitPerMilliliter, substance: .insulin),
            "4049-3": LOINCMapping(observation: "theophylline", observationUnit: .milligramPerLiter, substance: .theophylline),
        ]
    }()
}
