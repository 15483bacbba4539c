import Foundation
import MedTwin

/// What `medtwin fit` writes: the JSON document (`--out`), the per-subject CSV (`--table`) and
/// the compact table on stdout.
enum FitReport {
    /// The JSON document: provenance, the library's fits unchanged, and the failures.
    struct Document: Codable {
        var provenance: Provenance
        var fits: [IndividualFit]
        var failures: [FitFailure]
    }

    /// Where a fit file comes from: the engine, the command, the data and the settings.
    struct Provenance: Codable {
        /// "medtwin 0.1.0".
        var engine: String
        /// `EngineInfo.version`.
        var engineVersion: String
        /// "debug" or "release".
        var build: String
        var model: String
        /// The command line, shell-quoted.
        var command: String
        /// The record file.
        var records: String
        /// ISO 8601, UTC.
        var created: String
        /// The population model file (`--population`) and the model it names, or absent.
        var population: String?
        var estimated: [String]
        var fixed: [String: Double]
        var start: [String: Double]
        /// "additive a=1 (start values; estimated)".
        var errorModel: String
        /// "M1" or "M3".
        var blq: String
        /// "closed-form where the model allows, ODE otherwise" or "ode".
        var prediction: String
        var tolerance: Double
        var threads: Int
    }

    static func provenance(model: String, records: String, settings: FitSettings, populationFile: String? = nil,
                           arguments: [String] = CommandLine.arguments) -> Provenance {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return Provenance(engine: "medtwin \(EngineInfo.version)", engineVersion: EngineInfo.version,
                          build: EngineInfo.buildConfiguration, model: model, command: commandLine(arguments),
                          records: records, created: formatter.string(from: Date()),
                          population: settings.population.map { "\(populationFile ?? "?"): \($0.name) (\($0.reference))" },
                          estimated: settings.estimate, fixed: settings.fixed, start: settings.start,
                          errorModel: settings.population == nil ? describe(settings.errorModel) + " (start values; estimated)"
                              : settings.population.map { p in p.errorModels.map { "\($0.output): " + describe($0.model) }.joined(separator: "; ") + " (population; fixed)" } ?? "",
                          blq: settings.censoring.rawValue,
                          prediction: settings.preferClosedForm ? "closed-form where the model allows, ODE otherwise" : "ode",
                          tolerance: settings.tolerance, threads: settings.threads)
    }

    /// "medtwin fit --model pk-1cmt …" with arguments holding spaces or quotes single-quoted.
    static func commandLine(_ arguments: [String]) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+%@")
        let quoted = arguments.dropFirst().map { argument in
            !argument.isEmpty && argument.allSatisfy(safe.contains) ? argument
                : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return (["medtwin"] + quoted).joined(separator: " ")
    }

    /// "combined a=1, b=0.1".
    static func describe(_ error: ResidualErrorModel) -> String {
        error.kind + " " + zip(error.parameterNames, error.standardDeviations).map { "\($0)=\(ModelListing.format($1))" }.joined(separator: ", ")
    }

    /// The document as pretty JSON with sorted keys (non-finite numbers as "Infinity", "NaN").
    static func json(_ document: Document) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        } catch {
            throw CommandFailure("cannot encode the fits as JSON: \(error)")
        }
    }

    // MARK: - CSV table

    /// One row per subject (fitted ones in file order, then the failures): ID, each parameter's
    /// estimate, SE and RSE %, the error SDs, objective, RSS, n, iterations, stop reason,
    /// method, converged, error. `#` lines first carry the provenance.
    static func table(fits: [SubjectFit], failures: [FitFailure], model: AnyPhysiologicalModel, provenance: Provenance) -> String {
        let names = fits.first?.fit.parameterNames ?? provenance.estimated
        let units = names.map { name in model.parameters.first { $0.name == name }?.unit ?? "" }
        let errorColumns = errorColumnNames(fits: fits, model: model)
        var header = ["ID"]
        for (name, unit) in zip(names, units) {
            let u = unit.isEmpty ? "" : " (\(unit))"
            header += ["\(name)\(u)", "\(name) SE\(u)", "\(name) RSE (%)"]
        }
        header += errorColumns + ["objective", "RSS", "n", "iterations", "stop", "method", "converged", "error"]
        var lines = EngineInfo.provenanceLines() + [
            "# model: \(provenance.model)", "# records: \(provenance.records)", "# command: \(provenance.command)",
            "# residual error: \(provenance.errorModel); BLQ \(provenance.blq); tolerance \(provenance.tolerance)",
            header.map(SimulationOutput.quote).joined(separator: ","),
        ]
        for subject in fits {
            let fit = subject.fit
            var row = [SimulationOutput.quote(fit.subject)]
            for k in names.indices {
                row.append(number(fit.estimates[safe: k]))
                row.append(number(fit.standardErrors?[safe: k]))
                row.append(number(fit.relativeStandardErrors?[safe: k]))
            }
            let sds = fit.errorModels.flatMap(\.standardDeviations)
            row += errorColumns.indices.map { number(sds[safe: $0]) }
            row += [number(fit.objective), number(fit.residualSumOfSquares), "\(fit.observationCount)",
                    "\(fit.convergence.iterations)", fit.convergence.stopReason.rawValue, fit.method, fit.converged ? "true" : "false", ""]
            lines.append(row.joined(separator: ","))
        }
        let empty = Array(repeating: "", count: header.count - 3)
        for failure in failures {
            lines.append(([SimulationOutput.quote(failure.subject)] + empty + ["false", SimulationOutput.quote(failure.message)]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "a (mg/L)", "b", or with several outputs "C a (mg/L)" …
    static func errorColumnNames(fits: [SubjectFit], model: AnyPhysiologicalModel) -> [String] {
        guard let errors = fits.first?.fit.errorModels else { return [] }
        return zip(model.outputs, errors).flatMap { output, error in
            error.parameterNames.map { name in
                let prefix = model.outputs.count > 1 ? "\(output.name) " : ""
                let unit = name == "a" && !output.unit.isEmpty ? " (\(output.unit))" : ""
                return "\(prefix)\(name)\(unit)"
            }
        }
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return value.isFinite ? String(format: "%.10g", value) : "\(value)"
    }

    // MARK: - Console

    /// The compact table for stdout: ID, estimate ± SE per parameter, the error SDs, objective,
    /// converged; then
    /// one line per failure.
    static func consoleLines(fits: [SubjectFit], failures: [FitFailure], model: AnyPhysiologicalModel) -> [String] {
        var rows: [[String]] = []
        if let first = fits.first?.fit {
            let header = ["ID"] + first.parameterNames.map { name in
                let unit = model.parameters.first { $0.name == name }?.unit ?? ""
                return unit.isEmpty ? name : "\(name) (\(unit))"
            } + errorColumnNames(fits: fits, model: model) + ["objective", "converged"]
            rows.append(header)
        }
        for subject in fits {
            let fit = subject.fit
            var row = [fit.subject]
            for k in fit.parameterNames.indices {
                let value = short(fit.estimates[safe: k])
                row.append(fit.standardErrors?[safe: k].map { "\(value) ± \(short($0))" } ?? "\(value) (no SE)")
            }
            row += fit.errorModels.flatMap(\.standardDeviations).map { short($0) }
            row += [short(fit.objective), fit.converged ? "yes" : "no (\(fit.convergence.stopReason.rawValue))"]
            rows.append(row)
        }
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[safe: c]?.count ?? 0 }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        lines += failures.map { "failed: \($0.message)" }
        return lines
    }

    /// Four significant digits.
    static func short(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.4g", value)
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
