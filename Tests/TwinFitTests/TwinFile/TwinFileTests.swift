import Foundation
import Testing
import TwinData
import TwinModels
@testable import TwinFit

@Suite("Twin file")
struct TwinFileTests {
    /// A twin of the bundled vancomycin patient with the Goti 2018 prior, a posterior, provenance
    /// and a filter state; `fit` adds the MAP estimates.
    static func twin(fit: IndividualFit? = nil) throws -> TwinFile {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        let record = try PopulationFixtures.patient()
        let posterior = TwinPosterior(parameterNames: ["CL", "V1", "V2"], mean: [1.9, 66.0, 45.0],
                                      covariance: [0.1, 0.2, 0, 0.2, 30, 0, 0, 0, 50], draws: [[1.8, 65, 44], [2.0, 67, 46]])
        return TwinFile(model: "pk-2cmt", population: goti, record: record, estimates: fit, posterior: posterior,
                        objective: fit?.objective ?? 12.5,
                        provenance: TwinProvenance(medtwinVersion: "0.9.0", createdAt: "2026-12-07T23:00:00Z",
                                                   commandLine: ["medtwin", "fit", "--model", "pk-2cmt", "--population", "vancomycin-goti2018.json"]),
                        filterState: .object(["step": .number(2), "note": .string("a \"quoted\" é/ü"), "mean": .array([.number(0.1), .null, .bool(true)])]))
    }

    @Test("encoding and decoding give the same twin, with the hash stored")
    func roundTrip() throws {
        let twin = try Self.twin()
        let data = try twin.encode()
        let back = try TwinFile.decode(data)
        #expect(back.contentHash.count == 64)
        var expected = twin
        expected.contentHash = back.contentHash
        #expect(back == expected)
        // Re-encoding the decoded twin reproduces the bytes (sorted keys, same hash).
        #expect(try back.encode() == data)
    }

    @Test("a twin with MAP estimates of the bundled patient round-trips")
    func roundTripWithFit() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        let record = try PopulationFixtures.patient()
        let spec = try goti.fitSpecification(model: TwoCompartmentPK(), record: record)
        let fit = try IndividualFitter(specification: spec).fit(record)
        #expect(fit.isMaximumAPosteriori)
        #expect(fit.observationCount == 2)
        let twin = try Self.twin(fit: fit)
        let back = try TwinFile.decode(twin.encode())
        #expect(back.estimates == fit)
    }

    @Test("schema v2 is refused with a clear message")
    func newerSchema() throws {
        let text = String(decoding: try Self.twin().encode(), as: UTF8.self)
        // The top-level schemaVersion is the last key (sorted keys); the population model's own comes earlier.
        let range = try #require(text.range(of: "\"schemaVersion\" : 1", options: .backwards))
        let v2 = text.replacingCharacters(in: range, with: "\"schemaVersion\" : 2")
        do {
            _ = try TwinFile.decode(Data(v2.utf8))
            Issue.record("accepted schema v2")
        } catch {
            #expect(error == .newerSchema(found: 2, supported: 1))
            #expect(error.description == "this file is schema v2; this MedTwin reads v1 and older")
        }
    }

    @Test("a one-byte edit of a value is a hash mismatch")
    func oneByteEdit() throws {
        var bytes = [UInt8](try Self.twin().encode())
        // The version string "0.9.0" → "0.9.1".
        let needle = Array("\"0.9.0\"".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle })
        bytes[at + 5] = UInt8(ascii: "1")
        do {
            _ = try TwinFile.decode(Data(bytes))
            Issue.record("accepted an edited file")
        } catch {
            guard case .hashMismatch = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test("a truncated file, an empty one, or another kind: typed errors, never a crash")
    func truncated() throws {
        let data = try Self.twin().encode()
        for cut in [0, 1, data.count / 3, data.count / 2, data.count - 2] {
            do {
                _ = try TwinFile.decode(data.prefix(cut))
                Issue.record("accepted a file cut at \(cut) bytes")
            } catch {
                guard case .malformedJSON = error else { Issue.record("cut \(cut): wrong error \(error)"); continue }
            }
        }
        #expect(throws: TwinFileError.wrongKind("medtwin.population-model")) {
            try TwinFile.decode(PopulationFixtures.load(PopulationFixtures.goti).encoded())
        }
    }

    @Test("canonical JSON sorts keys, writes integers without a fraction and escapes strings")
    func canonical() {
        let v: JSONValue = .object(["b": .number(3), "a": .array([.number(1.5), .number(-0.0), .null]), "c": .string("x\"\\\n\u{1}")])
        #expect(v.canonicalText == #"{"a":[1.5,0,null],"b":3,"c":"x\"\\\n\u0001"}"#)
    }
}
