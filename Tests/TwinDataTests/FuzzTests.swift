import Foundation
import PropertyBased
import Testing
import TwinData

/// Random and mutated CSV, FHIR and regimen inputs through the readers: no crash, no hang (each
/// input well under a second), no unbounded memory (tight limits, checked on the result). Every
/// outcome must be a report or a `RecordError`.
///
/// The default counts keep the suite fast. A longer campaign:
///
///     MEDTWIN_FUZZ_COUNT=20000 swift test --scratch-path .build-data --filter FuzzTests
///
/// A failure prints the seed to pass to `.fixedSeed(…)` to reproduce it.
@Suite struct FuzzTests {
    static let count = Int(ProcessInfo.processInfo.environment["MEDTWIN_FUZZ_COUNT"] ?? "") ?? 150

    /// Tight limits so a hostile input cannot make a test allocate much.
    static let options: ReadOptions = {
        var limits = ReadLimits()
        limits.maximumBytes = 1 << 20
        limits.maximumLineBytes = 4096
        limits.maximumColumns = 64
        limits.maximumAdditionalDoses = 1000
        limits.maximumEvents = 100_000
        limits.maximumResources = 10_000
        limits.maximumReportedErrors = 100
        return ReadOptions(limits: limits)
    }()

    static let seeds: [Data] = {
        let files = [
            Fixtures.theophylline, Fixtures.indomethacin,
            Fixtures.examples.appendingPathComponent("vancomycin-cohort.csv"),
            Fixtures.examples.appendingPathComponent("glucose-patient.json"),
            Fixtures.examples.appendingPathComponent("vancomycin-cohort-ndjson/Observation.ndjson"),
        ]
        return files.compactMap { try? Data(contentsOf: $0) }
    }()

    /// Fragments that tend to reach unusual paths.
    static let tokens: [String] = [",", ".", "\"", "\n", "\r\n", "-1", "-2", "1e308", "nan", "inf", "99999999999999999999",
                                   "{", "}", "[", "]", "null", "\"value\": \"x\"", "2024-13-45T25:61:00Z", "Patient/", "#", "\u{FEFF}",
                                   ",,,,,,,,", "0.000000000000000000001", "µ", "\0", "\"entry\": [", "1,0,.,100,1,1,1,70\n"]

    /// Applies mutations encoded as integers: position, operation and argument from one value.
    static func mutate(_ data: Data, _ ops: [Int]) -> Data {
        var bytes = [UInt8](data)
        for op in ops {
            let position = bytes.isEmpty ? 0 : (op >> 8) % (bytes.count + 1)
            let argument = UInt8(truncatingIfNeeded: op)
            switch (op >> 4) % 6 {
            case 0 where position < bytes.count: bytes[position] = argument
            case 1: bytes.insert(argument, at: position)
            case 2 where position < bytes.count: bytes.removeSubrange(position..<min(bytes.count, position + Int(argument % 16) + 1))
            case 3:
                let token = tokens[Int(argument) % tokens.count]
                bytes.insert(contentsOf: Array(token.utf8), at: position)
            case 4 where position < bytes.count:
                let end = min(bytes.count, position + Int(argument) + 1)
                bytes.insert(contentsOf: Array(bytes[position..<end]), at: end)
            default:
                if position < bytes.count { bytes.removeSubrange(position...) }
            }
            if bytes.count > 1 << 20 { break }
        }
        return Data(bytes)
    }

