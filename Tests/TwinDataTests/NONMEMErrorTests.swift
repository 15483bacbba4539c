import Foundation
import Testing
import TwinData

/// Every refusal of the CSV reader: its case, and the file, line and column it points at.
@Suite struct NONMEMErrorTests {
    let header = "ID,TIME,DV,AMT,EVID,CMT"

    /// The errors of a lenient read of `rows` under `header`.
    func errors(_ rows: String, header: String? = nil, units: ColumnUnits = standardUnits) throws -> [RecordError] {
        try readCSV((header ?? self.header) + "\n" + rows, units: units).errors
    }

    func at(_ line: Int, _ column: Int?, _ name: String?, id: String? = "1") -> RecordLocation {
        RecordLocation(file: "test.csv", line: line, column: column, columnName: name, recordID: id)
    }

    @Test func missingRequiredColumn() {
        #expect(throws: RecordError.missingColumn(RecordLocation(file: "test.csv", line: 1), column: "TIME")) {
            try readCSV("ID,DV,AMT\n1,.,100")
        }
        #expect(throws: RecordError.missingColumn(RecordLocation(file: "test.csv", line: 1), column: "DV or AMT")) {
            try readCSV("ID,TIME,WT\n1,0,70")
        }
    }

    @Test func nonNumericValue() throws {
        let e = try errors("1,0,.,abc,1,1")
        #expect(e == [.badValue(at(2, 4, "AMT"), expected: "a dose amount (a number)", found: "abc")])
        #expect(e[0].description == "test.csv line 2, column 4 (AMT) [ID 1]: expected a dose amount (a number), found 'abc'; correct the value or write '.' for missing")
    }

    @Test func negativeAmount() throws {
        #expect(try errors("1,0,.,-5,1,1") == [.negativeAmount(at(2, 4, "AMT"), found: -5)])
    }

    @Test func timeGoingBackwardsWithoutReset() throws {
        let e = try errors("1,0,.,100,1,1\n1,5,2,.,0,2\n1,4,1,.,0,2")
        #expect(e == [.timeWentBackwards(at(4, 2, "TIME"), previous: 5, found: 4)])
        #expect(e[0].description.contains("insert a reset (EVID 3 or 4)"))
    }

    @Test func doseWithoutAmount() throws {
        #expect(try errors("1,0,.,.,1,1") == [.doseWithoutAmount(at(2, 4, "AMT"))])
    }

    @Test func observationWithoutValue() throws {
        #expect(try errors("1,0,.,.,0,2") == [.observationWithoutValue(at(2, 3, "DV"))])
    }

    @Test func badEventID() throws {
        let e = try errors("1,0,.,100,7,1")
        #expect(e == [.badValue(at(2, 5, "EVID"), expected: "EVID 0 (observation), 1 (dose), 2 (other), 3 (reset) or 4 (reset and dose)", found: "7")])
    }

    @Test func unknownUnitInUnitsMapAndSidecar() throws {
        #expect(throws: RecordError.self) { try ColumnUnits(parsing: "TIME=h,DV=mg/dl/h") }
        do {
            _ = try ColumnUnits(parsing: "TIME=h,DV=mg/dl/h")
        } catch {
            #expect(error.location == RecordLocation(file: "<units>", columnName: "DV"))
            guard case let .unknownUnit(_, unit, _) = error else { Issue.record("wrong case"); return }
            #expect(unit == "mg/dl/h")
        }
        do {
            _ = try ColumnUnits(sidecarJSON: Data(#"{"TIME": "hours", "DV": "furlongs"}"#.utf8), file: "x.units.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.location == RecordLocation(file: "x.units.json", jsonPath: "$.DV"))
        }
    }

    @Test func unitOfTheWrongDimension() {
        let units = ColumnUnits(["TIME": .milligram, "DV": .milligramPerLiter, "AMT": .milligram])
        #expect(throws: RecordError.incompatibleUnit(RecordLocation(file: "test.csv", line: 1, column: 2, columnName: "TIME"),
                                                     unit: "mg", expected: "a time unit (h, min, day)")) {
            try readCSV(header + "\n1,0,.,100,1,1", units: units)
        }
    }

    @Test func missingUnitForDV() {
        let units = ColumnUnits(["TIME": .hour, "AMT": .milligram])
        #expect(throws: RecordError.missingUnit(RecordLocation(file: "test.csv", line: 1, column: 3, columnName: "DV"), column: "DV")) {
            try readCSV(header + "\n1,0,.,100,1,1", units: units)
        }
    }

    @Test func implausibleDoseFlagsTheMilligramMicrogramMixUp() throws {
        // 320 mg written in µg (320000) but declared mg: 320 g is outside 0.0001–50000 mg.
        let e = try errors("1,0,.,320000,1,1")
        #expect(e == [.implausibleDose(at(2, 4, "AMT"), amount: 320_000, unit: "mg", plausible: 0.0001...50_000)])
        #expect(e[0].description.contains("mg and µg differ by 1000"))
        // The same number declared in µg is fine.
        let ok = try readCSV(header + "\n1,0,.,320000,1,1", units: ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .microgram]))
        #expect(ok.isClean && ok.cohort.first?.doses.first?.amount == 320)
    }

    @Test func malformedRows() throws {
        let e = try errors("1,0,.,100,1\n1,1,\"2,0,0,2")
        #expect(e.count == 2)
        #expect(e[0] == .malformed(RecordLocation(file: "test.csv", line: 2), message: "expected 6 fields as in the header, found 5; check for a missing or extra comma"))
        guard case let .malformed(l, _) = e[1] else { Issue.record("wrong case"); return }
        #expect(l.line == 3 && l.column == 3)
    }

    @Test func sizeLimits() throws {
        var limits = ReadLimits()
        limits.maximumLineBytes = 64
        limits.maximumAdditionalDoses = 100
        let reader = NONMEMReader(units: standardUnits, options: ReadOptions(limits: limits))
        let long = header + "\n1,0,.,100,1," + String(repeating: "9", count: 100)
        // A line over the limit costs that line and its subject, not the file (issue 13).
        let report = try reader.read(text: long + "\n2,0,.,100,1,1")
        #expect(report.errors == [.limitExceeded(RecordLocation(file: "<input>", line: 2, recordID: "1"), limit: "the line length (112 bytes)", maximum: 64)])
        #expect(report.rejectedRecordIDs == ["1"] && report.cohort.map(\.id) == ["2"])
        let addl = try reader.read(text: "ID,TIME,DV,AMT,EVID,II,ADDL\n1,0,.,100,1,12,1000000")
        guard case let .limitExceeded(l, _, maximum) = addl.errors.first else { Issue.record("expected limitExceeded"); return }
        #expect(l.line == 2 && l.columnName == "ADDL" && maximum == 100)
        limits.maximumBytes = 10
        #expect(throws: RecordError.limitExceeded(RecordLocation(file: "<input>"), limit: "the input size (18 bytes)", maximum: 10)) {
            try NONMEMReader(units: standardUnits, options: ReadOptions(limits: limits)).read(text: "ID,TIME,DV\n1,0,1.0")
        }
    }

    @Test func lenientModeReportsEveryErrorAndKeepsValidPatients() throws {
        let report = try readCSV(header + """

            1,0,.,100,1,1
            1,1,abc,.,0,2
            2,0,.,100,1,1
            2,1,3.5,.,0,2
            3,0,.,.,1,1
            3,1,2,.,0,x
            """)
        #expect(report.cohort.map(\.id) == ["2"])
        #expect(report.rejectedRecordIDs == ["1", "3"])
        #expect(report.errors.map { $0.location?.line } == [3, 6, 7])
    }

    @Test func strictModeStopsAtTheFirstError() {
        #expect(throws: RecordError.badValue(RecordLocation(file: "test.csv", line: 3, column: 3, columnName: "DV", recordID: "1"),
                                             expected: "an observed value (a number)", found: "abc")) {
            try readCSV(header + "\n1,0,.,100,1,1\n1,1,abc,.,0,2\n3,0,.,.,1,1", strict: true)
        }
    }

    @Test func errorCountIsCapped() throws {
        var limits = ReadLimits()
        limits.maximumReportedErrors = 5
        let rows = (1...20).map { "\($0),0,.,.,1,1" }.joined(separator: "\n")
        let report = try NONMEMReader(units: standardUnits, options: ReadOptions(limits: limits)).read(text: header + "\n" + rows)
        #expect(report.errors.count == 5 && report.unreportedErrorCount == 15)
    }
}

extension NONMEMErrorTests {
    @Test func unreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/medtwin/missing.csv")
        #expect {
            try NONMEMReader(units: standardUnits).read(contentsOf: url)
        } throws: { error in
            guard let error = error as? RecordError, case let .io(file, message) = error else { return false }
            return file == "missing.csv" && message.hasPrefix("cannot read the file")
        }
    }
}
