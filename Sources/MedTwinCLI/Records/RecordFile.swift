import Foundation
import MedTwin

/// Reads a `--records FILE` the one way every command does: a NONMEM-style CSV with units from
/// `--units` (or the `NAME.units.json` sidecar), FHIR R4 JSON or NDJSON otherwise.
enum RecordFile {
    /// The read report of `path`.
    ///
    /// - Throws: ``CommandFailure`` naming `--records` with the reader's located error.
    static func read(_ path: String, units: String?) throws -> ReadReport {
        do {
            if path.lowercased().hasSuffix(".csv") {
                let columnUnits = try units.map { spec throws(RecordError) in try ColumnUnits(parsing: spec) }
                return try NONMEMReader.read(contentsOf: URL(fileURLWithPath: path), units: columnUnits, options: ReadOptions())
            }
            return try FHIRReader(options: FHIRReadOptions(read: ReadOptions())).read(contentsOf: [URL(fileURLWithPath: path)])
        } catch {
            throw CommandFailure("--records: \(ErrorHints.message(for: error))")
        }
    }
}
