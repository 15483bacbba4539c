import Foundation
import Testing

/// `medtwin records` reads and validates record files as a person would run it.
@Suite struct RecordsCommandTests {
    /// The repository root, from this file's location (Tests/MedTwinCLITests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func readsTheExampleFilesWithSidecarOrExplicitUnits() throws {
        let csv = Self.root.appendingPathComponent("Examples/theophylline-patient.csv").path
        let viaSidecar = try CommandRunner.run(["records", csv])
        #expect(viaSidecar.status == 0, "\(viaSidecar.stderr)")
        #expect(viaSidecar.stdout.contains("patient T1: 1 doses, 7 observations"))
        let fhir = Self.root.appendingPathComponent("Examples/vancomycin-cohort.json").path
        let bundle = try CommandRunner.run(["records", fhir])
        #expect(bundle.status == 0, "\(bundle.stderr)")
        #expect(bundle.stdout.contains("8 valid patient(s), 0 error(s)"))
    }

    /// A covariate that changes is listed with its values in order; a constant one once.
    @Test func listsTheValuesOfATimeVaryingCovariate() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-records-\(UUID().uuidString).csv")
        try "ID,TIME,DV,AMT,EVID,WT,SEX\n1,0,.,100,1,70,1\n1,12,3,.,0,70,1\n1,24,2,.,0,64.5,1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CommandRunner.run(["records", file.path, "--units", "TIME=h,DV=mg/L,AMT=mg,WT=kg"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("patient 1: 1 doses, 2 observations, SEX=1 WT=70→64.5"), "\(result.stdout)")
        #expect(result.stderr.contains("covariate WT changes within the subject"), "\(result.stderr)")
    }

    @Test func reportsEveryErrorWithItsLocationAndKeepsValidPatients() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-records-\(UUID().uuidString).csv")
        try "ID,TIME,DV,AMT,EVID\n1,0,.,100,1\n1,1,abc,.,0\n2,0,.,50,1\n2,2,3.1,.,0\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CommandRunner.run(["records", file.path, "--units", "TIME=h,DV=mg/L,AMT=mg"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 3, column 3 (DV) [ID 1]: expected an observed value (a number), found 'abc'"))
        #expect(result.stdout.contains("patient 2: 1 doses, 1 observations"))
        #expect(result.stdout.contains("1 valid patient(s), 1 error(s)"))
        // Without units (no sidecar, no --units) the reader refuses to guess.
        let noUnits = try CommandRunner.run(["records", file.path])
        #expect(noUnits.status == 1)
        #expect(noUnits.stderr.contains("TIME"))
        #expect(noUnits.stderr.contains("(pass --units TIME=… or put a NAME.units.json sidecar beside the CSV)"), "the CLI's hint: \(noUnits.stderr)")
        // A bad --units spec is reported as the option, not the library's "<units>".
        let badSpec = try CommandRunner.run(["records", file.path, "--units", "TIME=furlongs"])
        #expect(badSpec.status != 0)
        #expect(badSpec.stderr.contains("--units, column TIME: unknown unit 'furlongs'"), "\(badSpec.stderr)")
    }

    @Test func readsEachFileOnItsOwnAndReportsEveryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = dir.appendingPathComponent("ok.csv")
        let empty = dir.appendingPathComponent("empty.csv")
        let json = dir.appendingPathComponent("x.json")
        try "ID,TIME,DV,AMT\n1,0,.,100\n1,1,2.5,.\n".write(to: ok, atomically: true, encoding: .utf8)
        try "".write(to: empty, atomically: true, encoding: .utf8)
        try #"{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "id": "p1"}}]}"#.write(to: json, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["records", ok.path, empty.path, json.path, "--units", "TIME=h,DV=mg/L,AMT=mg"])
        #expect(result.status == 1)                                                     // one file failed
        #expect(result.stdout.contains("patient 1: 1 doses, 1 observations"))             // ok.csv still read
        #expect(result.stdout.contains("ok.csv: 1 valid patient(s), 0 error(s)"))
        #expect(result.stdout.contains("empty.csv: not read (1 error)"))
        #expect(result.stderr.contains("empty.csv line 1: expected a column named ID (the file is empty)"))
        #expect(result.stdout.contains("x.json: 1 valid patient(s), 0 error(s)"))
        #expect(result.stdout.contains("2 valid patient(s), 1 error(s) in 3 reads, 1 not read"))
    }
}
