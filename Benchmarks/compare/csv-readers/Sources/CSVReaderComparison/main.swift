import CSV
import Foundation
import SwiftCSV
import TwinData

// The synthetic cohort of Tests/TwinDataTests/ReadPerformanceTests.swift: 100,000 patients × 20
// rows (2 doses, 18 concentrations), covariates WT, AGE, CRCL; deterministic, about 82 MB.
func writeCohort(to path: String) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
    defer { try? handle.close() }
    var buffer = "ID,TIME,DV,AMT,RATE,EVID,CMT,MDV,WT,AGE,CRCL\n"
    for p in 1...100_000 {
        let wt = 50 + Double(p % 500) / 10
        let age = 18 + p % 70
        let crcl = 40 + Double(p % 800) / 10
        for r in 0..<20 {
            let time = Double(r) * 1.25
            if r % 10 == 0 {
                buffer += "\(p),\(time),.,\(100 + p % 400),\(r == 0 ? "50" : "."),1,1,1,\(wt),\(age),\(crcl)\n"
            } else {
                let dv = Double((p * 7919 + r * 104_729) % 100_000) / 1000
                buffer += "\(p),\(time),\(dv),.,.,0,2,0,\(wt),\(age),\(crcl)\n"
            }
        }
        if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
    }
    handle.write(Data(buffer.utf8))
}

func bestOf3(_ body: () throws -> Int) rethrows -> (seconds: Double, rows: Int) {
    var best = Double.infinity
    var rows = 0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        rows = try body()
        let d = ContinuousClock.now - start
        best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return (best, rows)
}

// Arguments: [path] [--only-twindata]
let arguments = CommandLine.arguments.dropFirst()
let onlyTwinData = arguments.contains("--only-twindata")
let path = arguments.first { !$0.hasPrefix("--") } ?? "/tmp/medtwin-csv-100k.csv"
if !FileManager.default.fileExists(atPath: path) { try writeCohort(to: path) }

let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg,WT=kg,AGE=year,CRCL=mL/min")
let ours = try bestOf3 {
    let report = try NONMEMReader(units: units).read(contentsOf: URL(fileURLWithPath: path))
    return report.cohort.reduce(0) { $0 + $1.doses.count + $1.observations.count }
}
print(String(format: "TwinData NONMEMReader (validated PatientRecords): %.2f s, %d rows", ours.seconds, ours.rows))
if onlyTwinData { exit(0) }

let swiftCSV = try bestOf3 {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let csv = try SwiftCSV.CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
    var sum = 0.0
    for row in csv.rows { for field in row { sum += Double(field) ?? 0 } }
    return csv.rows.count
}
print(String(format: "SwiftCSV 0.10.0 (rows + Double per field): %.2f s, %d rows", swiftCSV.seconds, swiftCSV.rows))

let csvSwift = try bestOf3 {
    guard let stream = InputStream(fileAtPath: path) else { return 0 }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    var sum = 0.0
    var rows = 0
    while let row = reader.next() {
        rows += 1
        for field in row { sum += Double(field) ?? 0 }
    }
    return rows
}
print(String(format: "CSV.swift 2.5.2 (streaming rows + Double per field): %.2f s, %d rows", csvSwift.seconds, csvSwift.rows))
