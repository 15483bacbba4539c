import Foundation
import Testing
import TwinData

/// Time-varying covariates under NONMEM's PREDPP convention — the value on the record that ends
/// an integration interval applies over it, so a value recorded at t applies over (t_prev, t] —
/// and the DVID column.
@Suite struct CovariateHistoryTests {
    /// Records at 0, 6, 12, 24, 36 h. WT: 70, 70, 72, 72, 80 kg. CRCL: 100, 100, 100, 60, 60.
    static let file = """
        ID,TIME,DV,AMT,EVID,MDV,DVID,WT,CRCL
        1,0,.,100,1,1,.,70,100
        1,6,5,.,0,0,1,70,100
        1,12,4,.,0,0,2,72,100
        1,24,3,.,0,0,1,72,60
        1,36,2,.,0,0,.,80,60
        2,0,.,100,1,1,.,60,90
        2,12,4,.,0,0,.,60,90
        """

    @Test func everyValueIsKeptWithTheTimeItHoldsUpTo() throws {
        let report = try readCSV(Self.file)
        #expect(report.isClean)
        let r = try #require(report.cohort.first)
        // The baseline is the first value, as before.
        #expect(r.weight == 70 && r.covariates["CRCL"]?.value == 100)
        // One entry per run of equal values, at the run's last record.
        #expect(r.covariateHistory["WT"] == [TimedCovariate(time: 6, value: 70, unit: .kilogram),
                                             TimedCovariate(time: 24, value: 72, unit: .kilogram),
                                             TimedCovariate(time: 36, value: 80, unit: .kilogram)])
        #expect(r.covariateHistory["CRCL"] == [TimedCovariate(time: 12, value: 100), TimedCovariate(time: 36, value: 60)])
        // A constant covariate has no history: its baseline is all there is.
        #expect(report.cohort[1].covariateHistory.isEmpty)
        #expect(report.warnings.contains { $0.description.contains("covariate WT changes within the subject") })
    }

    /// Expected values by the convention applied by hand to the file above: WT is 70 on
    /// (−∞, 6] (the records at 0 and 6 h), 72 on (6, 24] (records at 12 and 24 h end those
    /// intervals), 80 on (24, 36] and after the last record; CRCL 100 on (−∞, 12], 60 after.
    @Test func covariatesAtATimeFollowPREDPP() throws {
        let r = try #require(try readCSV(Self.file).cohort.first)
        let expected: [(time: Double, wt: Double, crcl: Double)] = [
            (0, 70, 100), (3, 70, 100), (6, 70, 100), (6.5, 72, 100), (12, 72, 100), (12.5, 72, 60),
            (24, 72, 60), (24.01, 80, 60), (36, 80, 60), (100, 80, 60),
        ]
        for (t, wt, crcl) in expected {
            let c = r.covariates(at: t)
            #expect(c["WT"]?.value == wt, "WT at \(t) h")
            #expect(c["CRCL"]?.value == crcl, "CRCL at \(t) h")
            #expect(c["WT"]?.unit == .kilogram)
        }
        // A record without history: the baseline at every time.
        let constant = try readCSV(Self.file).cohort[1]
        #expect(constant.covariates(at: 5) == constant.covariates)
    }

    @Test func aResetStartsTheHistoryOfANewSegment() throws {
        let r = try #require(try readCSV("""
            ID,TIME,DV,AMT,EVID,MDV,WT
            1,0,.,100,1,1,70
            1,10,2,.,0,0,70
            1,0,.,100,4,1,90
            1,10,3,.,0,0,90
            """).cohort.first)
        #expect(r.covariates(at: 5, segment: 0)["WT"]?.value == 70)
        #expect(r.covariates(at: 0, segment: 1)["WT"]?.value == 90)
        #expect(r.covariates(at: 5, segment: 1)["WT"]?.value == 90)
        #expect(r.covariates(at: 5, segment: 2)["WT"]?.value == 90, "a later segment carries the last value")
    }

    @Test func dvidIsReadIntoTheObservationNotAsACovariate() throws {
        let r = try #require(try readCSV(Self.file).cohort.first)
        #expect(r.observations.map(\.outputID) == [1, 2, 1, nil])
        #expect(r.covariates["DVID"] == nil && r.covariateHistory["DVID"] == nil)
        let bad = try readCSV("""
            ID,TIME,DV,AMT,EVID,MDV,DVID
            1,1,5,.,0,0,1.5
            """)
        #expect(bad.errors.count == 1)
        #expect(bad.errors.first?.description.contains("DVID") == true)
    }

    @Test func historyAndDVIDRoundTripThroughTheWriter() throws {
        let cohort = try readCSV(Self.file).cohort
        let (text, units) = try NONMEMWriter().csv(for: cohort)
        #expect(text.split(separator: "\n")[0].contains("DVID"))
        let back = try NONMEMReader(units: units).read(text: text).cohort
        #expect(back == cohort)
    }

    /// WT (kg) has a LOINC code, so FHIR carries its history; CRCL has no unit here, so it is not
    /// written to FHIR at all (as before).
    @Test func historyRoundTripsThroughFHIR() throws {
        let record = try #require(try readCSV(Self.file).cohort.first)
        let origin = try FHIRDateTime(parsing: "2024-03-01T08:00:00Z")
        let data = try FHIRWriter(origin: origin).bundle(for: Cohort([record]))
        let back = try #require(try FHIRReader(options: FHIRReadOptions(origin: .explicit(origin))).read(data).cohort.first)
        #expect(back.covariateHistory["WT"] == record.covariateHistory["WT"])
        #expect(back.weight == 70)
    }

    @Test func fhirWeightsMeasuredTwiceMakeAHistory() throws {
        let patient = #"{"resourceType": "Patient", "id": "p1"}"#
        func weight(_ time: String, _ kg: Double) -> String {
            #"{"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "\#(time)", "valueQuantity": {"value": \#(kg), "system": "http://unitsofmeasure.org", "code": "kg"}}"#
        }
        let dose = #"{"resourceType": "MedicationAdministration", "status": "completed", "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-01T08:00:00Z", "dosage": {"dose": {"value": 500, "system": "http://unitsofmeasure.org", "code": "mg"}}}"#
        let entries = [patient, dose, weight("2024-01-02T08:00:00Z", 66), weight("2024-01-01T08:00:00Z", 64)]
            .map { #"{"resource": \#($0)}"# }.joined(separator: ",")
        let data = Data(#"{"resourceType": "Bundle", "type": "collection", "entry": [\#(entries)]}"#.utf8)
        let r = try #require(try FHIRReader().read(data, file: "b.json").cohort.first)
        #expect(r.weight == 64)                                                     // the earliest, at 0 h
        #expect(r.covariateHistory["WT"] == [TimedCovariate(time: 0, value: 64, unit: .kilogram),
                                             TimedCovariate(time: 24, value: 66, unit: .kilogram)])
        #expect(r.covariates(at: 12)["WT"]?.value == 66)                            // (0, 24] ends at the 24 h measurement
    }
}