    static let units = ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .milligram, "WT": .kilogram,
                                    "AGE": .year, "CRCL": .milliliterPerMinute])

    /// Runs every reader on `data`; checks the bounds.
    static func exercise(_ data: Data) {
        let start = ContinuousClock.now
        do {
            let report = try NONMEMReader(units: units, options: options).read(data, file: "fuzz.csv")
            let events = report.cohort.reduce(0) { $0 + $1.doses.count + $1.observations.count + $1.otherEvents.count }
            #expect(events <= options.limits.maximumEvents + options.limits.maximumAdditionalDoses)
            #expect(report.errors.count <= options.limits.maximumReportedErrors)
        } catch {
            _ = error.description
        }
        do {
            let report = try FHIRReader(options: FHIRReadOptions(read: options)).read(data, file: "fuzz.json")
            #expect(report.errors.count <= options.limits.maximumReportedErrors)
        } catch {
            _ = error.description
        }
        if let text = String(data: data.prefix(400), encoding: .utf8) {
            _ = try? Regimen(parsing: text)
        }
        #expect(ContinuousClock.now - start < .seconds(2), "an input took over 2 s")
    }

    @Test func mutatedSeedsNeverCrash() async {
        await propertyCheck(count: Self.count, input: Gen.int(in: 0...(Self.seeds.count - 1)), Gen.int(in: 0...Int(Int32.max)).array(of: 1...12)) { seed, ops in
            Self.exercise(Self.mutate(Self.seeds[seed], ops))
        }
    }

    @Test func randomBytesNeverCrash() async {
        await propertyCheck(count: Self.count, input: Gen.int(in: 0...255).array(of: 0...600)) { bytes in
            Self.exercise(Data(bytes.map { UInt8($0) }))
        }
    }

    @Test func randomRegimenTextNeverCrashes() async {
        let words = ["100", "mg", "U", "g", "carbs", "q12h", "x5", "x", "at", "07:00", ",", ";", "daily", "for", "3d", "basal",
                     "0.8", "U/h", "iv", "over", "1h", "rate", "cmt", "2", "from", "µg/kg", "99:99", "q0h", "x0", "1e400", "-"]
        await propertyCheck(count: Self.count * 4, input: Gen.int(in: 0...(words.count - 1)).array(of: 0...12)) { picks in
            let text = picks.map { words[$0] }.joined(separator: " ")
            do {
                let regimen = try Regimen(parsing: text)
                let doses = (try? regimen.doses(weight: 70)) ?? []
                #expect(doses.count <= 100_000 * regimen.items.count)
            } catch let error as RecordError {
                if case let .regimenSyntax(t, offset, _, _) = error {
                    #expect(t == text && offset >= 0 && offset <= text.count)
                }
            } catch {
                Issue.record("not a RecordError: \(error)")
            }
        }
    }

    /// Random valid event tables round-trip exactly: read → write → read gives the same cohort.
    @Test func randomValidTablesRoundTrip() async {
        await propertyCheck(count: Self.count, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...40)) { draws in
            var rows = ["ID,TIME,DV,AMT,RATE,EVID,CMT,MDV,II,ADDL,WT"]
            var time = 0.0
            var id = 1
            for d in draws {
                if d % 11 == 0 { id += 1; time = 0 }
                time += Double(d % 97) / 8
                let weight = 40 + Double(id % 60)
                switch d % 5 {
                case 0: rows.append("\(id),\(time),.,\(1 + d % 900),\(d % 3 == 0 ? "25" : "."),1,1,1,\(d % 2 == 0 ? "12" : "."),\(d % 2 == 0 ? "\(d % 4)" : "."),\(weight)")
                case 1: rows.append("\(id),\(time),.,.,.,2,2,1,.,.,\(weight)")
                default: rows.append("\(id),\(time),\(Double(d % 100_000) / 997),.,.,0,2,0,.,.,\(weight)")
                }
            }
            do {
                let first = try NONMEMReader(units: Self.units, options: ReadOptions(strict: true)).read(text: rows.joined(separator: "\n"))
                let (text, units) = try NONMEMWriter().csv(for: first.cohort)
                let second = try NONMEMReader(units: units, options: ReadOptions(strict: true)).read(text: text)
                #expect(second.cohort == first.cohort)
            } catch {
                Issue.record("valid table refused: \(error)")
            }
        }
    }
}

