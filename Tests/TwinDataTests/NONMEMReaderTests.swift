import Testing
import TwinData

/// NONMEM event-table semantics: EVID, MDV, II/ADDL, SS, RATE/DUR, resets, reappearing IDs,
/// censoring, per-weight doses, units.
@Suite struct NONMEMReaderTests {
    @Test func headersAreCaseInsensitiveAndDotIsMissing() throws {
        let report = try readCSV("""
            id,Time,dv,Amt,evid,cmt,mdv
            7,0,.,100,1,1,1
            7,1,2.5,.,0,2,0
            7,2,,.,0,2,1
            """)
        #expect(report.isClean)
        let r = try #require(report.cohort.first)
        #expect(r.id == "7")
        #expect(r.doses.count == 1 && r.observations.count == 1)
        #expect(r.otherEvents == [OtherEvent(time: 2, compartment: 2)])     // EVID 0 with MDV 1
    }

    @Test func convertsColumnUnitsOnce() throws {
        let units = try ColumnUnits(parsing: "TIME=min,DV=ng/mL,AMT=µg,RATE=µg/min,WT=lb")
        let report = try readCSV("""
            ID,TIME,DV,AMT,RATE,EVID,WT
            1,0,.,500000,1000,1,154
            1,90,250,.,.,0,154
            """, units: units)
        #expect(report.isClean)
        let r = try #require(report.cohort.first)
        #expect(r.doses[0].amount == 500)                                   // 500000 µg = 500 mg
        // 1000 µg/min = 60 mg/h (RATE is AMT per TIME); 1e-12 relative: two rounded factor steps
        guard case let .infusion(rate) = r.doses[0].delivery else { Issue.record("not an infusion"); return }
        #expect(abs(rate - 60) < 1e-12 * 60)
        #expect(r.observations[0].time == 1.5)                              // 90 min
        #expect(r.observations[0].value == 0.25)                            // 250 ng/mL = 0.25 mg/L
        // 154 lb × 0.45359237 kg/lb = 69.85322498 kg (the pound is exact by definition)
        let wt = try #require(r.weight)
        #expect(abs(wt - 69.85322498) < 1e-9)
    }

    @Test func expandsIIAndADDLIntoRepeatedDoses() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID,II,ADDL
            1,0,.,100,1,12,4
            1,30,1.2,.,0,.,.
            """)
        let r = try #require(report.cohort.first)
        #expect(r.doses.map(\.time) == [0, 12, 24, 36, 48])                // 1 + ADDL 4, every II 12 h
        #expect(r.doses.allSatisfy { $0.amount == 100 && $0.steadyState == nil })
    }

    @Test func marksSteadyStateDoses() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,RATE,EVID,SS,II
            1,0,.,100,.,1,1,12
            2,0,.,0,25,1,1,0
            3,0,.,100,.,1,2,8
            """)
        #expect(report.isClean)
        #expect(report.cohort[0].doses[0].steadyState == SteadyState(kind: .reset, interval: 12))
        #expect(report.cohort[1].doses[0].steadyState == SteadyState(kind: .reset, interval: 0))   // SS infusion, AMT 0
        #expect(report.cohort[1].doses[0].delivery == .infusion(rate: 25))
        #expect(report.cohort[2].doses[0].steadyState == SteadyState(kind: .additive, interval: 8))
    }

    @Test func keepsModelledRateAndDuration() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,RATE,DUR,EVID
            1,0,.,100,-1,.,1
            1,12,.,100,-2,.,1
            1,24,.,100,.,2,1
            """)
        let d = try #require(report.cohort.first).doses.map(\.delivery)
        #expect(d == [.modelledRate, .modelledDuration, .infusionOver(duration: 2)])
    }

    @Test func timeMayRestartAfterReset() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID
            1,0,.,100,1
            1,10,3.0,.,0
            1,0,.,.,3
            1,5,2.0,.,0
            1,0,.,200,4
            1,1,9.0,.,0
            """)
        #expect(report.isClean)
        let r = try #require(report.cohort.first)
        #expect(r.resets == [Reset(time: 0, segment: 1), Reset(time: 0, segment: 2)])
        #expect(r.observations.map(\.segment) == [0, 1, 2])
        #expect(r.doses.map(\.segment) == [0, 2])
        #expect(r.doses[1].amount == 200)
    }

    @Test func reappearingIDStartsANewSubjectWithAWarning() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID
            1,0,.,100,1
            2,0,.,100,1
            1,0,.,50,1
            """)
        #expect(report.cohort.map(\.id) == ["1", "2", "1"])
        #expect(report.warnings.count == 1)
        #expect(report.warnings[0].location.line == 4)
        #expect(report.warnings[0].message.contains("ID 1 appears again"))
    }

    @Test func readsCensoredObservations() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID,BLQ,LLOQ
            1,0,.,100,1,.,.
            1,24,.,.,0,1,0.1
            1,12,0.5,.,0,0,0.1
            """.replacingOccurrencesOfTimeOrder())
        let r = try #require(report.cohort.first)
        #expect(r.observations[1].isCensored)
        #expect(r.observations[1].value == 0.1)                              // no DV: the LLOQ stands in
        #expect(r.observations[1].lowerLimitOfQuantification == 0.1)
        #expect(!r.observations[0].isCensored)
    }

    @Test func multipliesPerWeightDosesByTheRowsWeight() throws {
        let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg/kg,WT=kg")
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID,WT
            1,0,.,4.02,1,79.6
            """, units: units)
        // 4.02 mg/kg × 79.6 kg = 319.992 mg (theophylline subject 1)
        let amount = try #require(report.cohort.first?.doses.first?.amount)
        #expect(abs(amount - 319.992) < 1e-9)
    }

    @Test func infersEventsWithoutEVID() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,MDV
            1,0,.,100,1
            1,1,5,.,0
            1,2,.,.,1
            """)
        let r = try #require(report.cohort.first)
        #expect(r.doses.count == 1 && r.observations.count == 1 && r.otherEvents.count == 1)
    }

    @Test func readsRouteBioavailabilityAndLag() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID,ROUTE,F,LAG
            1,0,.,100,1,oral,0.8,0.5
            """)
        let d = try #require(report.cohort.first?.doses.first)
        #expect(d.route == .oral && d.bioavailability == 0.8 && d.lag == 0.5)
    }

    @Test func skipsCommentAndBlankLinesAndQuotedIDs() throws {
        let report = try readCSV("ID,TIME,DV,AMT,EVID\r\n# a comment\r\n\r\n\"A,1\",0,.,100,1\r\n")
        #expect(report.isClean)
        #expect(report.cohort.first?.id == "A,1")
    }

    @Test func warnsWhenACovariateChanges() throws {
        let report = try readCSV("""
            ID,TIME,DV,AMT,EVID,WT
            1,0,.,100,1,70
            1,24,1,.,0,72
            """)
        #expect(report.cohort.first?.weight == 70)
        #expect(report.warnings.first?.message.contains("WT changes") == true)
    }
}

extension String {
    /// Puts the rows of the censoring example in time order (kept readable above).
    fileprivate func replacingOccurrencesOfTimeOrder() -> String {
        let lines = split(separator: "\n")
        return [lines[0], lines[1], lines[3], lines[2]].joined(separator: "\n")
    }
}
