import Foundation
import Testing
import TwinModels

/// `medtwin models` prints the model catalogue as a person reads it: one line per model with
/// `--brief`, and for one model its states, parameters (unit, default, range) and reference.
/// Every expected name, unit and number comes from `ModelCatalog`, the registry the command prints.
@Suite struct ModelsCommandTests {
    /// Relative agreement of a printed default with the registry's value: `medtwin models` prints
    /// six significant digits (`%.6g`), so 1e-6 relative is the most the text can carry.
    static let printedDigitsTolerance = 1e-6

    @Test func briefListsEveryModelOfTheCatalogueOnePerLine() throws {
        let result = try CommandRunner.run(["models", "--brief"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == ModelCatalog.all.count, "one line per registered model: \(result.stdout)")
        for (line, model) in zip(lines, ModelCatalog.all) {
            #expect(line.hasPrefix(model.name + " "), "'\(line)' starts with the name \(model.name)")
            #expect(line.hasSuffix(model.title), "'\(line)' ends with the title of \(model.name)")
        }
        // The names the README and the simulate examples use are among them.
        for name in ["pk-1cmt", "pk-2cmt", "uva-padova", "windkessel", "seir-hospital"] {
            #expect(lines.contains { $0.hasPrefix(name + " ") }, "\(name) is listed")
        }
    }

    @Test func showsStatesParametersWithUnitsDefaultsAndTheReference() throws {
        let model = try ModelCatalog.model(named: "pk-2cmt")
        let result = try CommandRunner.run(["models", "pk-2cmt"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "pk-2cmt — \(model.title)")
        #expect(lines.contains("  reference: \(model.reference)"))
        #expect(lines.contains { $0.hasPrefix("  time unit: \(model.timeUnit.symbol)") })

        let states = Self.section("states:", in: lines)
        #expect(states.count == model.states.count, "one row per state: \(states)")
        for state in model.states {
            let row = try #require(Self.row(named: state.name, in: states), "a row for state \(state.name)")
            #expect(row.count >= 2 && row[1] == "[\(state.unit)]", "state \(state.name) shows its unit: \(row)")
        }

        let parameters = Self.section("parameters (default, physiological range):", in: lines)
        #expect(parameters.count == model.parameters.count, "one row per parameter: \(parameters)")
        for parameter in model.parameters {
            let row = try #require(Self.row(named: parameter.name, in: parameters), "a row for parameter \(parameter.name)")
            let unit = parameter.unit.isEmpty ? "[-]" : "[\(parameter.unit)]"
            #expect(row.count >= 3 && row[1] == unit, "parameter \(parameter.name) shows its unit \(unit): \(row)")
            let printed = try #require(row.count >= 3 ? Double(row[2]) : nil, "parameter \(parameter.name) shows a numeric default: \(row)")
            let scale = max(abs(parameter.typical), .leastNormalMagnitude)
            #expect(abs(printed - parameter.typical) <= Self.printedDigitsTolerance * scale,
                    "default of \(parameter.name): printed \(printed), registry \(parameter.typical)")
        }
        let outputs = Self.section("outputs:", in: lines)
        #expect(outputs.count == model.outputs.count, "one row per output: \(outputs)")
        for output in model.outputs {
            let row = try #require(Self.row(named: output.name, in: outputs), "a row for output \(output.name)")
            #expect(row.count >= 2 && row[1] == "[\(output.unit)]", "output \(output.name) shows its unit: \(row)")
        }
    }

    /// The record mapping (NONMEM ADVAN2 numbering) and the covariate relations, as the model declares them.
    @Test func showsDoseCompartmentsObservedOutputsAndCovariateRelations() throws {
        let result = try CommandRunner.run(["models", "pk-2cmt"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let heading = try #require(lines.firstIndex { $0.hasPrefix("  records (NONMEM ADVAN2/4/12 numbering: CMT 1 depot, CMT 2 central") },
                                   "\(result.stdout)")
        let rows = lines[(heading + 1)...].prefix { $0.hasPrefix("    ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains { $0.hasPrefix("dose CMT 1 depot state depot, input R_depot amounts mg; oral, sc, im, ev, no route") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("dose CMT 2 central state central, input R_central amounts mg; iv") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("observed DVID 1 C CMT 2") }, "\(rows)")
        #expect(lines.contains("  covariate relations: CL, Q × (WT/70)^0.75, V1, V2 × WT/70 (allometry; Holford 1996, Anderson & Holford 2008); only with --allometry"),
                "\(result.stdout)")
        let heart = try CommandRunner.run(["models", "windkessel"])
        #expect(heart.stdout.contains("    doses: none") && heart.stdout.contains("  covariate relations: none"), "\(heart.stdout)")
    }

    @Test func unknownModelNameFailsAndListsTheKnownOnes() throws {
        let result = try CommandRunner.run(["models", "pk-4cmt"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "nothing listed for an unknown model: \(result.stdout)")
        #expect(result.stderr.contains("unknown model 'pk-4cmt'"))
        for name in ModelCatalog.names { #expect(result.stderr.contains(name), "the error names \(name)") }
    }

    /// The indented rows under a `  heading` line, up to the next heading.
    static func section(_ heading: String, in lines: [String]) -> [String] {
        guard let start = lines.firstIndex(of: "  " + heading) else { return [] }
        return Array(lines[(start + 1)...].prefix { $0.hasPrefix("    ") })
    }

    /// The whitespace-separated cells of the row whose first cell is `name`.
    static func row(named name: String, in rows: [String]) -> [String]? {
        rows.map { $0.split(separator: " ").map(String.init) }.first { $0.first == name }
    }
}