/// Mutated FHIR Bundles and NDJSON through the FHIR reader (lenient and strict) and, for what it
/// accepts, back out through both writers: no crash, each input well under two seconds, errors
/// and events within the (tight) limits.
@Suite struct FHIRFuzzTests {
    static let seeds: [Data] = {
        let examples = Fixtures.examples
        var seeds = ["glucose-patient.json", "vancomycin-cohort-ndjson/Patient.ndjson",
                     "vancomycin-cohort-ndjson/MedicationAdministration.ndjson", "vancomycin-cohort-ndjson/Observation.ndjson"]
            .compactMap { try? Data(contentsOf: examples.appendingPathComponent($0)) }
        // One NDJSON export of every kind the reader maps, on one patient, small enough to mutate.
        let lines = [
            #"{"resourceType": "Patient", "id": "f1", "gender": "male", "birthDate": "1970-05-02"}"#,
            #"{"resourceType": "Observation", "id": "w", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "subject": {"reference": "Patient/f1"}, "effectiveDateTime": "2024-03-01T07:00:00Z", "valueQuantity": {"value": 80, "code": "kg"}}"#,
            #"{"resourceType": "MedicationAdministration", "id": "d", "status": "completed", "subject": {"reference": "Patient/f1"}, "effectivePeriod": {"start": "2024-03-01T08:00:00Z", "end": "2024-03-01T09:00:00Z"}, "dosage": {"dose": {"value": 15, "code": "mg/kg"}}}"#,
            #"{"resourceType": "MedicationRequest", "id": "o", "status": "active", "subject": {"reference": "Patient/f1"}, "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": {"start": "2024-03-01T20:00:00Z"}, "count": 4, "frequency": 2, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1000, "code": "mg"}}]}]}"#,
        ]
        seeds.append(Data(lines.joined(separator: "\n").utf8))
        seeds.append(Data((#"{"resourceType": "Bundle", "type": "collection", "entry": ["# + lines.map { #"{"resource": \#($0)}"# }.joined(separator: ", ") + "]}").utf8))
        return seeds
    }()

    /// JSON-level substitutions: hostile values for numbers, strings and types.
    static let replacements: [String] = ["1e308", "-1e308", "-70", "0", "1e-320", "99999999999999999999999", "null", "\"\"", "[]", "{}",
                                         "\"Bunddle\"", "\"Patient\"", "\"f1\"", "\"Patient/f1\"", "\"kg\"", "\"mg/kg\"", "\"mg/mL\"",
                                         "100000", "-1", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01\"", "\"2024-02-30\"", "true"]

    /// Replaces the JSON scalar (number or string) that starts at or after a position.
    static func substitute(_ data: Data, _ ops: [Int]) -> Data {
        var text = String(decoding: data, as: UTF8.self)
        for op in ops {
            let scalars = Array(text.utf8)
            guard !scalars.isEmpty else { break }
            var i = (op >> 8) % scalars.count
            while i < scalars.count, !(scalars[i] == 34 || scalars[i] == 45 || (scalars[i] >= 48 && scalars[i] <= 57)) { i += 1 }
            guard i < scalars.count else { continue }
            var j = i + 1
            if scalars[i] == 34 {
                while j < scalars.count, scalars[j] != 34 { j += 1 }
                j = min(j + 1, scalars.count)
            } else {
                while j < scalars.count, (scalars[j] >= 48 && scalars[j] <= 57) || scalars[j] == 46 || scalars[j] == 101 || scalars[j] == 45 { j += 1 }
            }
            let replacement = replacements[op % replacements.count]
            text = String(decoding: scalars[..<i], as: UTF8.self) + replacement + String(decoding: scalars[j...], as: UTF8.self)
            if op % 7 == 0, let newline = text.firstIndex(of: "\n") {          // duplicate the first line (duplicate ids)
                text = String(text[...newline]) + text
            }
        }
        return Data(text.utf8)
    }

    static func exercise(_ data: Data) {
        let start = ContinuousClock.now
        for strict in [false, true] {
            var options = FuzzTests.options
            options.strict = strict
            do {
                let report = try FHIRReader(options: FHIRReadOptions(read: options)).read(data, file: "fuzz.ndjson")
                #expect(report.errors.count <= options.limits.maximumReportedErrors)
                let events = report.cohort.reduce(0) { total, r in
                    total + r.doses.count + r.observations.count + r.plannedRegimens.reduce(0) { $0 + $1.items.count }
                }
                #expect(events <= options.limits.maximumEvents)
                // What was accepted can be written back without a trap.
                if let origin = try? FHIRDateTime(parsing: "2024-03-01T00:00:00Z") {
                    _ = try? FHIRWriter(origin: origin).bundle(for: report.cohort)
                }
                _ = try? NONMEMWriter().csv(for: report.cohort)
                for record in report.cohort { for regimen in record.plannedRegimens { _ = try? regimen.doses(weight: record.weight) } }
            } catch {
                _ = error.description
            }
        }
        #expect(ContinuousClock.now - start < .seconds(2), "an input took over 2 s")
    }

    @Test func mutatedFHIRBytesNeverCrash() async {
        await propertyCheck(count: FuzzTests.count, input: Gen.int(in: 0...(Self.seeds.count - 1)), Gen.int(in: 0...Int(Int32.max)).array(of: 1...8)) { seed, ops in
            Self.exercise(FuzzTests.mutate(Self.seeds[seed], ops))
        }
    }

    @Test func mutatedFHIRValuesNeverCrash() async {
        await propertyCheck(count: FuzzTests.count * 2, input: Gen.int(in: 0...(Self.seeds.count - 1)), Gen.int(in: 0...Int(Int32.max)).array(of: 1...6)) { seed, ops in
            Self.exercise(Self.substitute(Self.seeds[seed], ops))
        }
    }
}

/// The byte-level number parser agrees with the standard library's on every value.
@Suite struct NumberParsingProperties {
    @Test func csvNumbersEqualTheStandardLibrarysParse() async {
        await propertyCheck(count: FuzzTests.count * 4, input: Gen.double(in: -1e6...1e6), Gen.int(in: -30...30), Gen.int(in: 0...3)) { x, exponent, style in
            let value = x * pow(10, Double(exponent))
            let text: String
            switch style {
            case 0: text = value.description                                  // shortest round-trip, may use e-notation
            case 1: text = String(format: "%.17g", value)                     // 17 significant digits
            case 2: text = String(format: "%.3f", value)                      // fixed
            default: text = String(format: "%.6E", value)
            }
            guard let expected = Double(text) else { return }
            do {
                let report = try readCSV("ID,TIME,DV\n1,0,\(text)", strict: true)
                #expect(report.cohort.first?.observations.first?.value == expected, "\(text)")
            } catch {
                Issue.record("\(text) refused: \(error)")
            }
        }
    }
}
