import Foundation
import Testing

/// `medtwin simulate --records FILE --id ID`: one patient of a record file, its given doses as
/// the regimen and its covariates individualising the typical parameters.
@Suite struct RecordSimulationTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples")
    static let theophylline = examples.appendingPathComponent("theophylline-patient.csv").path
    static let vancomycin = examples.appendingPathComponent("vancomycin-cohort.csv").path

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func simulatesThePatientsDosesWithItsCovariates() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("t1.csv")
        // Units from the sidecar theophylline-patient.units.json.
        let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--records", Self.theophylline, "--id", "T1",
                                            "--until", "24h", "--points", "25", "--keep-blas-env", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("# regimen: patient T1 of \(Self.theophylline): 1 given doses"), "\(text)")
        #expect(text.contains("# covariate relations: none applied (pk-1cmt's default covariate relations, CL × (WT/70)^0.75"), "\(text)")
        #expect(result.stdout.contains("covariate relations: none applied"), "\(result.stdout)")
        let values = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
            .compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(values.count == 25)
        #expect(values.first == 0, "no drug before the oral dose is absorbed")
        #expect((values.max() ?? 0) > 1, "the 320 mg dose shows: \(values)")
    }

    /// --allometry applies the model's allometry to the record's weight and says so; without it the
    /// typical values are used. Patient 101 weighs 78.5 kg: V = 35 · 78.5/70 L with --allometry.
    @Test func allometryIsAppliedOnlyWithTheFlagAndReported() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("v.csv")
        let plain = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--records", Self.vancomycin, "--id", "101",
                                           "--until", "24h", "--points", "5", "--keep-blas-env", "--out", out.path])
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainText = try String(contentsOf: out, encoding: .utf8)
        #expect(plainText.contains("# values: ka=1.5 CL=2.8 V=35 "), "\(plainText)")
        let scaled = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--records", Self.vancomycin, "--id", "101", "--allometry",
                                            "--until", "24h", "--points", "5", "--keep-blas-env", "--out", out.path])
        #expect(scaled.status == 0, "\(scaled.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("# covariate relations: pk-1cmt's default covariate relations applied (CL × (WT/70)^0.75, V × WT/70"), "\(text)")
        #expect(text.contains("WT 78.5 kg"), "\(text)")
        #expect(text.contains(" V=39.25 "), "\(text)")                                // 35 · 78.5/70 = 39.25 L
        #expect(scaled.stdout.contains("covariate relations: pk-1cmt's default covariate relations applied"), "\(scaled.stdout)")
    }

    @Test func unknownIDListsThePatientsPresent() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("v.csv")
        let result = try CommandRunner.run(["simulate", "--model", "pk-2cmt", "--records", Self.vancomycin, "--id", "999",
                                            "--until", "24h", "--keep-blas-env", "--out", out.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--id '999': no patient with that ID"), "\(result.stderr)")
        #expect(result.stderr.contains("101, 102, 103, 104, 105, 106, 107, 108"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func conflictingOrIncompleteRecordOptionsAreRefused() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = ["simulate", "--model", "pk-2cmt", "--until", "24h", "--out", directory.appendingPathComponent("x.csv").path]
        let cases: [([String], String)] = [
            (["--records", Self.vancomycin, "--id", "101", "--regimen", "100 mg iv"], "drop --regimen"),
            (["--records", Self.vancomycin], "--records needs --id ID"),
            (["--id", "101"], "give --records too"),
            (["--records", Self.vancomycin + ".txt", "--id", "101"], "expected a .csv, .json or .ndjson file"),
        ]
        for (arguments, expected) in cases {
            let result = try CommandRunner.run(base + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
