import ArgumentParser
import Foundation
import MedTwin

/// `medtwin models [NAME]`: the model catalogue — every model's states, parameters (unit,
/// default, physiological range), inputs, outputs, subjects and reference.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the physiological models with their states, parameters, units, defaults and references.",
        discussion: "Without a name, every model; with one, that model only. Use the names with `medtwin simulate --model NAME`."
    )

    @Argument(help: "A model name (pk-2cmt, uva-padova …); all models when omitted.")
    var name: String?

    @Flag(help: "One line per model: name and title.")
    var brief = false

    func validate() throws {
        if let name, (try? ModelCatalog.model(named: name)) == nil {
            throw ValidationError("unknown model '\(name)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let models = try name.map { [try ModelCatalog.model(named: $0)] } ?? ModelCatalog.all
        if brief {
            let width = models.map(\.name.count).max() ?? 0
            for model in models { Console.line(model.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + model.title) }
            return
        }
        for (k, model) in models.enumerated() {
            if k > 0 { Console.line("") }
            ModelListing.lines(for: model).forEach(Console.line)
        }
    }
}

/// The text `medtwin models` prints for one model.
enum ModelListing {
    static func lines(for model: AnyPhysiologicalModel) -> [String] {
        var lines = ["\(model.name) — \(model.title)",
                     "  reference: \(model.reference)",
                     "  time unit: \(model.timeUnit.symbol)\(model.hasAnalyticJacobian ? "; analytic Jacobian" : "")"]
        lines.append("  states:")
        lines += table(model.states.map { [$0.name, bracket($0.unit), $0.summary] }, indent: 4)
        lines.append("  parameters (default, physiological range):")
        lines += table(model.parameters.map { [$0.name, bracket($0.unit), format($0.typical), "[\(format($0.lower)), \(format($0.upper))]", $0.summary] }, indent: 4)
        if !model.inputs.isEmpty {
            lines.append("  inputs (set by doses):")
            lines += table(model.inputs.map { [$0.name, bracket($0.unit), $0.summary] }, indent: 4)
        }
        lines.append("  outputs:")
        lines += table(model.outputs.map { [$0.name, bracket($0.unit), $0.summary] }, indent: 4)
        let mapping = model.recordMapping
        lines.append("  records (\(mapping.convention)):")
        if mapping.doseCompartments.isEmpty {
            lines.append("    doses: none")
        } else {
            lines += table(mapping.doseCompartments.map { c in
                let routes = c.routes.count == Route.allCases.count ? "any route" : c.routes.map { $0 == .unspecified ? "no route" : $0.rawValue }.joined(separator: ", ")
                return ["dose CMT \(c.number)", c.name, "state \(model.states[c.state].name)" + (c.input.map { ", input \(model.inputs[$0].name)" } ?? ""),
                        "amounts \(c.amounts.map(\.canonicalSymbol).joined(separator: ", ")); \(routes)"]
            }, indent: 4)
        }
        lines += table(mapping.observedOutputs.map { o in
            ["observed DVID \(o.outputID)", model.outputs[o.output].name,
             o.compartments.isEmpty ? "any CMT" : "CMT " + o.compartments.map(String.init).joined(separator: ", "),
             (["name \(model.outputs[o.output].name)"] + o.quantities).joined(separator: ", ")]
        }, indent: 4)
        lines.append("  covariate relations: " + (model.defaultCovariateRelations.map { "\($0); only with --allometry" } ?? "none"))
        if !model.subjects.isEmpty {
            lines.append("  subjects (--subject): \(model.subjects.map(\.name).joined(separator: ", "))")
            lines.append("    source: \(model.subjects[0].source)")
        }
        return lines
    }

    static func bracket(_ unit: String) -> String { unit.isEmpty ? "[-]" : "[\(unit)]" }

    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e5 || abs(x) < 1e-3 { return String(format: "%.4g", x) }
        var s = String(format: "%.6g", x)
        if s.contains("e") { return s }
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }

    /// Columns padded to their widest entry; the last column is left ragged.
    static func table(_ rows: [[String]], indent: Int) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            String(repeating: " ", count: indent) + row.enumerated().map { i, cell in
                i < columns - 1 ? cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0) : cell
            }.joined()
        }
    }
}
