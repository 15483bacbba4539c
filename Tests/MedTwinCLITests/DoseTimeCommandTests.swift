import Foundation
import Testing

/// `medtwin simulate` at dose times: the CSV is post-dose, `--both-sides` adds the marked
/// pre-dose rows, and the summary's max is the exact peak — issue 12's case: 100 mg IV q12h ×5,
/// CL 5 L/h, V 50 L, where the grid's largest value was 2.716 mg/L at 48.5 h.
@Suite struct DoseTimeCommandTests {
    static let arguments = ["simulate", "--model", "pk-1cmt", "--param", "CL=5", "--param", "V=50",
                            "--regimen", "100 mg iv q12h x5", "--until", "60h"]
    static let doseTimes: [Double] = [0, 12, 24, 36, 48]

    /// C(t) = Σ (D/V)·e^(−(CL/V)(t − tᵢ)), D = 100 mg, over the doses at or before t (post-dose)
    /// or strictly before (pre-dose) (Gibaldi and Perrier 1982, ch. 1).
    static func concentration(_ t: Double, preDose: Bool = false) -> Double {
        doseTimes.filter { preDose ? $0 < t : $0 <= t }.reduce(0) { $0 + 100.0 / 50 * exp(-0.1 * (t - $1)) }
    }

    /// The summary prints 6 significant digits (2.85493): 1e-5 relative covers the rounding.
    static let printedTolerance = 1e-5
    /// The CSV's 10 significant digits and the default tolerances (rtol 1e-8): 1e-6 relative.
    static let csvTolerance = 1e-6

    static func run(_ extra: [String]) throws -> (stdout: String, rows: [[String]]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-dose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("pk.csv")
        let result = try CommandRunner.run(arguments + extra + ["--out", csv.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        return (result.stdout, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
    }

    /// The number after `label: ` on a summary line.
    static func summaryValue(_ label: String, in stdout: String) -> Double? {
        let line = stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + ":") }
        return line.flatMap { Double($0.split(separator: ":")[1].split(separator: " ")[0]) }
    }

    @Test func maxCIsTheExactPeakAtTheLastDoseNotTheGridsLargestValue() throws {
        let (stdout, rows) = try Self.run(["--points", "121"])
        let peak = Self.concentration(48)  // Σ_{i=0}^{4} 2·e^(−1.2i) = 2.854931… mg/L
        let maxC = try #require(Self.summaryValue("max C", in: stdout), "\(stdout)")
        #expect(abs(maxC - peak) <= Self.printedTolerance * peak, "max C \(maxC), closed form \(peak)")
        #expect(Self.summaryValue("time of max C", in: stdout) == 48)
        #expect(stdout.contains("time of max C: 48 h"))
        // The CSV at a dose time is post-dose: 2.8549 at 48 h (it was 0.8549, the trough).
        #expect(rows.first == ["time (h)", "C (mg/L)"], "no side column without --both-sides")
        let values = rows.dropFirst().compactMap { row -> (Double, Double)? in
            guard let t = Double(row[0]), let c = Double(row[1]) else { return nil }
            return (t, c)
        }
        #expect(values.count == 121)
        for (t, c) in values {
            #expect(abs(c - Self.concentration(t)) <= Self.csvTolerance * Self.concentration(t), "C(\(t) h) = \(c)")
        }
    }

    @Test func bothSidesAddsPreAndPostRowsAtEveryDoseTime() throws {
        let (stdout, rows) = try Self.run(["--points", "7", "--both-sides"])
        #expect(stdout.contains("wrote ") && stdout.contains(": 16 rows"), "\(stdout)")
        #expect(rows.first == ["time (h)", "C (mg/L)", "side"])
        let body = rows.dropFirst()
        for dose in Self.doseTimes {
            let atDose = body.filter { Double($0[0]) == dose }
            #expect(atDose.map { $0[2] } == ["pre", "post"], "rows at \(dose) h: \(atDose)")
            guard atDose.count == 2, let pre = Double(atDose[0][1]), let post = Double(atDose[1][1]) else { continue }
            let trough = Self.concentration(dose, preDose: true)
            #expect(trough == 0 ? pre == 0 : abs(pre - trough) <= Self.csvTolerance * trough, "trough at \(dose) h: \(pre) vs \(trough)")
            #expect(abs(post - Self.concentration(dose)) <= Self.csvTolerance * Self.concentration(dose), "peak at \(dose) h: \(post)")
        }
        // Off the dose times the side is empty.
        #expect(body.filter { !Self.doseTimes.contains(Double($0[0]) ?? -1) }.allSatisfy { $0[2].isEmpty })
    }

    @Test func helpDocumentsBothSides() throws {
        let result = try CommandRunner.run(["simulate", "--help"])
        #expect(result.stdout.contains("--both-sides"))
        #expect(result.stdout.contains("post-dose"))
    }
}
