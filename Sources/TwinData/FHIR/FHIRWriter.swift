import Foundation

/// Writes a ``Cohort`` as a FHIR R4 Bundle (type "collection") that ``FHIRReader`` reads back.
///
/// Each record becomes a Patient (its ID; SEX as gender; a birth date derived from AGE, to
/// the day), Observations for the covariates WT, HT, CRCL (and SCR when no creatinine
/// observation carries it) at time 0 — a covariate with a history
/// (``PatientRecord/covariateHistory``, segment 0) as one Observation per entry at its time, which
/// reads back as the same history — and for each observation (LOINC where ``LOINCMapping``
/// has one, else a `urn:medtwin:quantity` coding), MedicationAdministrations for the doses,
/// and MedicationRequests for evenly spaced planned regimens. Meals (doses in g carbs) are not
/// medications and are left out. Times are `origin` plus the
/// record's hours, in UTC. NONMEM-only details (compartments, segments, SS, modelled rates)
/// have no place in these resources and are not written.
///
/// ```swift
/// let origin = try FHIRDateTime(parsing: "2024-01-01T08:00:00Z")
/// let json = try FHIRWriter(origin: origin).bundle(for: cohort)
/// try FHIRWriter(origin: origin).write(cohort, to: URL(fileURLWithPath: "cohort.json"))
/// ```
public struct FHIRWriter: Sendable {
    /// The instant of time 0 (a full date-time with a zone).
    public var origin: FHIRDateTime

    /// A writer with its time origin.
    public init(origin: FHIRDateTime) {
        self.origin = origin
    }

    static let quantitySystem = "urn:medtwin:quantity"
    static let ucum = "http://unitsofmeasure.org"

    /// The UCUM spelling of a unit (µ → u, U → [iU]).
    static func ucumCode(_ unit: MeasurementUnit) -> String {
        unit.symbol.replacingAll("µ", with: "u").replacingAll("U", with: "[iU]").replacingAll(" carbs", with: "")
    }

    static let loincForQuantity: [String: String] = [
        "glucose": "2339-0", "insulin": "20448-7", "creatinine": "2160-0", "theophylline": "4049-3",
    ]
    static let loincForCovariate: [String: String] = [
        CovariateName.weight: "29463-7", CovariateName.height: "8302-2",
        CovariateName.creatinineClearance: "2164-2", CovariateName.serumCreatinine: "2160-0",
    ]

