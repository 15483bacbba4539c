import Foundation
import Testing
import TwinData

/// Hostile inputs, one class of failure per section (issue 13): no crash, memory in proportion to
/// the input with the budget checked before anything is expanded, no silent wrong result, a bad
/// piece costs only itself, and messages that say what to do. The inputs are crafted here.
@Suite struct AdversarialInputTests {
    // MARK: Helpers

    static let units = ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .milligram, "WT": .kilogram, "AGE": .year])

    func csv(_ text: String, units: ColumnUnits = Self.units, options: ReadOptions = ReadOptions()) throws(RecordError) -> ReadReport {
        try NONMEMReader(units: units, options: options).read(text: text, file: "hostile.csv")
    }

    func fhir(_ text: String, options: ReadOptions = ReadOptions(), file: String = "hostile.json") throws(RecordError) -> ReadReport {
        try FHIRReader(options: FHIRReadOptions(read: options)).read(Data(text.utf8), file: file)
    }

    static let patient = #"{"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1980-01-01"}"#

    static func dose(_ id: String, amount: String = "500", unit: String = "mg", patient: String = "p1") -> String {
        #"{"resourceType": "MedicationAdministration", "id": "\#(id)", "status": "completed", "subject": {"reference": "Patient/\#(patient)"}, "effectiveDateTime": "2024-03-01T08:00:00Z", "dosage": {"dose": {"value": \#(amount), "system": "http://unitsofmeasure.org", "code": "\#(unit)"}}}"#
    }

    static func weight(_ kg: String, id: String = "w1") -> String {
        #"{"resourceType": "Observation", "id": "\#(id)", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-03-01T07:00:00Z", "valueQuantity": {"value": \#(kg), "code": "kg"}}"#
    }

    static func order(_ id: String, count: Int, patient: String = "p1") -> String {
        #"{"resourceType": "MedicationRequest", "id": "\#(id)", "status": "active", "subject": {"reference": "Patient/\#(patient)"}, "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": {"start": "2024-03-01T08:00:00Z"}, "count": \#(count), "period": 1, "periodUnit": "min"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "code": "mg"}}]}]}"#
    }

    static func bundle(_ resources: [String]) -> String {
        #"{"resourceType": "Bundle", "type": "collection", "entry": [\#(resources.map { #"{"resource": \#($0)}"# }.joined(separator: ",\n"))]}"#
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    // MARK: Crash → typed error

    @Test func writerRefusesAnAgeOutsideFHIRYearsInsteadOfTrapping() throws {
        // AGE = 1e12 years passes the CSV reader (a covariate without a physical bound) ...
        let report = try csv("ID,TIME,DV,AMT,AGE\n1,0,.,100,1e12\n1,1,2,.,1e12")
        #expect(report.isClean)
        // ... and the writer says why it cannot write it, instead of trapping in Double → Int.
        let writer = FHIRWriter(origin: try FHIRDateTime(parsing: "2024-01-01T00:00:00Z"))
        #expect {
            try writer.bundle(for: report.cohort)
        } throws: { error in
            guard let error = error as? RecordError, case let .implausibleValue(l, quantity, value, unit, _, _) = error else { return false }
            return l.recordID == "1" && l.columnName == "AGE" && quantity == "an age" && value == 1e12 && unit == "year"
        }
    }

    @Test func writerRefusesTimesFHIRCannotHold() throws {
        var record = PatientRecord(id: "x")
        record.observations.append(Observation(time: 1e300, quantity: "DV", value: 1, unit: .milligramPerLiter))
        let writer = FHIRWriter(origin: try FHIRDateTime(parsing: "2024-01-01T00:00:00Z"))
        #expect(throws: RecordError.self) { try writer.bundle(for: Cohort([record])) }
        record.observations[0].time = .infinity
        #expect(throws: RecordError.self) { try writer.bundle(for: Cohort([record])) }
    }

    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan, 1e300, -1e300, 9.3e18, -9.3e18])
    func dateTimeConversionNeverTraps(_ seconds: Double) {
        #expect(FHIRDateTime(exactlySecondsSince1970: seconds) == nil)
        let clamped = FHIRDateTime(secondsSince1970: seconds)          // clamps, never traps
        #expect((1...9999).contains(clamped.year))
        _ = clamped.text
        var odd = clamped
        odd.second = .nan
        odd.year = Int.max
        _ = odd.text
        #expect(odd.secondsSince1970(in: nil) == nil)
    }

    @Test(arguments: ["1 mg at 07:00 daily for 1e300d", "1 mg at 07:00 daily for 99999999999999999999d", "1 mg q1e308h x2",
                      "1 mg q1h for 1e308wk", "1e400 mg", "1 mg over 1e308h", "basal 1e308 U/min"])
    func regimenOverflowIsAnErrorNotATrap(_ text: String) {
        #expect(throws: RecordError.self) { try Regimen(parsing: text) }
    }

    // MARK: Memory in proportion to the input

    @Test func hugeADDLFileFailsFastWithTheBudgetErrorBeforeExpanding() throws {
        // 1,000 dose rows with ADDL 10,000 each: ~30 kB of text that would expand to 10 million doses.
        var text = "ID,TIME,DV,AMT,II,ADDL\n"
        for i in 1...1_000 { text += "\(i),0,.,100,1,10000\n" }
        let start = ContinuousClock.now
        #expect {
            try csv(text)
        } throws: { error in
            guard let error = error as? RecordError, case let .budgetExceeded(l, quantity, count, limit, bytes, setting) = error else { return false }
            return l.line != nil && quantity.contains("II/ADDL") && count > limit && limit == ReadLimits().maximumEvents
                && bytes == ReadLimits.bytesPerEvent && setting == "ReadLimits.maximumEvents"
        }
        // Nothing was expanded: the refusal costs the parse of a few hundred rows.
        #expect(Self.seconds(ContinuousClock.now - start) < 1.0, "the budget error must come before expansion")
    }

    @Test func budgetErrorNamesTheQuantityItsSizeAndTheLimit() throws {
        var limits = ReadLimits()
        limits.maximumEvents = 1_000
        do {
            _ = try csv("ID,TIME,DV,AMT,II,ADDL\n1,0,.,100,1,600\n2,0,.,100,1,600", options: ReadOptions(limits: limits))
            Issue.record("expected the budget error")
        } catch {
            let text = error.description
            #expect(text.contains("hostile.csv line 3"))
            #expect(text.contains("would reach 1201"))                                      // 601 for ID 1, then 600 more
            #expect(text.contains("over the limit of 1000"))
            #expect(text.contains("bytes each"))
            #expect(text.contains("Raise ReadLimits.maximumEvents"))
        }
    }

    @Test func raisingTheEventLimitAdmitsALegitimateLargeJob() throws {
        var limits = ReadLimits()
        limits.maximumEvents = 1_000
        let text = "ID,TIME,DV,AMT,II,ADDL\n1,0,.,100,12,999\n1,1,3.5,.,.,.\n"
        #expect(throws: RecordError.self) { try csv(text, options: ReadOptions(limits: limits)) }
        limits.maximumEvents = 1_001
        let report = try csv(text, options: ReadOptions(limits: limits))
        #expect(report.isClean)
        let doses = try #require(report.cohort.first?.doses)
        #expect(doses.count == 1_000 && doses.last?.time == 999 * 12)
        #expect(zip(doses, doses.dropFirst()).allSatisfy { $0.time < $1.time })       // expanded and sorted
    }

    @Test func bytesPerEventIsMeasuredAndTheDefaultStaysModest() {
        let bytes = ReadLimits.bytesPerEvent
        #expect(bytes == max(MemoryLayout<Dose>.stride, MemoryLayout<Observation>.stride, MemoryLayout<OtherEvent>.stride))
        // The documented figures: a dose takes 144 bytes on 64-bit platforms (checked here, so the
        // DocC stays true), and the default budget is under half a gigabyte of events.
        #expect(bytes == 144)
        #expect(ReadLimits().maximumEvents * bytes < 500_000_000)
        #expect(ReadLimits().maximumEvents >= 2_000_000)                                 // the 2-million-row benchmark fits
    }

    /// The memory a read at the default budget takes, measured (MEDTWIN_PERF=1, as ReadPerformanceTests):
    /// 300 rows × ADDL 9,999 = 3,000,000 doses from a 6 kB file.
    @Test(.enabled(if: ReadPerformanceTests.enabled)) func memoryAtTheDefaultBudgetIsAsStated() throws {
        var text = "ID,TIME,DV,AMT,II,ADDL\n"
        for i in 1...300 { text += "\(i),0,.,100,1,9999\n" }
        let before = ProcessMemory.residentBytes()
        let report = try csv(text)
        let after = ProcessMemory.residentBytes()
        let peak = ProcessMemory.peakResidentBytes()
        let events = report.cohort.reduce(0) { $0 + $1.doses.count }
        #expect(events == 3_000_000)
        print("3,000,000 expanded doses: resident +\((after - before) >> 20) MiB (\((after - before) / events) B/event), peak \(peak >> 20) MiB; stride \(ReadLimits.bytesPerEvent) B")
        #expect(after - before < 2 * events * ReadLimits.bytesPerEvent)
    }

    @Test func largeFHIROrderCountsFailWithTheBudgetError() throws {
        // 40 orders of 100,000 doses each (within the per-order limit): 4 million planned doses.
        let lines = [Self.patient] + (1...40).map { Self.order("o\($0)", count: 100_000) }
        let start = ContinuousClock.now
        #expect {
            try fhir(lines.joined(separator: "\n"), file: "orders.ndjson")
        } throws: { error in
            guard let error = error as? RecordError, case let .budgetExceeded(l, _, count, limit, _, setting) = error else { return false }
            return l.jsonPath?.contains("timing.repeat") == true && count > limit && setting == "ReadLimits.maximumEvents"
        }
        #expect(Self.seconds(ContinuousClock.now - start) < 1.0, "the orders are counted before any time is built")
    }

    @Test func regimenOfManyLongSchedulesFailsWithTheBudgetError() {
        let text = Array(repeating: "1 mg q1min x100000", count: 200).joined(separator: "; ")
        let start = ContinuousClock.now
        #expect {
            try Regimen(parsing: text)
        } throws: { error in
            guard let error = error as? RecordError, case let .budgetExceeded(_, _, count, limit, _, setting) = error else { return false }
            return count == 200_000 && limit == RegimenLimits().maximumDoses && setting == "RegimenLimits.maximumDoses"
        }
        #expect(Self.seconds(ContinuousClock.now - start) < 1.0)
        // A user who needs it raises the limit.
        var limits = RegimenLimits()
        limits.maximumDoses = 300_000
        #expect((try? Regimen(parsing: "1 mg q1min x100000; 2 mg q1min x100000", limits: limits)) != nil)
    }

    @Test func aRegimenBuiltInCodeIsBoundedWhenExpanded() {
        let schedule = DoseSchedule(amount: 1, unit: .milligram, times: Array(repeating: 0, count: 10))
        let regimen = Regimen(items: Array(repeating: .doses(schedule), count: 20))
        #expect(throws: RecordError.self) { try regimen.doses(maximumDoses: 100) }
        #expect((try? regimen.doses(maximumDoses: 200))?.count == 200)
    }

    // MARK: Silent wrong results → refused

    @Test func negativeWeightWithAPerKilogramDoseIsRefused() throws {
        let units = ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .milligramPerKilogram, "WT": .kilogram])
        let report = try csv("ID,TIME,DV,AMT,WT\n1,0,.,10,-70\n2,0,.,10,70", units: units)
        #expect(report.cohort.map(\.id) == ["2"] && report.cohort.first?.doses.first?.amount == 700)
        #expect(report.rejectedRecordIDs == ["1"])
        #expect(report.errors.count == 1)                     // the weight's error only, no "weight missing" echo
        guard case let .implausibleValue(l, quantity, value, unit, plausible, _) = report.errors.first else {
            Issue.record("expected implausibleValue, got \(report.errors)"); return
        }
        #expect(l.columnName == "WT" && quantity == "a body weight" && value == -70 && unit == "kg" && plausible == DoseBounds.standard.bodyWeight)
        // FHIR: the same for a weight Observation and an mg/kg dose.
        let bundle = Self.bundle([Self.patient, Self.weight("-70"), Self.dose("d1", amount: "10", unit: "mg/kg")])
        let fhir = try fhir(bundle)
        #expect(fhir.cohort.isEmpty && fhir.rejectedRecordIDs == ["p1"])
        #expect(fhir.errors.contains { if case .implausibleValue = $0 { return true } else { return false } })
    }

    @Test func timeOverflowingOnConversionIsRefused() throws {
        let units = ColumnUnits(["TIME": .day, "DV": .milligramPerLiter, "AMT": .milligram])
        let report = try csv("ID,TIME,DV,AMT\n1,0,.,100\n1,1e308,2,.\n", units: units)
        #expect(report.cohort.isEmpty)
        guard case let .implausibleValue(l, quantity, value, _, _, _) = report.errors.first else {
            Issue.record("expected implausibleValue, got \(report.errors)"); return
        }
        #expect(l.line == 3 && l.columnName == "TIME" && quantity == "a time" && value == .infinity)
        // Without dose bounds the range check is off, but an infinite time is still refused.
        let unbounded = try csv("ID,TIME,DV,AMT\n1,0,.,100\n1,1e308,2,.\n", units: units, options: ReadOptions(doseBounds: nil))
        #expect(unbounded.cohort.isEmpty && !unbounded.isClean)
    }

    @Test func observedValueOverflowingOnConversionIsRefused() throws {
        let units = ColumnUnits(["TIME": .hour, "DV": .milligramPerDeciliter, "AMT": .milligram])
        let report = try csv("ID,TIME,DV,AMT\n1,0,.,100\n1,1,1e308,.\n", units: units)     // ×10 to mg/L overflows
        #expect(report.cohort.isEmpty)
        #expect(report.errors.first?.description.contains("must stay finite") == true)
    }

    @Test func fhirValuesOverflowingOnConversionAreRefused() throws {
        let height = #"{"resourceType": "Observation", "id": "h", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-03-01T07:00:00Z", "valueQuantity": {"value": 1e308, "code": "m"}}"#
        let report = try fhir(Self.bundle([Self.patient, height, Self.dose("d1")]))
        #expect(report.cohort.isEmpty)
        #expect(report.errors.first?.description.contains("must stay finite") == true)
    }

    @Test func negativeObservationsAndPreDoseTimesStayLegal() throws {
        let report = try csv("ID,TIME,DV,AMT\n1,-2,-0.5,.\n1,0,.,100\n1,1,3.2,.\n")
        #expect(report.isClean)
        let record = try #require(report.cohort.first)
        #expect(record.observations.map(\.time) == [-2, 1] && record.observations.first?.value == -0.5)
    }

    @Test func sidecarKeysDifferingOnlyInCaseAreRefused() {
        let json = Data(#"{"TIME": "h", "dv": "mg/L", "DV": "ng/mL", "AMT": "mg"}"#.utf8)
        // Every run gives the same answer: an error naming both keys.
        for _ in 0..<5 {
            #expect {
                try ColumnUnits(sidecarJSON: json, file: "x.units.json")
            } throws: { error in
                guard let error = error as? RecordError, case let .malformed(_, message) = error else { return false }
                return message.contains("'DV'") && message.contains("'dv'") && message.contains("same column")
            }
        }
        // An exact duplicate, which JSONDecoder would keep one of silently.
        #expect {
            try ColumnUnits(sidecarJSON: Data(#"{"TIME": "h", "DV": "mg/L", "DV": "ng/mL"}"#.utf8), file: "x.units.json")
        } throws: { error in "\(error)".contains("the key 'DV' appears twice") }
        #expect(throws: RecordError.self) { try ColumnUnits(parsing: "TIME=h,time=min,DV=mg/L") }
        #expect(throws: RecordError.self) { try ColumnUnits(validating: ["wt": .kilogram, "WT": .pound]) }
        // The non-throwing initialiser is at least deterministic.
        let a = ColumnUnits(["wt": .kilogram, "WT": .pound])
        for _ in 0..<5 { #expect(ColumnUnits(["WT": .pound, "wt": .kilogram]) == a) }
    }

    @Test func misspeltResourceTypeIsAnErrorNotAnEmptyCohort() throws {
        let root = #"{"resourceType": "Bunddle", "type": "collection", "entry": [{"resource": \#(Self.patient)}]}"#
        #expect {
            try fhir(root)
        } throws: { error in
            guard let error = error as? RecordError, case let .malformed(l, message) = error else { return false }
            return l.jsonPath == "$.resourceType" && message.contains("'Bunddle' is not a FHIR R4 resource type") && message.contains("did you mean 'Bundle'?")
        }
        // Inside a Bundle and on an NDJSON line: the entry or line is an error, the rest is read.
        let entry = try fhir(Self.bundle([Self.patient, #"{"resourceType": "Observaton", "id": "o1"}"#]))
        #expect(entry.cohort.count == 1 && entry.errors.count == 1)
        #expect(entry.errors.first?.description.contains("did you mean 'Observation'?") == true)
        // Types MedTwin does not read but FHIR defines are still skipped quietly.
        let encounter = try fhir(Self.bundle([Self.patient, #"{"resourceType": "Encounter", "id": "e1"}"#]))
        #expect(encounter.isClean && encounter.cohort.count == 1)
    }

    @Test func duplicatePatientIDIsRefusedNotTwoPatients() throws {
        let second = #"{"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1950-01-01"}"#
        let report = try fhir(Self.bundle([Self.patient, second, Self.dose("d1")]))
        #expect(report.cohort.isEmpty)
        #expect(report.rejectedRecordIDs == ["p1"])
        guard case let .duplicateID(l, id, first) = report.errors.first else { Issue.record("expected duplicateID, got \(report.errors)"); return }
        #expect(id == "Patient/p1" && l.jsonPath == "entry[1].resource.id" && first.jsonPath == "entry[0].resource")
        // A duplicated dose id would count a dose twice: refused as well.
        let doses = try fhir(Self.bundle([Self.patient, Self.dose("d1"), Self.dose("d1")]))
        #expect(doses.cohort.isEmpty && doses.errors.count == 1)
    }

    @Test func reappearingNONMEMIDStaysANewSubjectAsDocumented() throws {
        let report = try csv("ID,TIME,DV,AMT\n1,0,.,100\n2,0,.,100\n1,0,.,50\n")
        #expect(report.cohort.map(\.id) == ["1", "2", "1"])
        #expect(report.warnings.count == 1 && report.warnings[0].message.contains("as NONMEM does"))
    }

    @Test func doseInKilogramsIsRefusedEverywhere() throws {
        // Regimen notation: the caret points at the unit and the message gives the bound.
        do {
            _ = try Regimen(parsing: "100 kg q12h x2")
            Issue.record("a 100 kg dose was accepted")
        } catch {
            guard case let .regimenSyntax(_, offset, expected, _) = error else { Issue.record("\(error)"); return }
            #expect(offset == 4 && expected.contains("0.0001–50000 mg") && expected.contains("100 kg is 100000000 mg"))
        }
        // CSV with AMT in kg.
        let report = try csv("ID,TIME,DV,AMT\n1,0,.,100\n", units: ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .kilogram]))
        #expect(report.cohort.isEmpty)
        guard case .implausibleDose = report.errors.first else { Issue.record("\(report.errors)"); return }
        // FHIR dose in kg.
        let fhir = try fhir(Self.bundle([Self.patient, Self.dose("d1", amount: "100", unit: "kg")]))
        #expect(fhir.cohort.isEmpty)
        // A mass concentration where an amount is expected is refused by dimension.
        #expect(throws: RecordError.self) { try Regimen(parsing: "100 mg/L") }
        let concentration = try self.fhir(Self.bundle([Self.patient, Self.dose("d1", amount: "5", unit: "mg/mL")]))
        #expect(concentration.cohort.isEmpty)
    }

    // MARK: One bad piece costs only itself

    @Test func ndjsonWithABadFirstLineKeepsTheGoodLines() throws {
        let text = ["{\"resourceType\": \"Patient\", \"id\": ", Self.patient, Self.dose("d1")].joined(separator: "\n")
        let report = try fhir(text, file: "export.ndjson")
        #expect(report.cohort.map(\.id) == ["p1"] && report.cohort.first?.doses.count == 1)
        #expect(report.errors.count == 1)
        guard case let .malformed(l, message) = report.errors.first else { Issue.record("\(report.errors)"); return }
        #expect(l.line == 1 && l.column != nil && message.hasPrefix("not valid JSON"))
        // Strict mode still stops at that line.
        #expect(throws: RecordError.self) { try fhir(text, options: ReadOptions(strict: true), file: "export.ndjson") }
    }

    @Test func garbageAfterAOneLineBundleCostsOnlyTheGarbage() throws {
        let text = Self.bundle([Self.patient, Self.dose("d1")]).replacingOccurrences(of: "\n", with: " ") + "\nnot json\n"
        let report = try fhir(text)
        #expect(report.cohort.count == 1 && report.cohort.first?.doses.count == 1)
        #expect(report.errors.count == 1 && report.errors.first?.location?.line == 2)
    }

    @Test func overlongNDJSONLineCostsOnlyThatLine() throws {
        var limits = ReadLimits()
        limits.maximumLineBytes = 1_000
        let long = #"{"resourceType": "Observation", "id": "big", "note": ""# + String(repeating: "x", count: 2_000) + #""}"#
        let report = try fhir([Self.patient, long, Self.dose("d1")].joined(separator: "\n"), options: ReadOptions(limits: limits), file: "x.ndjson")
        #expect(report.cohort.count == 1)
        guard case let .limitExceeded(l, _, maximum) = report.errors.first else { Issue.record("\(report.errors)"); return }
        #expect(l.line == 2 && maximum == 1_000)
    }

    @Test func csvRowOverTheFieldOrLineLimitCostsOnlyItsSubject() throws {
        var limits = ReadLimits()
        limits.maximumColumns = 8
        limits.maximumLineBytes = 200
        let wide = "2," + Array(repeating: "1", count: 20).joined(separator: ",")
        let long = "3,1," + String(repeating: "9", count: 300) + ",."
        let report = try csv("ID,TIME,DV,AMT\n1,0,.,100\n\(wide)\n\(long)\n4,0,.,100\n", options: ReadOptions(limits: limits))
        #expect(report.cohort.map(\.id) == ["1", "4"])
        #expect(report.rejectedRecordIDs == ["2", "3"])
        #expect(report.errors.map { $0.location?.line } == [3, 4])
        #expect(report.errors.map { $0.location?.recordID } == ["2", "3"])
        // A header over the limit is still the file's problem.
        #expect(throws: RecordError.self) { try csv(Array(repeating: "X", count: 20).joined(separator: ","), options: ReadOptions(limits: limits)) }
    }

    // MARK: Messages that help

    @Test func fhirSyntaxErrorsCarryLineAndColumn() throws {
        let text = "{\n  \"resourceType\": \"Bundle\",\n  \"entry\": [\n    {\"resource\": {\"resourceType\": \"Patient\" \"id\": \"p1\"}}\n  ]\n}\n"
        #expect {
            try fhir(text)
        } throws: { error in
            guard let error = error as? RecordError, case let .malformed(l, message) = error else { return false }
            return l.line == 4 && l.column == 45 && message.contains("expected ',' or '}'") && error.description.contains("line 4, column 45")
        }
    }

    @Test func minifiedJSONSyntaxErrorIsNotReportedAsALineLengthLimit() throws {
        var limits = ReadLimits()
        limits.maximumLineBytes = 100
        let entries = (1...50).map { #"{"resource": {"resourceType": "Patient", "id": "p\#($0)"}}"# }
        let valid = #"{"resourceType": "Bundle", "entry": ["# + entries.joined(separator: ",") + "]}"
        // A valid single-line document is bounded by the file size only.
        let ok = try fhir(valid, options: ReadOptions(limits: limits))
        #expect(ok.cohort.count == 50)
        // Break it: the error is the syntax error, with its column, not "the line length".
        let broken = valid.replacingOccurrences(of: #""p25"}"#, with: #""p25"]"#)
        #expect {
            try fhir(broken, options: ReadOptions(limits: limits))
        } throws: { error in
            guard let error = error as? RecordError, case let .malformed(l, message) = error else { return false }
            return l.line == 1 && (l.column ?? 0) > 100 && message.hasPrefix("not valid JSON")
        }
    }

    @Test func utf16AndUTF32FilesAreNamedWithTheFix() throws {
        let text = "ID,TIME,DV,AMT\n1,0,.,100\n"
        let utf16le = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        let utf16beNoBOM = text.data(using: .utf16BigEndian)!
        let utf32le = Data([0xFF, 0xFE, 0, 0]) + text.data(using: .utf32LittleEndian)!
        for (data, name) in [(utf16le, "UTF-16 little-endian"), (utf16beNoBOM, "UTF-16 big-endian"), (utf32le, "UTF-32 little-endian")] {
            #expect {
                try NONMEMReader(units: Self.units).read(data, file: "excel.csv")
            } throws: { error in
                let text = "\(error)"
                return text.contains(name) && text.contains("convert it to UTF-8") && !text.contains("ID column")
            }
            #expect {
                try FHIRReader().read(data, file: "export.json")
            } throws: { error in "\(error)".contains(name) }
        }
    }

    @Test func missingValueAdviceOnlyWhereItApplies() throws {
        let report = try csv("ID,TIME,DV,AMT\n1,abc,.,.\n1,1,x,.\n")
        let messages = report.errors.map(\.description)
        #expect(messages.count == 2)
        #expect(messages[0].contains("column 2 (TIME)") && !messages[0].contains("'.' for missing"))   // TIME is required
        #expect(messages[1].contains("column 3 (DV)") && messages[1].contains("write '.' for missing"))  // DV may be missing
        let json = try fhir(Self.bundle([Self.patient, #"{"resourceType": "MedicationAdministration", "id": "d", "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-03-01T08:00:00Z", "dosage": {"dose": {"value": 1, "unit": "mg"}}}"#]))
        #expect(json.errors.allSatisfy { !$0.description.contains("'.' for missing") })
    }

    @Test(arguments: [("-5 mg", "a dose amount cannot be negative"), ("5 mg over -1h", "a duration cannot be negative"),
                      ("basal -0.8 U/h", "a basal rate cannot be negative"), ("5 mg q-12h x2", "a duration cannot be negative")])
    func negativeRegimenQuantitiesSayTheyCannotBeNegative(_ text: String, _ phrase: String) {
        #expect {
            try Regimen(parsing: text)
        } throws: { error in "\(error)".contains(phrase) }
    }
}

/// A Bundle entry without a resource (a transaction's request-only entry) is not read, and the
/// reader says so where it is instead of skipping it silently.
@Suite struct BundleEntryWithoutResourceTests {
    @Test func anEntryWithoutAResourceIsAWarningAtItsPath() throws {
        let json = """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"resource": {"resourceType": "Patient", "id": "p1"}},
              {"request": {"method": "DELETE", "url": "Patient/p2"}}
            ]}
            """
        let report = try FHIRReader().read(Data(json.utf8), file: "bundle.json")
        #expect(report.cohort.count == 1)
        let warning = try #require(report.warnings.first { $0.message.contains("without a resource") })
        #expect(warning.location.jsonPath == "entry[1]")
    }
}
