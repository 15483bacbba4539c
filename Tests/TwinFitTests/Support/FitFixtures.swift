import Foundation
import TwinData

/// Paths and readers of the reference data the fitting tests use (Tests/Fixtures).
enum FitFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let theophylline = root.appendingPathComponent("pk-datasets/theophylline.csv")

    /// The Theophylline cohort (TIME h, DV mg/L, AMT mg, WT kg; CMT 1 depot, CMT 2 central).
    static func theophyllineCohort() throws -> Cohort {
        let units = ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .milligram, "WT": .kilogram])
        return try NONMEMReader(units: units).read(contentsOf: theophylline).cohort
    }

    /// One row of Tests/Fixtures/TwinFit/theophylline_scipy.csv.
    struct ScipyFit {
        var id: String
        var lKe: Double, lKa: Double, lCl: Double
        var rss: Double
    }

    /// The SciPy reference fits (theophylline_scipy.py, scipy 1.17.1, ftol = xtol = gtol = 1e-15).
    static func theophyllineReference() throws -> [ScipyFit] {
        let text = try String(contentsOf: root.appendingPathComponent("TwinFit/theophylline_scipy.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count >= 5, let a = Double(f[1]), let b = Double(f[2]), let c = Double(f[3]), let r = Double(f[4]) else { return nil }
            return ScipyFit(id: f[0], lKe: a, lKa: b, lCl: c, rss: r)
        }
    }
}
