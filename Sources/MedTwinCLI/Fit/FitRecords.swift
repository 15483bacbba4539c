import Foundation
import MedTwin

/// The subjects `medtwin fit` fits, read as `medtwin records` and `simulate --records` read a
/// file: NONMEM-style CSV (units from --units or the sidecar) or FHIR R4 JSON/NDJSON.
enum FitRecords {
    /// The records to fit (every valid subject, or the `id` one) and a failure for each subject
    /// the reader rejected, with its errors.
    ///
    /// - Throws: ``CommandFailure`` when the file cannot be read, holds no subject at all, or
    ///   lacks `id` (listing the IDs it holds).
    static func read(path: String, units: String?, id: String?) throws -> (records: [PatientRecord], failures: [FitFailure]) {
        let report = try RecordFile.read(path, units: units)
        var failures = report.rejectedRecordIDs.map { subject in
            let errors = report.errors.filter { $0.location?.recordID == subject }.map { ErrorHints.message(for: $0) }
            let reason = errors.isEmpty ? "the record holds an error (see `medtwin records \(path)`)" : errors.joined(separator: "; ")
            return FitFailure(subject: subject, message: "subject \(subject): not read: \(reason)")
        }
        let unattributed = report.errors.filter { error in
            guard let owner = error.location?.recordID else { return true }
            return !report.rejectedRecordIDs.contains(owner)
        }
        for error in unattributed { Console.error("medtwin fit: reading \(path): \(ErrorHints.message(for: error))") }
        if report.unreportedErrorCount > 0 {
            Console.error("medtwin fit: reading \(path): \(report.unreportedErrorCount) more error(s) (see `medtwin records \(path)`)")
        }
        guard let id else {
            guard !report.cohort.isEmpty || !failures.isEmpty else {
                throw CommandFailure("--records: \(path) holds no patient" + (unattributed.isEmpty ? "" : " that could be read"))
            }
            return (report.cohort.records, failures)
        }
        if let record = report.cohort.record(id: id) { return ([record], []) }
        failures = failures.filter { $0.subject == id }
        if !failures.isEmpty { return ([], failures) }
        let ids = report.cohort.map(\.id)
        let listing = ids.isEmpty ? "it holds no valid patient" : "its patients are " + SimulateCommand.listing(ids)
        throw CommandFailure("--id '\(id)': no patient with that ID in \(path); \(listing)")
    }
}
