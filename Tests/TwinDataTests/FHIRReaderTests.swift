import Foundation
import Testing
import TwinData

/// FHIR R4 Bundles and NDJSON: mapping, times, planned regimens, and errors with JSON paths.
@Suite struct FHIRReaderTests {
    let examples = Fixtures.examples

    /// A Bundle around the given resources (JSON object texts).
    func bundle(_ resources: String...) -> Data {
        let entries = resources.map { #"{"resource": \#($0)}"# }.joined(separator: ",\n")
        return Data(#"{"resourceType": "Bundle", "type": "collection", "entry": [\#(entries)]}"#.utf8)
    }

    let patient = #"{"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1970-03-01", "name": [{"family": "Doe"}]}"#

    func glucose(_ time: String, _ value: String = "100", code: String = #""code": "mg/dL""#) -> String {
        #"{"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "\#(time)", "valueQuantity": {"value": \#(value), "unit": "mg/dL", \#(code)}}"#
    }

    func dose(_ time: String, _ amount: String = "500", unit: String = "mg") -> String {
        #"{"resourceType": "MedicationAdministration", "status": "completed", "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "\#(time)", "dosage": {"dose": {"value": \#(amount), "system": "http://unitsofmeasure.org", "code": "\#(unit)"}}}"#
    }

    @Test func readsTheGlucoseExample() throws {
        let report = try FHIRReader().read(contentsOf: [examples.appendingPathComponent("glucose-patient.json")])
        #expect(report.isClean)
        let r = try #require(report.cohort.first)
        #expect(r.id == "G1")
        #expect(r.weight == 64)
        #expect(r.covariates[CovariateName.sex]?.value == 2)                           // female
        // Age at the first dose 2024-03-01T08:00Z from 1991-06-15: 11,948 days + 8 h = 286,760 h
        // = 32.713 years of 8766 h.
        let age = try #require(r.age)
        #expect(abs(age - 286_760.0 / 8766) < 1e-9)
        #expect(r.doses.map(\.time) == [0, 4, 10])                                    // hours from the first dose
        #expect(r.doses.allSatisfy { $0.unit == .insulinUnit && $0.route == .subcutaneous })
        let glucose = r.observations.filter { $0.quantity == "glucose" }
        #expect(glucose.count == 6)
        #expect(glucose[0].value == 1420)                                            // 142 mg/dL = 1420 mg/L
        // 7.4 mmol/L × 180.16 g/mol = 1333.184 mg/L (LOINC 15074-8, molar)
        #expect(abs(glucose[2].value - 1333.184) < 1e-9)
        #expect(r.observations.filter { $0.quantity == "insulin" }.map(\.value) == [38.5, 21])
        // The order is planned, not given: 20 U daily × 3 from 14 h.
        #expect(r.plannedRegimens.count == 1)
        #expect(r.plannedRegimens[0].source == .medicationRequest(id: "g1-order-1"))
        #expect(try r.plannedRegimens[0].doses().map(\.time) == [14, 38, 62])
    }

    @Test func bundleNDJSONAndCSVGiveTheSameCohort() throws {
        let csv = try NONMEMReader.read(contentsOf: examples.appendingPathComponent("vancomycin-cohort.csv")).cohort
        let bundle = try FHIRReader().read(contentsOf: [examples.appendingPathComponent("vancomycin-cohort.json")]).cohort
        let dir = examples.appendingPathComponent("vancomycin-cohort-ndjson")
        let ndjson = try FHIRReader().read(contentsOf: ["Patient", "Observation", "MedicationAdministration"].map {
            dir.appendingPathComponent("\($0).ndjson")
        }).cohort
        #expect(bundle == ndjson)
        #expect(csv.count == 8 && bundle.count == 8)
        for (a, b) in zip(csv, bundle) {
            #expect(a.id == b.id)
            #expect(a.doses.map(\.time) == b.doses.map(\.time))                      // II 12, ADDL 3 → 0, 12, 24, 36
            #expect(a.doses.map(\.amount) == b.doses.map(\.amount))
            #expect(b.doses.allSatisfy { $0.delivery == .infusionOver(duration: 1) && $0.route == .intravenous })
            // The same route and delivery; the CSV also names the compartment (CMT 2, central in
            // the ADVAN2/4 numbering of the PK models), which FHIR leaves to the route. That both
            // copies are simulated alike is checked in TwinModelsTests (RecordMappingTests).
            #expect(a.doses.map(\.route) == b.doses.map(\.route))
            #expect(a.doses.map(\.delivery) == b.doses.map(\.delivery))
            #expect(a.doses.allSatisfy { $0.compartment == 2 } && a.observations.allSatisfy { $0.compartment == 2 })
            #expect(a.observations.map(\.value) == b.observations.map(\.value))
            #expect(a.observations.map(\.time) == b.observations.map(\.time))
            #expect(a.weight == b.weight)
            #expect(a.covariates["CRCL"] == b.covariates["CRCL"])
            // AGE: the CSV holds the script's float; the same formula here, to rounding (1e-9 years).
            #expect(abs((a.age ?? 0) - (b.age ?? 1)) < 1e-9)
        }
    }

    @Test func ignoresOtherResourcesAndNeverReadsNames() throws {
        let data = bundle(patient, #"{"resourceType": "Encounter", "id": "e1"}"#, glucose("2024-01-01T08:00:00Z", "\"abc\""))
        let report = try FHIRReader().read(data, file: "b.json")
        #expect(report.cohort.isEmpty && report.rejectedRecordIDs == ["p1"])
        #expect(report.errors.count == 1)
        let text = report.errors.map(\.description).joined() + report.warnings.map(\.description).joined()
        #expect(!text.contains("Doe"))
    }

    @Test func decodingErrorsCarryTheJSONPath() throws {
        let report = try FHIRReader().read(bundle(patient, glucose("2024-01-01T08:00:00Z", "\"abc\"")), file: "b.json")
        guard case let .malformed(location, message) = report.errors.first else { Issue.record("expected malformed"); return }
        #expect(location.file == "b.json")
        #expect(location.jsonPath == "entry[1].resource.valueQuantity.value")
        #expect(location.recordID == "p1")
        #expect(message == "expected a number, found another JSON type")
    }

    @Test func unitComesFromTheUCUMCodeNotTheDisplayText() throws {
        let report = try FHIRReader().read(bundle(patient, glucose("2024-01-01T08:00:00Z", code: #""system": "x""#)), file: "b.json")
        #expect(report.errors == [.badValue(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.valueQuantity.code", recordID: "p1"),
                                            expected: "a UCUM unit code in code (unit is display text only)",
                                            found: "none (the display text is 'mg/dL')")])
        let unknown = try FHIRReader().read(bundle(patient, glucose("2024-01-01T08:00:00Z", code: #""code": "mg/furlong""#)), file: "b.json")
        guard case let .unknownUnit(l, unit, _) = unknown.errors.first else { Issue.record("expected unknownUnit"); return }
        #expect(l.jsonPath == "entry[1].resource.valueQuantity.code" && unit == "mg/furlong")
    }

    @Test func timesWithoutZoneNeedAnExplicitOriginAndZone() throws {
        let data = bundle(patient, dose("2024-01-01T08:00:00"), glucose("2024-01-01T10:30:00"))
        let report = try FHIRReader().read(data, file: "b.json")
        #expect(report.cohort.isEmpty)
        guard case let .ambiguousTime(l, found, reason) = report.errors.first else { Issue.record("expected ambiguousTime"); return }
        #expect(l.jsonPath == "entry[1].resource.effectiveDateTime" || l.jsonPath == "entry[2].resource.effectiveDateTime")
        #expect(found.hasPrefix("2024-01-01T"))
        #expect(reason.contains("no time zone"))
        // With an explicit origin and zone they are read: Berlin is UTC+1 in January.
        let origin = try FHIRDateTime(parsing: "2024-01-01T07:00:00Z")
        let options = FHIRReadOptions(origin: .explicit(origin), timeZone: TimeZone(identifier: "Europe/Berlin"))
        let ok = try FHIRReader(options: options).read(data)
        #expect(ok.isClean)
        #expect(ok.cohort.first?.doses.first?.time == 0)                          // 08:00 CET = 07:00Z
        #expect(ok.cohort.first?.observations.first?.time == 2.5)
    }

    @Test func partialDatesAreErrors() throws {
        let report = try FHIRReader().read(bundle(patient, dose("2024-01-01T08:00:00Z"), glucose("2024-01")), file: "b.json")
        #expect(report.errors == [.ambiguousTime(RecordLocation(file: "b.json", jsonPath: "entry[2].resource.effectiveDateTime", recordID: "p1"),
                                                 found: "2024-01", reason: "it has no day; a dose or an observation needs a full date and time")])
    }

    @Test func unresolvedSubjectReference() throws {
        let orphan = glucose("2024-01-01T08:00:00Z").replacingOccurrences(of: "Patient/p1", with: "Patient/nobody")
        let report = try FHIRReader().read(bundle(patient, orphan), file: "b.json")
        #expect(report.errors == [.unresolvedReference(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.subject.reference"),
                                                       reference: "Patient/nobody")])
        #expect(report.cohort.map(\.id) == ["p1"])                                 // the patient itself is fine
    }