    /// The Bundle as a value.
    ///
    /// - Throws: ``RecordError/ambiguousTime(_:found:reason:)`` when the origin has no zone;
    ///   ``RecordError/implausibleValue(_:quantity:value:unit:plausible:source:)`` when a time
    ///   (origin + hours, or the birth date AGE implies) falls outside the years 0001–9999 that a
    ///   FHIR date-time can hold, naming the record and the field.
    public func bundleValue(for cohort: Cohort) throws(RecordError) -> FHIR.Bundle {
        guard let originSeconds = origin.secondsSince1970(in: nil) else {
            throw .ambiguousTime(RecordLocation(file: "FHIRWriter.origin"), found: origin.text, reason: "the origin needs a zone (Z or ±hh:mm)")
        }
        let range = FHIRDateTime.representableSeconds
        let hoursRange = ((range.lowerBound - originSeconds) / 3600)...((range.upperBound - 1 - originSeconds) / 3600)
        var current = RecordLocation(file: "<bundle>")
        func time(_ hours: Double, _ field: String) throws(RecordError) -> String {
            guard let t = FHIRDateTime(exactlySecondsSince1970: originSeconds + hours * 3600) else {
                var l = current
                l.columnName = field
                throw .implausibleValue(l, quantity: "a time", value: hours, unit: "h", plausible: hoursRange.lowerBound.rounded(.up)...hoursRange.upperBound.rounded(.down),
                                        source: "a FHIR date-time holds the years 0001–9999 from the origin \(origin.text)")
            }
            return t.text
        }
        func quantity(_ value: Double, _ unit: MeasurementUnit) -> FHIR.Quantity {
            FHIR.Quantity(value: value, unit: unit.symbol, system: Self.ucum, code: Self.ucumCode(unit))
        }
        var entries: [FHIR.BundleEntry] = []
        for record in cohort.records {
            current = RecordLocation(file: "<bundle>", recordID: record.id)
            let subject = FHIR.Reference(reference: "Patient/\(record.id)")
            var gender: String?
            switch record.covariates[CovariateName.sex]?.value {
            case 1: gender = "male"
            case 2: gender = "female"
            default: gender = nil
            }
            var birthDate: String?
            if let age = record.age {
                guard let b = FHIRDateTime(exactlySecondsSince1970: originSeconds - age * MeasurementUnit.year.factor * 3600) else {
                    var l = current
                    l.columnName = CovariateName.age
                    throw .implausibleValue(l, quantity: "an age", value: age, unit: "year",
                                            plausible: ((originSeconds - range.upperBound + 1) / 3600 / MeasurementUnit.year.factor).rounded(.up)...((originSeconds - range.lowerBound) / 3600 / MeasurementUnit.year.factor).rounded(.down),
                                            source: "the birth date it implies must fall in the years 0001–9999")
                }
                var birth = b
                birth.precision = .day
                birthDate = birth.text
            }
            entries.append(FHIR.BundleEntry(fullUrl: "urn:medtwin:patient:\(record.id)",
                                            resource: .patient(FHIR.Patient(id: record.id, birthDate: birthDate, gender: gender))))
            var n = 0
            let hasCreatinine = record.observations.contains { $0.quantity == "creatinine" }
            for name in record.covariates.keys.sorted() {
                guard let code = Self.loincForCovariate[name], let c = record.covariates[name], let unit = c.unit else { continue }
                if name == CovariateName.serumCreatinine && hasCreatinine { continue }
                let values = record.covariateHistory[name].map { $0.filter { $0.segment == 0 }.map { ($0.time, $0.value) } } ?? [(0, c.value)]
                for (hours, value) in values {
                    n += 1
                    entries.append(FHIR.BundleEntry(resource: .observation(FHIR.Observation(
                        id: "\(record.id)-cov-\(n)", code: FHIR.CodeableConcept(coding: [FHIR.Coding(system: "http://loinc.org", code: code)]),
                        subject: subject, effectiveDateTime: try time(hours, name), valueQuantity: quantity(value, unit)))))
                }
            }
            for (k, o) in record.observations.enumerated() {
                let coding: FHIR.Coding
                if let loinc = Self.loincForQuantity[o.quantity] {
                    coding = FHIR.Coding(system: "http://loinc.org", code: loinc)
                } else if o.quantity.hasPrefix("loinc:") {
                    coding = FHIR.Coding(system: "http://loinc.org", code: String(o.quantity.dropFirst(6)))
                } else {
                    coding = FHIR.Coding(system: Self.quantitySystem, code: o.quantity)
                }
                var q = quantity(o.value, o.unit)
                if o.isCensored { q.comparator = "<" }
                entries.append(FHIR.BundleEntry(resource: .observation(FHIR.Observation(
                    id: "\(record.id)-obs-\(k + 1)", code: FHIR.CodeableConcept(coding: [coding]),
                    subject: subject, effectiveDateTime: try time(o.time, "observation time"), valueQuantity: q))))
            }
            for (k, d) in record.doses.enumerated() where d.unit.dimension != .carbohydrate {
                var dosage = FHIR.AdministrationDosage(dose: quantity(d.amount, d.unit))
                if let code = d.route.snomedCode {
                    dosage.route = FHIR.CodeableConcept(coding: [FHIR.Coding(system: "http://snomed.info/sct", code: code)])
                }
                var effective: String? = try time(d.time, "dose time")
                var period: FHIR.Period?
                switch d.delivery {
                case let .infusion(rate):
                    if let r = d.unit.dimension.rateDimension { dosage.rateQuantity = quantity(rate, r.canonicalUnit) }
                case let .infusionOver(duration):
                    effective = nil
                    period = FHIR.Period(start: try time(d.time, "dose time"), end: try time(d.time + duration, "infusion end"))
                default: break
                }
                entries.append(FHIR.BundleEntry(resource: .medicationAdministration(FHIR.MedicationAdministration(
                    id: "\(record.id)-dose-\(k + 1)", subject: subject, effectiveDateTime: effective, effectivePeriod: period, dosage: dosage))))
            }
            for (k, regimen) in record.plannedRegimens.enumerated() {
                var instructions: [FHIR.Dosage] = []
                for case let .doses(s) in regimen.items {
                    guard let first = s.times.first else { continue }
                    let interval = s.times.count > 1 ? s.times[1] - s.times[0] : 24
                    let even = zip(s.times, s.times.dropFirst()).allSatisfy { abs(($1 - $0) - interval) < 1e-9 }
                    guard even, interval > 0 else { continue }
                    let rep = FHIR.TimingRepeat(boundsPeriod: FHIR.Period(start: try time(first, "order start")), count: s.times.count, frequency: 1, period: interval, periodUnit: "h")
                    var dosage = FHIR.Dosage(timing: FHIR.Timing(repeat: rep), doseAndRate: [FHIR.DoseAndRate(doseQuantity: quantity(s.amount, s.unit))])
                    if let code = s.route.snomedCode {
                        dosage.route = FHIR.CodeableConcept(coding: [FHIR.Coding(system: "http://snomed.info/sct", code: code)])
                    }
                    instructions.append(dosage)
                }
                guard !instructions.isEmpty else { continue }
                var id = "\(record.id)-order-\(k + 1)"
                if case let .medicationRequest(original) = regimen.source, !original.isEmpty { id = original }
                entries.append(FHIR.BundleEntry(resource: .medicationRequest(FHIR.MedicationRequest(
                    id: id, subject: subject, dosageInstruction: instructions))))
            }
        }
        return FHIR.Bundle(entry: entries)
    }

    /// The Bundle as pretty-printed JSON with sorted keys.
    public func bundle(for cohort: Cohort) throws(RecordError) -> Data {
        let value = try bundleValue(for: cohort)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(value) } catch {
            throw .io(file: "<bundle>", message: "cannot encode the bundle: \(error.localizedDescription)")
        }
    }

    /// Writes the Bundle to `url` atomically.
    public func write(_ cohort: Cohort, to url: URL) throws(RecordError) {
        try AtomicFile.write(try bundle(for: cohort), to: url)
    }
}
