import Foundation
import Testing
import TwinData

/// The Theophylline and Indomethacin sets (R's datasets package, written by
/// Tests/Fixtures/pk-datasets/make_datasets.R): counts and values checked against the CSV text.
@Suite struct ReferenceDatasetTests {
    @Test func readsTheophyllineTwelveSubjects() throws {
        let report = try NONMEMReader.read(contentsOf: Fixtures.theophylline)   // units from theophylline.units.json
        #expect(report.isClean)
        #expect(report.warnings.isEmpty)
        let cohort = report.cohort
        #expect(cohort.count == 12)                                             // 12 subjects (README)
        #expect(cohort.allSatisfy { $0.doses.count == 1 && $0.observations.count == 11 })
        let first = try #require(cohort.record(id: "1"))
        // Line 2 of theophylline.csv: 1,0,.,319.992,1,1,1,79.6 (dose mg = 4.02 mg/kg × 79.6 kg)
        #expect(first.doses[0].amount == 319.992)
        #expect(first.doses[0].unit == .milligram)
        #expect(first.doses[0].compartment == 1)
        #expect(first.doses[0].time == 0)
        #expect(first.weight == 79.6)
        #expect(first.covariates["WT"]?.unit == .kilogram)
        // Lines 3, 6 and 13: 1,0,0.74 … 1,1.12,10.5 … 1,24.37,3.28 (CMT 2)
        #expect(first.observations[0].value == 0.74 && first.observations[0].time == 0)
        #expect(first.observations[3].value == 10.5 && first.observations[3].time == 1.12)
        #expect(first.observations[10].value == 3.28 && first.observations[10].time == 24.37)
        #expect(first.observations.allSatisfy { $0.compartment == 2 && $0.unit == .milligramPerLiter })
        // Subject 12, last line of the file: 12,24.15,1.17,.,0,2,0,60.5
        let last = try #require(cohort.record(id: "12"))
        #expect(last.observations.last?.value == 1.17)
        #expect(last.weight == 60.5)
        #expect(cohort.map(\.observations.count).reduce(0, +) == 132)          // 144 rows − 12 dose rows
    }

    @Test func readsIndomethacinSixSubjectsWithMicrogramsPerMillilitre() throws {
        let report = try NONMEMReader.read(contentsOf: Fixtures.indomethacin)   // DV mcg/mL = mg/L
        #expect(report.isClean)
        #expect(report.cohort.count == 6)
        #expect(report.cohort.allSatisfy { $0.doses.count == 1 && $0.observations.count == 11 })
        #expect(report.cohort.allSatisfy { $0.doses[0].amount == 25 && $0.doses[0].delivery == .bolus })
        let first = try #require(report.cohort.first)
        // Line 3 of indomethacin.csv: 1,0.25,1.5 (mcg/mL); 1 µg/mL = 1 mg/L, so the value is unchanged
        #expect(first.observations[0].time == 0.25 && first.observations[0].value == 1.5)
        #expect(first.observations[0].unit == .milligramPerLiter)
        #expect(first.observations[10].time == 8 && first.observations[10].value == 0.05)
    }

    @Test func refusesToGuessUnitsWithoutSidecar() throws {
        let dir = try Fixtures.temporaryDirectory()
        let copy = dir.appendingPathComponent("theoph.csv")
        try FileManager.default.copyItem(at: Fixtures.theophylline, to: copy)
        #expect(throws: RecordError.missingUnit(RecordLocation(file: "theoph.csv", line: 1, column: 2, columnName: "TIME"), column: "TIME")) {
            try NONMEMReader.read(contentsOf: copy)
        }
    }
}
