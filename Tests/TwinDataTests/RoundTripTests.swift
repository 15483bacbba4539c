import Foundation
import Testing
import TwinData

/// read → write → read gives the same records (CSV), and cohort → FHIR → cohort keeps the data
/// FHIR can carry.
@Suite struct RoundTripTests {
    func roundTrip(_ cohort: Cohort) throws -> Cohort {
        let (text, units) = try NONMEMWriter().csv(for: cohort)
        let report = try NONMEMReader(units: units, options: ReadOptions(strict: true)).read(text: text, file: "roundtrip.csv")
        return report.cohort
    }

    @Test(arguments: [Fixtures.theophylline, Fixtures.indomethacin])
    func referenceDatasetsRoundTrip(_ url: URL) throws {
        let first = try NONMEMReader.read(contentsOf: url).cohort
        #expect(try roundTrip(first) == first)
    }

    @Test func everyNONMEMFeatureRoundTrips() throws {
        let text = """
            ID,TIME,DV,AMT,RATE,DUR,EVID,CMT,MDV,SS,II,ADDL,BLQ,LLOQ,ROUTE,F,LAG,WT,SEX
            1,0,.,100,.,.,1,1,1,1,12,2,.,.,oral,0.9,0.25,70.5,1
            1,1,0.123456789012345,.,.,.,0,2,0,.,.,.,0,0.05,.,.,.,70.5,1
            1,30,.,.,.,.,0,2,0,.,.,.,1,0.05,.,.,.,70.5,1
            1,31,.,.,.,.,2,2,1,.,.,.,.,.,.,.,.,70.5,1
            1,0,.,.,.,.,3,.,1,.,.,.,.,.,.,.,.,70.5,1
            1,0,.,250,50,.,4,2,1,.,.,.,.,.,iv,.,.,70.5,1
            1,6,.,10,-1,.,1,2,1,.,.,.,.,.,.,.,.,70.5,1
            1,7,.,10,-2,.,1,2,1,.,.,.,.,.,.,.,.,70.5,1
            1,8,.,10,.,0.5,1,2,1,.,.,.,.,.,sc,.,.,70.5,1
            1,9,1e-5,.,.,.,0,2,0,.,.,.,0,.,.,.,.,70.5,1
            "B 2",0,.,5,.,.,1,1,1,.,.,.,.,.,.,.,.,.,2
            """
        let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg,WT=kg")
        let first = try NONMEMReader(units: units, options: ReadOptions(strict: true)).read(text: text).cohort
        #expect(first.count == 2)
        #expect(first[0].doses.count == 7)                       // 1 + ADDL 2, EVID 4, three more
        #expect(try roundTrip(first) == first)
    }

    @Test func writesAtomicallyWithSidecarAndReadsBack() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("cohort.csv")
        let cohort = try NONMEMReader.read(contentsOf: Fixtures.theophylline).cohort
        try NONMEMWriter().write(cohort, to: url)
        try NONMEMWriter().write(cohort, to: url)               // replaces the file in place
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["cohort.csv", "cohort.units.json"])    // no temporary files left behind
        #expect(try NONMEMReader.read(contentsOf: url).cohort == cohort)
    }

    @Test func fhirRoundTripKeepsDosesObservationsAndCovariates() throws {
        var record = PatientRecord(id: "p1")
        record.covariates = [CovariateName.weight: Covariate(value: 82.5, unit: .kilogram), CovariateName.sex: Covariate(value: 2)]
        record.doses = [
            Dose(time: 0, amount: 10, unit: .insulinUnit, route: .subcutaneous),
            Dose(time: 6, amount: 500, unit: .milligram, route: .intravenous, delivery: .infusionOver(duration: 1)),
        ]
        record.observations = [
            Observation(time: 0.5, quantity: "glucose", value: 1520, unit: .milligramPerLiter),
            Observation(time: 1.25, quantity: "insulin", value: 35.5, unit: .microInsulinUnitPerMilliliter),
            Observation(time: 8, quantity: "DV", value: 12.25, unit: .milligramPerLiter),
        ]
        record.plannedRegimens = [try Regimen(parsing: "100 mg q12h x3")]
        let origin = try FHIRDateTime(parsing: "2024-03-01T07:00:00Z")
        let data = try FHIRWriter(origin: origin).bundle(for: Cohort([record]))
        let report = try FHIRReader(options: FHIRReadOptions(origin: .explicit(origin), read: ReadOptions(strict: true))).read(data)
        let back = try #require(report.cohort.first)
        #expect(back.id == "p1")
        #expect(back.doses == record.doses)
        #expect(back.observations == record.observations)
        #expect(back.covariates == record.covariates)
        #expect(back.plannedRegimens.count == 1)
        #expect(try back.plannedRegimens[0].doses().map(\.time) == [0, 12, 24])
    }
}
