import Foundation
import TwinData

/// Paths of the reference data under Tests/Fixtures, found from this file's location so that
/// the tests run from any working directory.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let pkDatasets = root.appendingPathComponent("pk-datasets")
    static let theophylline = pkDatasets.appendingPathComponent("theophylline.csv")
    static let indomethacin = pkDatasets.appendingPathComponent("indomethacin.csv")
    static let examples = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The units most tests use: TIME h, DV mg/L, AMT mg, WT kg.
let standardUnits = ColumnUnits(["TIME": .hour, "DV": .milligramPerLiter, "AMT": .milligram, "WT": .kilogram])

/// Reads CSV text with the standard units (lenient unless `strict`).
func readCSV(_ text: String, units: ColumnUnits = standardUnits, strict: Bool = false, file: String = "test.csv") throws -> ReadReport {
    try NONMEMReader(units: units, options: ReadOptions(strict: strict)).read(text: text, file: file)
}
