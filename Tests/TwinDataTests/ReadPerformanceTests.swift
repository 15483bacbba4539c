import Foundation
import Testing
import TwinData

/// The 2-million-row read measured for BENCHMARKS.md. Skipped unless MEDTWIN_PERF=1; run it in
/// a release build:
///
///     MEDTWIN_PERF=1 swift test -c release --scratch-path .build-data-release --filter ReadPerformanceTests
///
/// The cohort is synthetic (100,000 patients × 20 rows: 2 doses, 18 concentrations, 3
/// covariates), written once to the temporary directory.
@Suite struct ReadPerformanceTests {
    static let enabled = ProcessInfo.processInfo.environment["MEDTWIN_PERF"] == "1"

    @Test(.enabled(if: enabled)) func readsTwoMillionRowsQuickly() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-perf-100k.csv")
        if !FileManager.default.fileExists(atPath: url.path) {
            try SyntheticCohort.writeCSV(patients: 100_000, rowsPerPatient: 20, to: url)
        }
        let size = try (FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let units = try ColumnUnits(parsing: "TIME=h,DV=mg/L,AMT=mg,RATE=mg/h,WT=kg,AGE=year,CRCL=mL/min")
        let reader = NONMEMReader(units: units)
        let rssBefore = ProcessMemory.residentBytes()
        var best = Double.infinity
        var rows = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let report = try reader.read(contentsOf: url)
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            #expect(report.isClean)
            #expect(report.cohort.count == 100_000)
            rows = report.cohort.reduce(0) { $0 + $1.doses.count + $1.observations.count }
        }
        let peak = ProcessMemory.peakResidentBytes()
        print("TwinData read: \(rows) rows, \(size) bytes, best of 3 \(String(format: "%.3f", best)) s; RSS before \(rssBefore >> 20) MiB, peak \(peak >> 20) MiB, peak − before = \(String(format: "%.2f", Double(peak - rssBefore) / Double(size)))× file size")
        #expect(rows == 2_000_000)
        #expect(best < 2.0)                                       // the issue's bar
        #expect(Double(peak - rssBefore) < 10 * Double(size))    // memory under 10× the file size
    }
}

/// A deterministic synthetic cohort for the performance test (no randomness: values from the
/// patient and row index).
enum SyntheticCohort {
    static func writeCSV(patients: Int, rowsPerPatient: Int, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = "ID,TIME,DV,AMT,RATE,EVID,CMT,MDV,WT,AGE,CRCL\n"
        for p in 1...patients {
            let wt = 50 + Double(p % 500) / 10            // 50.0 … 99.9 kg
            let age = 18 + p % 70
            let crcl = 40 + Double(p % 800) / 10
            for r in 0..<rowsPerPatient {
                let time = Double(r) * 1.25
                if r % 10 == 0 {
                    buffer += "\(p),\(time),.,\(100 + p % 400),\(r == 0 ? "50" : "."),1,1,1,\(wt),\(age),\(crcl)\n"
                } else {
                    let dv = Double((p * 7919 + r * 104_729) % 100_000) / 1000   // 0.000 … 99.999 mg/L
                    buffer += "\(p),\(time),\(dv),.,.,0,2,0,\(wt),\(age),\(crcl)\n"
                }
            }
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }
}

/// Resident memory of this process, from /proc/self/status (Linux); 0 elsewhere.
enum ProcessMemory {
    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return (digits.first ?? 0) * 1024
        }
        return 0
    }
    static func residentBytes() -> Int { field("VmRSS:") }
    static func peakResidentBytes() -> Int { field("VmHWM:") }
}
