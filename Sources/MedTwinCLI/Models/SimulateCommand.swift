import ArgumentParser
import Foundation
import MedTwin

/// `medtwin simulate`: runs one model for one patient and writes a CSV (time, then the model's
/// outputs with units in the header) and optionally an SVG plot, both with the run's provenance.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate one model for one patient: CSV of its outputs over time, and an SVG plot.",
        discussion: """
            Examples:
              medtwin simulate --model pk-2cmt --regimen "100 mg po q12h x6" --until 72h --out sim.csv --plot sim.svg
              medtwin simulate --model uva-padova --subject adult#001 \\
                  --regimen "45 g carbs at 07:00; 4.5 U sc at 07:00; 70 g carbs at 12:00" --until 24h --out bg.csv
              medtwin simulate --model windkessel --param HR=90 --until 10s --out wk.csv --plot wk.svg
              medtwin simulate --model pk-1cmt --records Examples/theophylline-patient.csv --id T1 --until 24h --out t1.csv
            The regimen notation is that of TwinData (`100 mg iv over 1h q24h x7`, `basal 0.8 U/h`, \
            `60 g carbs at 07:00`); --until takes a duration of that notation (72h, 30 min, 3d, 2 weeks). \
            --records FILE --id ID simulates one patient of a record file (NONMEM-style CSV with units from \
            --units or the NAME.units.json sidecar, FHIR R4 JSON or NDJSON, read as `medtwin records` reads \
            them): the record's given doses are the regimen (so --regimen is refused with it) and its \
            weight serves per-kg doses; its covariates individualise the typical parameters only with \
            --allometry (the model's default covariate relations, e.g. CL × (WT/70)^0.75 and V × WT/70 for \
            the PK models; --param still applies), and a line of the output says which relations were \
            applied. Doses enter by their CMT (NONMEM ADVAN2 numbering for the PK models: CMT 1 depot, \
            CMT 2 central; see `medtwin models NAME`). The output \
            grid is the usual one; the record's observations are not written (compare them with \
            `medtwin records`). Times in the CSV are in the model's own unit (named in the header). \
            At a dose time the CSV gives the value after the dose (post-dose, as closed forms and NONMEM \
            tables do); --both-sides adds every bolus time to the grid and a row with the value just \
            before each dose (the trough), marked `pre` in a last `side` column (the post-dose row at \
            that time says `post`). The summary's max is the exact peak (dose times and stationary \
            points of the solution), not the largest value of the grid. \
            Files are written atomically (temporary file, then rename); lines starting with # carry the \
            provenance: engine, model, parameter source, solver and tolerances, BLAS core. \
            The output paths are checked before anything is computed (an existing, writable directory; \
            --out and --plot different files). Both files are renamed into place together only when the \
            run succeeded; a failed solve (exit 2), SIGINT, SIGTERM or SIGHUP, or a full disk leave any \
            previous files unchanged (--force writes a failed solve's output anyway). \
            Resources: the trajectory and its CSV (--points × outputs) must fit --max-memory (default 2 GiB), \
            checked before the solve; the solver keeps a dense-output history per step, so its step budget is \
            what is left of --max-memory divided by the bytes per step, at most --max-steps (default 10000000).
            """
    )

    @Option(help: "The model (see `medtwin models`).")
    var model: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Set a parameter: NAME=VALUE in the model's units (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: "A named parameter set of the model (uva-padova: adolescent#001 … adult#010, child#001 …).")
    var subject: String?

    @Option(help: "Doses in regimen notation, e.g. \"100 mg po q12h x5; 500 mg iv over 1h at 30h\".")
    var regimen: String?

    @Option(help: ArgumentHelp("Simulate one patient of this record file (.csv, .json or .ndjson): its doses and covariates.",
                               valueName: "FILE"))
    var records: String?

    @Option(help: "The patient's ID in --records.")
    var id: String?

    @Option(help: "Column units for a --records CSV, e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg (overrides a sidecar).")
    var units: String?

    @Option(help: "The simulated span with its unit, as in a regimen: 72h, 30 min, 10 s, 3d, 2 weeks.")
    var until: String

    @Option(help: "ODE solver: \(SolverChoice.allValueStrings.joined(separator: ", ")).")
    var solver: SolverChoice = .tsit5

    @Option(help: "Relative tolerance.")
    var rtol = 1e-8

    @Option(help: "Absolute tolerance.")
    var atol = 1e-10

    @Option(help: "Output times, equally spaced, ends included.")
    var points = 1001

    @Flag(help: "Apply the model's default covariate relations (allometric weight scaling for the PK models) to the --records patient's covariates; off by default, and reported either way.")
    var allometry = false

    @Flag(name: .customLong("both-sides"),
          help: "At every dose time, a pre-dose row (the trough, side `pre`) before the post-dose one (side `post`); bolus times join the grid.")
    var bothSides = false

    @Option(help: "Where to write the CSV.")
    var out: String

    @Option(help: "Where to write an SVG plot of the outputs.")
    var plot: String?

    @Option(name: .customLong("max-steps"), help: "The most solver steps (the step budget is also bounded by --max-memory).")
    var maxSteps = 10_000_000

    @Flag(help: "Write the outputs even when the solve failed, replacing existing files.")
    var force = false

    @OptionGroup var budget: BudgetOptions

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard (try? ModelCatalog.model(named: model)) != nil else {
            throw ValidationError("unknown model '\(model)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
        _ = try Self.span(until)
        for entry in parameters where Self.parameter(entry) == nil {
            throw ValidationError("--param '\(entry)': write NAME=VALUE with a number, such as CL=4.2")
        }
        if let regimen {
            do { _ = try Regimen(parsing: regimen) } catch { throw ValidationError("--regimen: \(error)") }
        }
        try validateRecordOptions()
        guard rtol > 0, rtol < 1, atol > 0 else { throw ValidationError("--rtol must be in (0, 1) and --atol > 0 (got \(rtol), \(atol))") }
        guard (2...1_000_000).contains(points) else { throw ValidationError("--points must be between 2 and 1000000 (got \(points))") }
        guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1 (got \(maxSteps))") }
        try OutputPaths.validate(outputs: [("--out", out), ("--plot", plot)])
        if let entry = try? ModelCatalog.model(named: model) { _ = try stepBudget(entry: entry) }
    }

    /// `--records`, `--id` and `--units` go together, and a record's doses are the regimen.
    func validateRecordOptions() throws {
        guard let records else {
            if id != nil { throw ValidationError("--id names a patient of --records FILE; give --records too") }
            if units != nil { throw ValidationError("--units gives the columns of a --records CSV; give --records too") }
            return
        }
        let lower = records.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") else {
            throw ValidationError("--records '\(records)': expected a .csv, .json or .ndjson file")
        }
        guard let id, !id.isEmpty else {
            throw ValidationError("--records needs --id ID, the patient to simulate (`medtwin records \(records)` lists them)")
        }
        if regimen != nil {
            throw ValidationError("--records takes the doses from the patient's record; drop --regimen (or drop --records and give the covariates with --param)")
        }
        if units != nil, !lower.hasSuffix(".csv") {
            throw ValidationError("--units applies to a CSV file; '\(records)' is FHIR JSON, which carries its own units")
        }
        if let units {
            do { _ = try ColumnUnits(parsing: units) } catch { throw ValidationError("--units: \(ErrorHints.message(for: error))") }
        }
    }

    /// The `--id` patient of `--records`, read as `medtwin records` reads the file. An unknown ID
    /// lists the IDs the file holds.
    func patientRecord() throws -> PatientRecord? {
        guard let records, let id else { return nil }
        let report = try RecordFile.read(records, units: units)
        guard let record = report.cohort.record(id: id) else {
            let ids = report.cohort.map(\.id)
            let errors = report.errors.count + report.unreportedErrorCount
            let listing = ids.isEmpty ? "it holds no valid patient" : "its patients are " + Self.listing(ids)
            throw CommandFailure("--id '\(id)': no patient with that ID in \(records); \(listing)"
                                 + (errors > 0 ? " (\(errors) error(s) while reading: see `medtwin records \(records)`)" : ""))
        }
        return record
    }

    /// IDs for a message: all of them up to 20, else the first 20 and a count.
    static func listing(_ ids: [String]) -> String {
        ids.count <= 20 ? ids.joined(separator: ", ") : ids.prefix(20).joined(separator: ", ") + " … (\(ids.count) in all)"
    }

    /// Bytes the solver keeps per accepted step: the dense-output coefficients of a degree ≤ 5
    /// polynomial per state and four bookkeeping values, doubled for array growth.
    static func bytesPerStep(states: Int) -> Int? {
        ResourceBudget.product(2, 8, ResourceBudget.sum(ResourceBudget.product(6, states), 4) ?? -1)
    }

    /// Bytes for `rows` output rows: values, states and times as Double (with the per-row array
    /// headers), the CSV text (about 17 characters per number, doubled for string growth) and the
    /// SVG path.
    static func bytesForRows(_ rows: Int, outputs: Int, states: Int) -> Int? {
        let perRow = ResourceBudget.sum(ResourceBudget.product(8, outputs + states + 1), 160,
                                        ResourceBudget.product(34, outputs + 1), ResourceBudget.product(24, outputs))
        return perRow.flatMap { ResourceBudget.product($0, rows) }
    }

    /// What the process needs besides the run (runtime, libraries, BLAS buffers).
    static let baselineBytes = 96 << 20

    /// The step budget: what --max-memory leaves after the output rows, in steps, at most
    /// --max-steps. Refuses a request whose rows alone do not fit.
    func stepBudget(entry: AnyPhysiologicalModel, recordDoses: Int = 0) throws -> (steps: Int, bytesPerStep: Int) {
        let doses = ((try? regimen.map { try Regimen(parsing: $0).doses().count }) ?? 0).map { $0 + recordDoses } ?? recordDoses
        let rows = ResourceBudget.sum(points, bothSides ? ResourceBudget.product(2, doses ?? 0) : 0) ?? Int.max
        let outputBytes = Self.bytesForRows(rows, outputs: entry.outputs.count, states: entry.states.count)
        try ResourceBudget.require("--points \(points) × \(entry.outputs.count) outputs" + (bothSides ? " (with \(doses ?? 0) dose times on both sides)" : ""),
                                   needs: ResourceBudget.sum(outputBytes, Self.baselineBytes), within: budget.maxMemory,
                                   advice: "lower --points or raise --max-memory")
        let perStep = Self.bytesPerStep(states: entry.states.count) ?? Int.max
        let left = budget.maxMemory.bytes - (outputBytes ?? 0) - Self.baselineBytes
        guard left / perStep >= 1000 else {
            throw ValidationError("--max-memory \(budget.maxMemory) leaves room for only \(max(0, left / perStep)) solver steps after the output rows; raise --max-memory or lower --points")
        }
        return (min(maxSteps, left / perStep), perStep)
    }

    /// A span option (`--until`) in hours, read with TwinData's duration grammar
    /// (`RegimenParser.hours(parsing:)`), so a span means here what it means in a regimen:
    /// `72h`, `72 h`, `30 min`, `10 s`, `3d`, `2 weeks`. Zero, negative, unitless or unknown-unit
    /// spans throw a `ValidationError` that names the accepted units.
    static func span(_ text: String, option: String = "--until") throws(ValidationError) -> Double {
        let advice = "give a positive span with a unit, such as 72h, 30 min, 10 s or 3d"
        let hours: Double
        do {
            hours = try RegimenParser.hours(parsing: text)
        } catch {
            if case let .regimenSyntax(_, _, expected, found) = error {
                throw ValidationError("\(option) '\(text)': expected \(expected), found \(found); \(advice)")
            }
            throw ValidationError("\(option) '\(text)': \(error); \(advice)")
        }
        guard hours > 0 else { throw ValidationError("\(option) '\(text)': the span is zero; \(advice)") }
        return hours
    }

    static func parameter(_ entry: String) -> (String, Double)? {
        let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else { return nil }
        return (parts[0], value)
    }

    func run() throws {
        do { try execute() } catch let failure as CommandFailure {
            Console.error("medtwin simulate: \(failure)")
            throw ExitCode(1)
        }
    }

    private func execute() throws {
        let model = try ModelCatalog.model(named: self.model)
        let record = try patientRecord()
        let (stepBudget, bytesPerStep) = try self.stepBudget(entry: model, recordDoses: record?.doses.count ?? 0)
        let outputs = try OutputTransaction(command: "simulate", outputs: [("--out", out), ("--plot", plot)])
        defer { outputs.discard() }
        var request = SimulationRequest(hours: try Self.span(until))
        request.subject = subject
        for entry in parameters { if let (name, value) = Self.parameter(entry) { request.overrides[name] = value } }
        var parsedRegimen: Regimen?
        if let regimen {
            do { parsedRegimen = try Regimen(parsing: regimen) } catch { throw ValidationError("--regimen: \(error)") }
        }
        request.regimen = parsedRegimen
        request.record = record
        request.covariateRelations = allometry ? .modelDefault : .none
        request.solver = solver.algorithm
        request.options = ODEOptions(relativeTolerance: rtol, absoluteTolerance: atol, maxSteps: stepBudget)
        request.points = points
        request.bothSidesOfDoses = bothSides

        let started = ContinuousClock.now
        let run: ModelRun
        do { run = try model.simulate(request) } catch { throw CommandFailure(ErrorHints.message(for: error)) }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let solution = run.simulation.solution
        let stats = solution.statistics
        let succeeded = run.simulation.status.isSuccess
        let statusLine = String(format: "solve: %@ in %.3f ms, %d steps (%d rejected), %d right-hand sides; status: %@",
                                request.solver.name, seconds * 1e3, stats.acceptedSteps, stats.rejectedSteps,
                                stats.rightHandSideEvaluations, solution.statusDescription)
        if !succeeded {
            Console.error("medtwin simulate: " + statusLine)
            if case .tooManySteps = run.simulation.status, stepBudget < maxSteps {
                Console.error("medtwin simulate: the step budget was \(stepBudget) steps: --max-memory \(budget.maxMemory) at about \(ResourceBudget.format(bytesPerStep)) of solver history per step; raise --max-memory, or shorten --until")
            }
            if !force {
                Console.error("medtwin simulate: the solve failed, so no file was replaced: \(outputs.untouchedReport()) (pass --force to write the failed run's output)")
                throw ExitCode(2)
            }
        }

        let doseSource = record.map { "patient \($0.id) of \(records ?? ""): \($0.doses.count) given doses" } ?? regimen
        var provenance = SimulationOutput.provenance(model: model, run: run, regimen: doseSource, solverName: request.solver.name,
                                                     rtol: rtol, atol: atol, hours: request.hours)
        provenance.insert("# covariate relations: \(run.covariateReport)", at: provenance.count - 2)
        try outputs.write(SimulationOutput.csv(model: model, run: run, provenance: provenance, sides: bothSides), to: "--out")
        if plot != nil {
            let doses = ((try? parsedRegimen?.doses()) ?? nil) ?? record?.doses
            let marks = (doses ?? []).map { SVGPlot.DoseMark($0, timeUnit: model.timeUnit) }
            try outputs.write(SVGPlot.render(model: model, run: run, doses: marks, provenance: provenance), to: "--plot")
        }
        try outputs.commit()
        Console.line("wrote \(out): \(run.simulation.times.count) rows × \(model.outputs.count) outputs")
        if let plot { Console.line("wrote \(plot)") }
        if succeeded { Console.line(statusLine) }
        if record != nil || allometry { Console.line("covariate relations: \(run.covariateReport)") }
        for value in run.summary {
            Console.line("  \(value.name): \(ModelListing.format(value.value))\(value.unit.isEmpty ? "" : " " + value.unit)")
        }
        if !succeeded { throw ExitCode(2) }
    }
}

