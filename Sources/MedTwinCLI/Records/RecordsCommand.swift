import ArgumentParser
import Foundation
import TwinData

/// `medtwin records FILE…`: reads patient records (NONMEM-style CSV, FHIR R4 Bundle or NDJSON),
/// validates them, and prints one line per patient plus every error and warning with its location.
struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Read and validate patient records (NONMEM-style CSV, FHIR R4 JSON or NDJSON).",
        discussion: """
            CSV files carry no units: give them with --units (e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg) or in a \
            JSON sidecar next to the file (NAME.units.json beside NAME.csv); medtwin refuses to guess. \
            Every error names the file and line and column (CSV) or the JSON path (FHIR). By default \
            all errors are reported and the valid patients kept; --strict stops at the first. The exit \
            status is 1 when any error was found.
            """
    )

    @Argument(help: "Record files: .csv (NONMEM-style), .json (FHIR Bundle), .ndjson (FHIR bulk export).")
    var files: [String]

    @Option(help: "Column units for CSV files, e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg (overrides a sidecar).")
    var units: String?

    @Flag(help: "Stop at the first error.")
    var strict = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one record file") }
        let csv = files.filter { $0.lowercased().hasSuffix(".csv") }
        let fhir = files.filter { $0.lowercased().hasSuffix(".json") || $0.lowercased().hasSuffix(".ndjson") }
        for file in files where !csv.contains(file) && !fhir.contains(file) {
            throw ValidationError("'\(file)': expected a .csv, .json or .ndjson file")
        }
        if let units { _ = try ColumnUnits(parsing: units) }
    }

    func run() throws {
        let options = ReadOptions(strict: strict)
        let columnUnits = try units.map { spec throws(RecordError) in try ColumnUnits(parsing: spec) }
        var reports: [ReadReport] = []
        let csv = files.filter { $0.lowercased().hasSuffix(".csv") }
        let fhir = files.filter { !$0.lowercased().hasSuffix(".csv") }
        do {
            for file in csv {
                reports.append(try NONMEMReader.read(contentsOf: URL(fileURLWithPath: file), units: columnUnits, options: options))
            }
            if !fhir.isEmpty {
                reports.append(try FHIRReader(options: FHIRReadOptions(read: options)).read(contentsOf: fhir.map { URL(fileURLWithPath: $0) }))
            }
        } catch {
            Console.error("medtwin records: \(error)")
            throw ExitCode(1)
        }
        var errorCount = 0
        for report in reports {
            for record in report.cohort {
                let covariates = record.covariates.keys.sorted().map { key in
                    let c = record.covariates[key]
                    return "\(key)=\(c.map { String(format: "%g", $0.value) } ?? "?")"
                }.joined(separator: " ")
                Console.line("patient \(record.id): \(record.doses.count) doses, \(record.observations.count) observations"
                             + (covariates.isEmpty ? "" : ", \(covariates)")
                             + (record.plannedRegimens.isEmpty ? "" : ", \(record.plannedRegimens.count) planned regimen(s)"))
            }
            for warning in report.warnings { Console.error("warning: \(warning)") }
            for error in report.errors { Console.error("error: \(error)") }
            if report.unreportedErrorCount > 0 { Console.error("… and \(report.unreportedErrorCount) more errors") }
            errorCount += report.errors.count + report.unreportedErrorCount
        }
        let patients = reports.reduce(0) { $0 + $1.cohort.count }
        Console.line("\(patients) valid patient(s), \(errorCount) error(s)")
        if errorCount > 0 { throw ExitCode(1) }
    }
}
