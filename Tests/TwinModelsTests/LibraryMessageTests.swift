import Testing
import TwinData
import TwinModels
import TwinODE

/// Library error messages speak the library's language: no command-line flag ("--param",
/// "--subject", "--units" …) in any of them; the CLI adds its hints (MedTwinCLI's ErrorHints).
@Suite struct LibraryMessageTests {
    /// Whether `text` contains "--" followed by a letter: a command-line flag.
    static func namesFlag(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 3 else { return false }
        for i in 0..<(scalars.count - 2) where scalars[i] == "-" && scalars[i + 1] == "-" {
            if scalars[i + 2].properties.isAlphabetic { return true }
        }
        return false
    }

    @Test func flagDetectorFindsFlagsOnly() {
        #expect(Self.namesFlag("change it with --param HR=90"))
        #expect(Self.namesFlag("--units, column DV"))
        #expect(!Self.namesFlag("a range 1 -- 2, a dash — and x-y"))
        #expect(!Self.namesFlag("−−"))
    }

    /// Every ModelError case, with the values the models and builders put in them.
    static var modelErrors: [ModelError] {
        [.unknownModel(name: "one-cpt", known: ModelCatalog.names),
         .unknownParameter(model: "pk-1cmt", name: "Cl2", known: ["ka", "CL", "V"]),
         .parameterOutOfBounds(model: "pk-1cmt", name: "CL", value: -1, lower: 1e-4, upper: 1e4, unit: "L/h"),
         .parameterCountMismatch(model: "pk-1cmt", expected: 5, found: 2),
         .stateCountMismatch(model: "pk-1cmt", expected: 2, found: 3),
         .unknownSubject(model: "uva-padova", name: "adult#099", known: ["adult#001"]),
         .unsupportedDose(model: "pk-1cmt", dose: "5 U sc", reason: "this model takes drug amounts in mg (or µg, g), not U"),
         .invalidRequest(model: "pk-1cmt", reason: "the simulated span must be a positive number of hours, not -1.0"),
         .steadyStateNotFound(model: "pk-mm", reason: "Newton's method did not converge in 30 iterations"),
         .problem(model: "pk-1cmt", error: .invalidTimeSpan(start: 0, end: -1))]
    }

    @Test(arguments: modelErrors)
    func modelErrorNamesNoFlag(error: ModelError) {
        #expect(!Self.namesFlag(error.description), "\(error.description)")
    }

    /// The errors the models themselves throw: a dose to every model (including those that take
    /// none, whose messages once said "--param"), an unknown subject, parameter and model.
    @Test func thrownModelErrorsNameNoFlag() throws {
        var messages: [String] = []
        let regimens = try ["100 mg iv", "5 U sc", "50 g carbs", "100 mg cmt 7"].map { try Regimen(parsing: $0) }
        for entry in ModelCatalog.all {
            var request = SimulationRequest(hours: 1)
            request.subject = "nobody"
            do { _ = try entry.simulate(request) } catch { messages.append(error.description) }
            request = SimulationRequest(hours: 1)
            request.overrides = ["no-such-parameter": 1]
            do { _ = try entry.simulate(request) } catch { messages.append(error.description) }
            request = SimulationRequest(hours: 1)
            request.parameters = [1]
            do { _ = try entry.simulate(request) } catch { messages.append(error.description) }
            for regimen in regimens {
                var request = SimulationRequest(hours: 1)
                request.regimen = regimen
                do { _ = try entry.simulate(request) } catch { messages.append(error.description) }
            }
        }
        do { _ = try ModelCatalog.model(named: "one-cpt") } catch { messages.append(error.description) }
        #expect(messages.count > ModelCatalog.all.count * 3, "the requests above are refused: \(messages.count) messages")
        for message in messages { #expect(!Self.namesFlag(message), "\(message)") }
        #expect(messages.contains { $0.contains("takes no doses") }, "Windkessel and SEIR refuse doses")
    }

    /// Every RecordError case, and the ones the unit parser throws for a command-line spec.
    @Test func recordErrorsNameNoFlag() {
        let at = RecordLocation(file: "theoph.csv", line: 3, column: 2, columnName: "TIME")
        var errors: [RecordError] = [
            .missingColumn(at, column: "TIME"), .badValue(at, expected: "a number", found: "abc"),
            .negativeAmount(at, found: -1), .timeWentBackwards(at, previous: 2, found: 1),
            .doseWithoutAmount(at), .observationWithoutValue(at),
            .unknownUnit(at, unit: "furlongs", known: ["h", "min"]), .incompatibleUnit(at, unit: "mg", expected: "a time unit"),
            .missingUnit(at, column: "TIME"), .missingUnit(at, column: "DV"),
            .implausibleDose(at, amount: 1e7, unit: "mg", plausible: 0...1e5),
            .ambiguousTime(at, found: "2024-01", reason: "a partial date"), .unresolvedReference(at, reference: "Patient/x"),
            .limitExceeded(at, limit: "line length", maximum: 10), .malformed(at, message: "unterminated quote"),
            .regimenSyntax(text: "100 mg q", offset: 8, expected: "a duration", found: "the end"),
            .io(file: "x.csv", message: "no such file"),
            .budgetExceeded(at, quantity: "events", count: 10, limit: 5, bytesPerItem: 64, setting: "ReadLimits.maximumEvents"),
            .implausibleValue(at, quantity: "a body weight", value: -70, unit: "kg", plausible: 0...500, source: "DoseBounds.bodyWeight"),
            .duplicateID(at, id: "p1", first: at),
        ]
        for spec in ["TIME", "TIME=furlongs", "=h", "TIME=h,time=min"] {
            do { _ = try ColumnUnits(parsing: spec) } catch { errors.append(error) }
        }
        #expect(errors.count == 24)
        for error in errors { #expect(!Self.namesFlag(error.description), "\(error.description)") }
    }
}
