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
    }
}
