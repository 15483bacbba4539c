import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TwinData
import TwinFit
import TwinModels

/// `medtwin fit`: individual fits of a record file's subjects through the CLI, which must add
/// nothing to the library's numbers, report failing subjects without losing the others, and
/// refuse bad flags by name.
@Suite struct FitCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// Theophylline (Boeckmann, Sheiner & Beal 1994), units in theophylline.units.json beside it.
    static let theophylline = fixtures.appendingPathComponent("pk-datasets/theophylline.csv")

    /// The parts of the JSON the tests read; `fits` are the library's own type.
    struct Document: Decodable {
        struct Provenance: Decodable {
            var engine: String, model: String, command: String, records: String, created: String, tolerance: Double
        }
        struct Failure: Decodable { var subject: String, message: String }
        var provenance: Provenance
        var fits: [IndividualFit]
        var failures: [Failure]
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func document(_ url: URL) throws -> Document {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(Document.self, from: Data(contentsOf: url))
    }

    @Test func subjectOneEqualsTheLibraryFitAndReachesTheSciPyOptimum() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("fit.json")
        let result = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", Self.theophylline.path, "--id", "1",
                                            "--estimate", "ka,CL,V", "--error", "additive", "--tolerance", "1e-12", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.document(out)
        #expect(document.failures.isEmpty)
        let fit = try #require(document.fits.first)
        #expect(document.fits.count == 1)

        // The same specification given to the library directly: the CLI's JSON holds exactly its
        // result (same code on the same machine, and JSON numbers round-trip doubles exactly).
        let cohort = try NONMEMReader.read(contentsOf: Self.theophylline).cohort
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], errorModel: .additive(1))
        spec.options = TrustRegionOptions(functionTolerance: 1e-12, stepTolerance: 1e-12, gradientTolerance: 1e-12)
        let library = try IndividualFitter(specification: spec).fit(try #require(cohort.record(id: "1")))
        #expect(fit.estimates == library.estimates)
        #expect(fit.standardErrors == library.standardErrors)
        #expect(fit == library, "the whole fit, observations and convergence report included")

        // SciPy least_squares at ftol = xtol = gtol = 1e-15 (Tests/Fixtures/TwinFit/theophylline_scipy.py,
        // scipy 1.17.1): subject 1's RSS. 1e-6 relative: the CLI starts from the model's typical
        // values at tolerance 1e-12, not from SciPy's start at 1e-15.
        let scipyRSS = 4.28600902429861
        #expect(abs(fit.residualSumOfSquares - scipyRSS) <= 1e-6 * scipyRSS, "RSS \(fit.residualSumOfSquares)")
        #expect(fit.converged)
        #expect(document.provenance.model == "pk-1cmt")
        #expect(document.provenance.engine.hasPrefix("medtwin "))
        #expect(document.provenance.command.contains("--estimate ka,CL,V"))
        #expect(document.provenance.tolerance == 1e-12)
        #expect(result.stdout.contains("ka (1/h)"), "\(result.stdout)")
        #expect(result.stdout.contains(" ± "), "estimates with their SE: \(result.stdout)")
    }

    @Test func wholeFileFitsEverySubjectAndWritesTableAndPlot() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("theo.json"), csv = directory.appendingPathComponent("theo.csv")
        let svg = directory.appendingPathComponent("theo.svg")
        let result = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", Self.theophylline.path, "--estimate", "ka,CL,V",
                                            "--threads", "2", "--out", out.path, "--table", csv.path, "--plot", svg.path])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.document(out)
        #expect(document.fits.map(\.subject) == (1...12).map(String.init), "file order, whatever the thread count")
        #expect(document.failures.isEmpty)
        #expect(document.fits.allSatisfy { $0.converged })
        let serial = directory.appendingPathComponent("serial.json")
        let one = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", Self.theophylline.path, "--estimate", "ka,CL,V",
                                         "--threads", "1", "--out", serial.path])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try Self.document(serial).fits == document.fits, "the same fits on 1 and 2 threads")

        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(rows.count == 13, "header and 12 subjects")
        #expect(rows.first?.hasPrefix("ID,ka (1/h),ka SE (1/h),ka RSE (%),CL (L/h)") == true, "\(rows.first ?? "")")
        #expect(rows.first?.hasSuffix("a (mg/L),objective,RSS,n,iterations,stop,method,converged,error") == true, "\(rows.first ?? "")")
        #expect(rows.dropFirst().allSatisfy { $0.contains(",closed-form,true,") })

        let outline = SVGPanels()
        let parser = XMLParser(data: try Data(contentsOf: svg))
        parser.delegate = outline
        #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(outline.root == "svg")
        #expect(outline.panels.filter { $0.hasPrefix("panel subject") }.count == 12)
        #expect(outline.panels.filter { $0 == "panel gof" }.count == 2)
        #expect(outline.paths >= 12, "a prediction curve per subject")
        #expect(outline.circles >= 12 * 11, "every observation a point, twice over with the goodness-of-fit panels")
        #expect(outline.desc.contains("# model: pk-1cmt"))
    }

    @Test func plotShowsTheFirstTwelveSubjectsOfMoreAndSaysSo() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The 12 Theophylline subjects and a copy of subject 1 as subject 13.
        let text = try String(contentsOf: Self.theophylline, encoding: .utf8)
        let copy = text.split(separator: "\n").filter { $0.hasPrefix("1,") }.map { "13" + $0.dropFirst(1) }
        let data = directory.appendingPathComponent("thirteen.csv")
        try (text + copy.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let svg = directory.appendingPathComponent("fit.svg")
        let result = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", data.path, "--units", "TIME=h,DV=mg/L,AMT=mg,WT=kg",
                                            "--estimate", "ka,CL,V", "--out", directory.appendingPathComponent("fit.json").path,
                                            "--plot", svg.path])
        #expect(result.status == 0, "\(result.stderr)")
        let outline = SVGPanels()
        let parser = XMLParser(data: try Data(contentsOf: svg))
        parser.delegate = outline
        #expect(parser.parse())
        #expect(outline.panels.filter { $0.hasPrefix("panel subject") }.count == 12)
        #expect(outline.panels.filter { $0 == "panel gof" }.count == 2)
        #expect(outline.texts.contains { $0.contains("first 12 of 13 subjects") }, "\(outline.texts.prefix(3))")
    }

    @Test func subjectWithoutObservationsFailsAloneWithStatusThree() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Subjects 1 and 2 of Theophylline and a subject 99 with a dose and no concentration.
        let lines = try String(contentsOf: Self.theophylline, encoding: .utf8).split(separator: "\n")
        let kept = lines.filter { $0.hasPrefix("ID,") || $0.hasPrefix("1,") || $0.hasPrefix("2,") }
        let data = directory.appendingPathComponent("three.csv")
        try (kept.joined(separator: "\n") + "\n99,0,.,320,1,1,1,70\n").write(to: data, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("fit.json"), csv = directory.appendingPathComponent("fit.csv")
        let units = "TIME=h,DV=mg/L,AMT=mg,WT=kg"
        let result = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", data.path, "--units", units,
                                            "--estimate", "ka,CL,V", "--out", out.path, "--table", csv.path])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("subject 99: no usable observations"), "\(result.stderr)")
        #expect(result.stdout.contains("failed: subject 99"), "\(result.stdout)")
        let document = try Self.document(out)
        #expect(document.fits.map(\.subject) == ["1", "2"])
        #expect(document.failures.map(\.subject) == ["99"])
        #expect(document.failures.first?.message.contains("no usable observations") == true)
        #expect(try String(contentsOf: csv, encoding: .utf8).contains("\n99,"), "the failure has its table row")

        // Only the failing subject: nothing fitted, status 2, no file written.
        let alone = directory.appendingPathComponent("alone.json")
        let none = try CommandRunner.run(["fit", "--model", "pk-1cmt", "--records", data.path, "--units", units, "--id", "99",
                                          "--estimate", "ka,CL,V", "--out", alone.path])
        #expect(none.status == 2, "\(none.stderr)")
        #expect(none.stderr.contains("subject 99: no usable observations"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: alone.path))
    }

    @Test func badFlagsAreRefusedNamingTheFlag() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("x.json").path
        let base = ["fit", "--model", "pk-1cmt", "--records", Self.theophylline.path, "--out", out]
        let estimate = ["--estimate", "ka,CL,V"]
        let cases: [([String], [String])] = [
            (["--model", "pk-9cmt"] + estimate, ["unknown model 'pk-9cmt'", "pk-1cmt, pk-2cmt"]),
            ([], ["--estimate is required"]),
            (["--estimate", "ka,Q"], ["--estimate Q", "its parameters are ka, CL, V, F, tlag"]),
            (["--estimate", "ka,,V"], ["--estimate 'ka,,V'"]),
            (estimate + ["--fix", "XYZ=1"], ["--fix XYZ", "its parameters are ka, CL, V, F, tlag"]),
            (estimate + ["--fix", "F"], ["--fix 'F'", "NAME=VALUE"]),
            (estimate + ["--fix", "F=2"], ["--fix F=2", "range"]),
            (estimate + ["--fix", "ka=1"], ["--fix ka", "also in --estimate"]),
            (estimate + ["--start", "tlag=0.5"], ["--start tlag", "not estimated"]),
            (estimate + ["--start", "CL=abc"], ["--start 'CL=abc'"]),
            (estimate + ["--error", "quadratic"], ["--error 'quadratic'", "unknown residual error model"]),
            (estimate + ["--error", "combined=0.5"], ["--error 'combined=0.5'", "two standard deviations"]),
            (estimate + ["--error", "additive=-1"], ["--error 'additive=-1'", "positive"]),
            (estimate + ["--blq", "m2"], ["--blq"]),
            (estimate + ["--tolerance", "2"], ["--tolerance"]),
            (estimate + ["--threads", "0"], ["--threads"]),
            (estimate + ["--id", "999"], ["--id '999': no patient with that ID", "1, 2, 3, 4"]),
            (estimate + ["--plot", directory.appendingPathComponent("missing/x.svg").path], ["--plot", "does not exist"]),
            (estimate + ["--table", out], ["--out", "--table", "same file"]),
        ]
        for (arguments, expected) in cases {
            let result = try CommandRunner.run(base + arguments)
            #expect(result.status != 0, "\(arguments)")
            for text in expected { #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)") }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "nothing written")
    }
}

/// What the tests read from the fit SVG: the root, the <desc>, each <g>'s class, the <text>
/// contents, and counts of paths and circles.
private final class SVGPanels: NSObject, XMLParserDelegate {
    var root: String?
    var desc = ""
    var panels: [String] = []
    var texts: [String] = []
    var paths = 0, circles = 0
    private var buffer = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if name == "g", let kind = attributes["class"] { panels.append(kind) }
        if name == "path" { paths += 1 }
        if name == "circle" { circles += 1 }
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "desc" { desc = buffer }
        if name == "text" { texts.append(buffer) }
        buffer = ""
    }
}
