import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TwinModels

/// `medtwin simulate` run as a person would: the CSV it writes (header with units, provenance,
/// values against a closed form), the SVG plot, atomic writes, and the errors bad input gets.
@Suite struct SimulateCommandTests {
    /// Agreement of the simulated one-compartment IV bolus with its closed form. The solve runs at
    /// the CLI's default tolerances (rtol 1e-8, atol 1e-10) and the CSV prints 10 significant
    /// digits, so the global error stays far below 1e-6 relative; a wrong rate constant, volume or
    /// dose would be off by percent.
    static let closedFormTolerance = 1e-6

    /// The dose the test gives, mg (the regimen below says so).
    static let bolus = 100.0
    static let bolusRegimen = "100 mg iv"

    /// A fresh empty directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    // MARK: - CSV

    @Test func oneCompartmentBolusMatchesTheClosedFormWithUnitsAndProvenance() throws {
        let model = try ModelCatalog.model(named: "pk-1cmt")
        // C(t) = (D/V)·exp(−(CL/V)·t), t in hours, at the registry's defaults (Gibaldi & Perrier 1982, ch. 1).
        let typical = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.typical) })
        let clearance = try #require(typical["CL"]), volume = try #require(typical["V"])
        #expect(model.timeUnit == .hour, "the closed form below takes t in hours")

        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csvURL = directory.appendingPathComponent("pk.csv"), svgURL = directory.appendingPathComponent("pk.svg")
        let points = 97  // every 15 min over 24 h, ends included
        let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--regimen", Self.bolusRegimen, "--until", "24h",
                                            "--points", "\(points)", "--out", csvURL.path, "--plot", svgURL.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(csvURL.path): \(points) rows × \(model.outputs.count) outputs"))

        let lines = try String(contentsOf: csvURL, encoding: .utf8).split(separator: "\n").map(String.init)
        let provenance = lines.prefix { $0.hasPrefix("#") }
        for fact in ["# engine: medtwin ", "# blas: OpenBLAS core ", "# model: pk-1cmt — \(model.title)",
                     "# regimen: \(Self.bolusRegimen)", "# solver: Tsit5, rtol 1e-08, atol 1e-10"] {
            #expect(provenance.contains { $0.hasPrefix(fact) }, "provenance line '\(fact)…' in \(provenance)")
        }
        #expect(provenance.contains("# parameters: typical values"))

        let body = lines.dropFirst(provenance.count)
        let expectedHeader = ["time (\(model.timeUnit.symbol))"] + model.outputs.map { "\($0.name) (\($0.unit))" }
        #expect(body.first == expectedHeader.joined(separator: ","), "header: time with its unit, then each output with its unit")
        let concentrationColumn = try #require(model.outputs.firstIndex { $0.name == "C" }) + 1
        let rows = body.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(rows.count == points)
        #expect(rows.first?.first == 0 && rows.last?.first == 24, "the grid spans 0…24 h")
        for row in rows {
            let t = row[0], c = row[concentrationColumn]
            let exact = Self.bolus / volume * exp(-(clearance / volume) * t)
            #expect(abs(c - exact) <= Self.closedFormTolerance * exact, "C(\(t) h) = \(c), closed form \(exact)")
        }
        // Atomic writes: the two outputs and nothing else (no temporary file) in the directory.
        #expect(try Self.contents(of: directory) == ["pk.csv", "pk.svg"])
    }

    @Test func replacesAnExistingOutputFileWithoutLeavingATemporaryFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csvURL = directory.appendingPathComponent("run.csv")
        try "stale contents\n".write(to: csvURL, atomically: false, encoding: .utf8)
        let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--regimen", Self.bolusRegimen, "--until", "2h",
                                            "--points", "3", "--out", csvURL.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: csvURL, encoding: .utf8)
        #expect(text.hasPrefix("# engine: medtwin "), "the stale file was replaced: \(text.prefix(80))")
        #expect(try Self.contents(of: directory) == ["run.csv"])
    }

    // MARK: - SVG

    @Test func plotIsWellFormedSVGWithAxesLegendDosesAndProvenance() throws {
        let model = try ModelCatalog.model(named: "pk-2cmt")
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svgURL = directory.appendingPathComponent("pk.svg")
        let result = try CommandRunner.run(["simulate", "--model", "pk-2cmt", "--regimen", "100 mg po q12h x6", "--until", "72h",
                                            "--points", "289", "--out", directory.appendingPathComponent("pk.csv").path,
                                            "--plot", svgURL.path])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: svgURL)
        let document = SVGOutline()
        let parser = XMLParser(data: data)
        parser.delegate = document
        #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(document.root == "svg")
        #expect(document.rootNamespace == "http://www.w3.org/2000/svg")
        #expect(document.desc.contains("# model: pk-2cmt"), "the provenance travels in <desc>")
        // What a reader of the picture needs: the time axis and each output's unit, the legend, the six doses.
        #expect(document.texts.contains { $0.hasPrefix("time (\(model.timeUnit.symbol))") }, "time axis label: \(document.texts)")
        for output in model.outputs {
            #expect(document.texts.contains { $0.contains(output.unit) }, "an axis names \(output.unit)")
            #expect(document.texts.contains { $0.hasPrefix(output.name) }, "the legend names \(output.name)")
        }
        #expect(document.texts.filter { $0 == "100 mg po" }.count == 6, "each of the six doses is labelled: \(document.texts)")
        #expect(try Self.contents(of: directory) == ["pk.csv", "pk.svg"])
    }

    // MARK: - Bad input

    /// A command line that must fail before anything is computed, and what its error must say.
    struct BadInput: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let expected: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// pk-1cmt's parameter names as the registry lists them, which the unknown-parameter error repeats.
    static let oneCompartmentParameters = ModelCatalog.all.first { $0.name == "pk-1cmt" }?.parameters.map(\.name) ?? []

    static let badInputs: [BadInput] = [
        // An unknown model lists every known one.
        BadInput(arguments: ["--model", "pk-9cmt", "--until", "24h"], expected: ["unknown model 'pk-9cmt'"] + ModelCatalog.names),
        // An unknown parameter names the model's parameters (pk-1cmt's, from the registry).
        BadInput(arguments: ["--model", "pk-1cmt", "--param", "Vd=50", "--until", "24h"],
                 expected: ["no parameter named 'Vd'", "its parameters are " + oneCompartmentParameters.joined(separator: ", ")]),
        BadInput(arguments: ["--model", "pk-1cmt", "--param", "CL", "--until", "24h"], expected: ["--param 'CL'", "NAME=VALUE"]),
        // A span without a unit, with an unknown unit, or not positive.
        BadInput(arguments: ["--model", "pk-1cmt", "--until", "24"], expected: ["--until '24'", "such as 72h"]),
        BadInput(arguments: ["--model", "pk-1cmt", "--until", "24 parsecs"], expected: ["--until '24 parsecs'"]),
        BadInput(arguments: ["--model", "pk-1cmt", "--until=0h"], expected: ["--until '0h'", "positive"]),
        BadInput(arguments: ["--model", "pk-1cmt", "--until=-3h"], expected: ["--until '-3h'", "positive"]),
        // The library's message names no flag; the CLI adds the one that fixes it (ErrorHints).
        BadInput(arguments: ["--model", "windkessel", "--regimen", "100 mg iv", "--until", "1min"],
                 expected: ["takes no doses", "drop --regimen and set parameters with --param NAME=VALUE"]),
        BadInput(arguments: ["--model", "pk-1cmt", "--subject", "nobody", "--until", "24h"],
                 expected: ["no subject named 'nobody'", "choose one with --subject"]),
    ]

    @Test(arguments: badInputs)
    func badInputFailsWithAClearErrorAndWritesNothing(_ input: BadInput) throws {
        #expect(!Self.oneCompartmentParameters.isEmpty, "pk-1cmt is in the registry")
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run(["simulate"] + input.arguments + ["--out", directory.appendingPathComponent("x.csv").path,
                                                                               "--plot", directory.appendingPathComponent("x.svg").path])
        #expect(result.status != 0)
        for fragment in input.expected { #expect(result.stderr.contains(fragment), "stderr names '\(fragment)': \(result.stderr)") }
        #expect(try Self.contents(of: directory).isEmpty, "no output for bad input")
    }

    @Test func malformedRegimenPointsAtTheOffendingCharacter() throws {
        let regimen = "100 mg iv q12h x2; 5 mx po"
        let offending = try #require(regimen.range(of: "mx"))
        let column = regimen.distance(from: regimen.startIndex, to: offending.lowerBound)  // 0-based
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--regimen", regimen, "--until", "24h",
                                            "--out", directory.appendingPathComponent("x.csv").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("regimen character \(column + 1): expected a dose unit"), "\(result.stderr)")
        #expect(result.stderr.contains("found 'mx'"))
        // The regimen is echoed and a caret stands under its first wrong character.
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let echo = try #require(lines.firstIndex { $0.hasSuffix(regimen) }, "the regimen is echoed: \(result.stderr)")
        let caretLine = try #require(lines.indices.contains(echo + 1) ? lines[echo + 1] : nil)
        let indent = try #require(lines[echo].range(of: regimen)).lowerBound.utf16Offset(in: lines[echo])
        #expect(caretLine == String(repeating: " ", count: indent + column) + "^", "caret under 'mx': \(result.stderr)")
        #expect(result.stderr.contains("medtwin simulate"), "the usage shown is the simulate command's: \(result.stderr)")
        #expect(try Self.contents(of: directory).isEmpty)
    }
}

/// What the tests read from an SVG: the root element, its namespace, the <desc> text and every
/// <text> element's content.
private final class SVGOutline: NSObject, XMLParserDelegate {
    var root: String?
    var rootNamespace: String?
    var desc = ""
    var texts: [String] = []
    private var buffer = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name; rootNamespace = attributes["xmlns"] }
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "desc" { desc = buffer }
        if name == "text" { texts.append(buffer) }
        buffer = ""
    }
}
