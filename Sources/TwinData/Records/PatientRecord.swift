/// One patient's data, typed and validated: covariates, doses given, observations, planned
/// regimens, in canonical units.
///
/// The record ID is the only identifier kept: readers never copy names, addresses or other
/// identifiers from FHIR. Times are hours; after a reset (EVID 3/4) the clock may restart and
/// every event says which ``Dose/segment`` it belongs to.
///
/// ```swift
/// var record = PatientRecord(id: "1")
/// record.covariates[CovariateName.weight] = Covariate(value: 79.6, unit: .kilogram)
/// record.doses.append(Dose(time: 0, amount: 320, unit: .milligram, route: .oral, compartment: 1))
/// record.observations.append(Observation(time: 1, quantity: "DV", value: 10.5, unit: .milligramPerLiter))
/// ```
public struct PatientRecord: Hashable, Sendable, Codable, Identifiable {
    /// The record (subject) ID.
    public var id: String
    /// Baseline covariates by upper-case name (see ``CovariateName``): each covariate's first
    /// recorded value. A covariate that changes over the record also has every value with its
    /// time in ``covariateHistory``; ``covariates(at:segment:)`` gives the value in force at a time.
    public var covariates: [String: Covariate]
    /// The covariates that change within the record, by name: one entry per run of equal values,
    /// in record order, each with the time of the *last* record of the run
    /// (``TimedCovariate``). Empty for covariates that never change (their value is the baseline
    /// in ``covariates``). Read ``covariates(at:segment:)`` rather than this directly.
    public var covariateHistory: [String: [TimedCovariate]]
    /// Doses given, sorted by (segment, time); II/ADDL expanded.
    public var doses: [Dose]
    /// Observations, sorted by (segment, time).
    public var observations: [Observation]
    /// Other events (EVID 2, or EVID 0 with MDV 1), sorted by (segment, time).
    public var otherEvents: [OtherEvent]
    /// Resets (EVID 3 and 4), in order.
    public var resets: [Reset]
    /// Regimens ordered but not (yet) recorded as given, e.g. from FHIR MedicationRequest.
    public var plannedRegimens: [Regimen]

    /// A record with the given parts.
    public init(id: String, covariates: [String: Covariate] = [:], doses: [Dose] = [],
                observations: [Observation] = [], otherEvents: [OtherEvent] = [],
                resets: [Reset] = [], plannedRegimens: [Regimen] = [], covariateHistory: [String: [TimedCovariate]] = [:]) {
        self.id = id
        self.covariates = covariates
        self.doses = doses
        self.observations = observations
        self.otherEvents = otherEvents
        self.resets = resets
        self.plannedRegimens = plannedRegimens
        self.covariateHistory = covariateHistory
    }

    private enum CodingKeys: String, CodingKey {
        case id, covariates, covariateHistory, doses, observations, otherEvents, resets, plannedRegimens
    }

    /// Decodes a record; one written before ``covariateHistory`` existed reads with an empty history.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        covariates = try c.decode([String: Covariate].self, forKey: .covariates)
        covariateHistory = try c.decodeIfPresent([String: [TimedCovariate]].self, forKey: .covariateHistory) ?? [:]
        doses = try c.decode([Dose].self, forKey: .doses)
        observations = try c.decode([Observation].self, forKey: .observations)
        otherEvents = try c.decode([OtherEvent].self, forKey: .otherEvents)
        resets = try c.decode([Reset].self, forKey: .resets)
        plannedRegimens = try c.decode([Regimen].self, forKey: .plannedRegimens)
    }

    /// Body weight in kg, if recorded.
    public var weight: Double? { covariates[CovariateName.weight]?.value }
    /// Age in years, if recorded.
    public var age: Double? { covariates[CovariateName.age]?.value }
}

/// Patients read or written together.
///
/// IDs are normally unique; a NONMEM file where an ID reappears after another subject gives two
/// records with the same ID (NONMEM reads them as two individuals), with a warning.
///
/// ```swift
/// let cohort = try NONMEMReader(units: units).read(contentsOf: url).cohort
/// print(cohort.count, cohort.records.map(\.doses.count).reduce(0, +))
/// ```
public struct Cohort: Hashable, Sendable, Codable, RandomAccessCollection {
    /// The records, in file order.
    public var records: [PatientRecord]

    /// A cohort of `records`.
    public init(_ records: [PatientRecord] = []) { self.records = records }

    public var startIndex: Int { records.startIndex }
    public var endIndex: Int { records.endIndex }
    public subscript(position: Int) -> PatientRecord { records[position] }

    /// The first record with this ID.
    public func record(id: String) -> PatientRecord? { records.first { $0.id == id } }
}