/// The CSV and provenance `simulate` writes.
enum SimulationOutput {
    static func provenance(model: AnyPhysiologicalModel, run: ModelRun, regimen: String?, solverName: String,
                           rtol: Double, atol: Double, hours: Double) -> [String] {
        var lines = EngineInfo.provenanceLines()
        lines.append("# model: \(model.name) — \(model.title)")
        lines.append("# reference: \(model.reference)")
        lines.append("# parameters: \(run.parameterSource)")
        lines.append("# values: " + zip(model.parameters, run.parameters).map { "\($0.name)=\(ModelListing.format($1))" }.joined(separator: " "))
        lines.append("# regimen: \(regimen ?? "none")")
        lines.append("# span: \(ModelListing.format(hours)) h; time unit \(model.timeUnit.symbol)")
        lines.append("# solver: \(solverName), rtol \(rtol), atol \(atol); status: \(run.simulation.status)")
        lines.append("# seed: none (deterministic); threads: 1")
        return lines
    }

    /// The CSV: time, then one column per output; with `sides`, a last column marking the
    /// pre-dose (`pre`) and post-dose (`post`) rows at each dose time.
    static func csv(model: AnyPhysiologicalModel, run: ModelRun, provenance: [String], sides: Bool = false) -> String {
        var text = provenance.joined(separator: "\n") + "\n"
        let sim = run.simulation
        // The side column only when a pre-dose row was asked for; a plain grid keeps its columns.
        let marked = sides || sim.isLeftLimit.contains(true)
        var header = ["time (\(model.timeUnit.symbol))"] + model.outputs.map { $0.unit.isEmpty ? $0.name : "\($0.name) (\($0.unit))" }
        if marked { header.append("side") }
        text += header.map(quote).joined(separator: ",") + "\n"
        for (i, (t, row)) in zip(sim.times, sim.values).enumerated() {
            text += ([t] + row).map { String(format: "%.10g", $0) }.joined(separator: ",")
            if marked {
                let side = sim.isLeftLimit[i] ? "pre" : (i > 0 && sim.isLeftLimit[i - 1] ? "post" : "")
                text += "," + side
            }
            text += "\n"
        }
        return text
    }

    static func quote(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

}