    @Test func doseErrors() throws {
        let noAmount = #"{"resourceType": "MedicationAdministration", "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-01T08:00:00Z", "dosage": {}}"#
        let r1 = try FHIRReader().read(bundle(patient, noAmount), file: "b.json")
        #expect(r1.errors == [.doseWithoutAmount(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.dosage.dose", recordID: "p1"))])
        let r2 = try FHIRReader().read(bundle(patient, dose("2024-01-01T08:00:00Z", "-5")), file: "b.json")
        #expect(r2.errors == [.negativeAmount(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.dosage.dose.value", recordID: "p1"), found: -5)])
        let r3 = try FHIRReader().read(bundle(patient, dose("2024-01-01T08:00:00Z", "500000")), file: "b.json")
        #expect(r3.errors == [.implausibleDose(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.dosage.dose.value", recordID: "p1"),
                                               amount: 500_000, unit: "mg", plausible: 0.0001...50_000)])
    }

    @Test func observationWithoutValue() throws {
        let empty = #"{"resourceType": "Observation", "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-01T08:00:00Z"}"#
        let report = try FHIRReader().read(bundle(patient, empty), file: "b.json")
        #expect(report.errors == [.observationWithoutValue(RecordLocation(file: "b.json", jsonPath: "entry[1].resource.valueQuantity", recordID: "p1"))])
    }

    @Test func ndjsonErrorsNameTheLine() throws {
        let text = patient + "\n" + dose("2024-01-01T08:00:00Z") + "\n" + "{\"resourceType\": \"Observation\", \"subject\": 5}\n"
        let report = try FHIRReader().read(Data(text.utf8), file: "export.ndjson")
        guard case let .malformed(l, _) = report.errors.first else { Issue.record("expected malformed"); return }
        #expect(l.line == 3 && l.jsonPath == "$.subject")
    }

    @Test func notJSONIsRefused() {
        #expect(throws: RecordError.self) { try FHIRReader().read(Data("ID,TIME\n1,0\n".utf8), file: "x.json") }
    }

    @Test func strictModeThrows() {
        let options = FHIRReadOptions(read: ReadOptions(strict: true))
        #expect(throws: RecordError.self) {
            try FHIRReader(options: options).read(self.bundle(self.patient, self.dose("2024-01-01T08:00:00Z", "-1")))
        }
    }

    @Test func parsesAndFormatsDateTimes() throws {
        let t = try FHIRDateTime(parsing: "2024-03-01T08:30:00.250+01:00")
        // 2024-03-01 is day 19783 after 1970-01-01; 07:30:00.25Z → 19783 × 86400 + 27000.25
        #expect(t.secondsSince1970(in: nil) == 19_783 * 86_400 + 27_000.25)
        #expect(FHIRDateTime(secondsSince1970: 19_783 * 86_400 + 27_000.25).text == "2024-03-01T07:30:00.250Z")
        #expect(throws: RecordError.self) { try FHIRDateTime(parsing: "2024-02-30") }
        #expect(try FHIRDateTime(parsing: "2024").precision == .year)
    }
}

extension FHIRReaderTests {
    @Test func birthDateErrorsDoNotQuoteTheDate() throws {
        let partial = #"{"resourceType": "Patient", "id": "p1", "birthDate": "1970-03"}"#
        let report = try FHIRReader().read(bundle(partial, dose("2024-01-01T08:00:00Z")), file: "b.json")
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.location?.jsonPath == "entry[0].resource.birthDate")
        #expect(report.errors.first?.description.contains("1970") == false)
    }
}
