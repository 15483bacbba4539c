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
            Every error names the file and line and column (CSV) or the JSON path (FHIR). Each file is \
            read on its own with its own report (the .ndjson files of one directory together, as one bulk \
            export); a file that cannot be read costs nothing of the others. By default all errors are \
            reported and the valid patients kept; --strict stops each file at its first error. The exit \
            status is 1 when any error was found in any file.
            """
    )

    @Argument(help: "Record files: .csv (NONMEM-style), .json (FHIR Bundle), .ndjson (FHIR bulk export).")
    var files: [String]

    @Option(help: "Column units for CSV files, e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg (overrides a sidecar).")
    var units: String?

    @Flag(help: "Stop each file at its first error.")
    var strict = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one record file") }
        let csv = files.filter { $0.lowercased().hasSuffix(".csv") }
        let fhir = files.filter { $0.lowercased().hasSuffix(".json") || $0.lowercased().hasSuffix(".ndjson") }
        for file in files where !csv.contains(file) && !fhir.contains(file) {
            throw ValidationError("'\(file)': expected a .csv, .json or .ndjson file")
        }
        if let units {
            do { _ = try ColumnUnits(parsing: units) } catch { throw ValidationError(ErrorHints.message(for: error)) }
        }
    }

    /// One read: a CSV file, a FHIR JSON file, or the NDJSON files of one directory (a bulk
    /// export, whose references cross its files).
    struct ReadUnit {
        var label: String
        var files: [String]
        var isCSV: Bool
    }

    /// Groups the files into independent reads, in the order given.
    static func units(for files: [String]) -> [ReadUnit] {
        var result: [ReadUnit] = []
        var ndjsonIndex: [String: Int] = [:]
        for file in files {
            let lower = file.lowercased()
            if lower.hasSuffix(".ndjson") {
                let directory = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
                if let i = ndjsonIndex[directory] {
                    result[i].files.append(file)
                    result[i].label += " + " + URL(fileURLWithPath: file).lastPathComponent
                } else {
                    ndjsonIndex[directory] = result.count
                    result.append(ReadUnit(label: file, files: [file], isCSV: false))
                }
            } else {
                result.append(ReadUnit(label: file, files: [file], isCSV: lower.hasSuffix(".csv")))
            }
        }
        return result
    }

    func run() throws {
        let options = ReadOptions(strict: strict)
        let columnUnits = try units.map { spec throws(RecordError) in try ColumnUnits(parsing: spec) }
        let readUnits = Self.units(for: files)
        var errorCount = 0
        var patients = 0
        var failedFiles = 0
        for unit in readUnits {
            // Each file (or NDJSON export) is read on its own: one that fails costs nothing of the others.
            if readUnits.count > 1 { Console.line("== \(unit.label) ==") }
            let report: ReadReport
            do {
                if unit.isCSV {
                    report = try NONMEMReader.read(contentsOf: URL(fileURLWithPath: unit.files[0]), units: columnUnits, options: options)
                } else {
                    report = try FHIRReader(options: FHIRReadOptions(read: options)).read(contentsOf: unit.files.map { URL(fileURLWithPath: $0) })
                }
            } catch {
                Console.error("error: \(ErrorHints.message(for: error))")
                Console.line("\(unit.label): not read (1 error)")
                errorCount += 1
                failedFiles += 1
                continue
            }
            for record in report.cohort {
                let covariates = record.covariates.keys.sorted().map { key in
                    let c = record.covariates[key]
                    // A changing covariate: its values in order (the first is the baseline).
                    if let history = record.covariateHistory[key] {
                        return "\(key)=" + history.map { String(format: "%g", $0.value) }.joined(separator: "→")
                    }
                    return "\(key)=\(c.map { String(format: "%g", $0.value) } ?? "?")"
                }.joined(separator: " ")
                Console.line("patient \(record.id): \(record.doses.count) doses, \(record.observations.count) observations"
                             + (covariates.isEmpty ? "" : ", \(covariates)")
                             + (record.plannedRegimens.isEmpty ? "" : ", \(record.plannedRegimens.count) planned regimen(s)"))
            }
            for warning in report.warnings { Console.error("warning: \(warning)") }
            for error in report.errors { Console.error("error: \(ErrorHints.message(for: error))") }
            if report.unreportedErrorCount > 0 { Console.error("… and \(report.unreportedErrorCount) more errors") }
            let errors = report.errors.count + report.unreportedErrorCount
            if readUnits.count > 1 { Console.line("\(unit.label): \(report.cohort.count) valid patient(s), \(errors) error(s)") }
            errorCount += errors
            patients += report.cohort.count
        }
        var summary = "\(patients) valid patient(s), \(errorCount) error(s)"
        if readUnits.count > 1 { summary += " in \(readUnits.count) reads" + (failedFiles > 0 ? ", \(failedFiles) not read" : "") }
        Console.line(summary)
        if errorCount > 0 { throw ExitCode(1) }
    }
}
