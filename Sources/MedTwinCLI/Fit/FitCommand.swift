import ArgumentParser
import Foundation
import MedTwin

/// `medtwin fit`: fits a model to each subject of a record file (individual maximum-likelihood
/// fits; least squares with additive error) with TwinFit's `IndividualFitter`, and writes the
/// fits as JSON, optionally a per-subject CSV table and an SVG of the fits.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a model to each patient of a record file: estimates with standard errors, objective, convergence.",
        discussion: """
            Examples:
              medtwin fit --model pk-1cmt --records theo.csv --estimate ka,CL,V --out fit.json --plot fit.svg
              medtwin fit --model pk-1cmt --records data.csv --id 7 --estimate CL,V --fix ka=1.2 \\
                  --error combined=0.5,0.1 --out fit7.json --table fit7.csv
            The record file is read as `medtwin records` reads it (NONMEM-style CSV with units from --units \
            or the NAME.units.json sidecar, FHIR R4 JSON or NDJSON). Without --id every subject is fitted, \
            independently, on --threads threads (the results do not depend on the thread count); with --id \
            only that one. --estimate names the estimated parameters (moved on the log scale, or logit for \
            fractions); the others stay at the model's typical values (`medtwin models NAME`) unless --fix \
            holds them; --start gives start values. Covariates are not applied: the fit estimates this \
            patient's own values. The residual error's standard deviations are estimated too; --error \
            gives its kind and their start values (additive a=1, proportional b=0.1, combined a=1,b=0.1, \
            exponential σ=0.1 by default; one error model for each output of the model). Observations below \
            the LLOQ are dropped (--blq m1) or enter the likelihood as censored (--blq m3). Predictions use \
            the closed-form linear PK solution where the model allows (pk-1cmt, pk-2cmt, pk-3cmt), the ODEs \
            with forward sensitivities otherwise or with --ode. --tolerance sets ftol = xtol = gtol of the \
            trust-region minimiser. \
            --out gets JSON with sorted keys: `provenance` (engine, model, command line, records, time, \
            settings), `fits` (per subject: estimates, SE, RSE %, correlations, error model, objective \
            −2 log L, RSS, convergence, information matrix, observed vs predicted) and `failures`. --table \
            writes one CSV row per subject; --plot an SVG with each subject's data and prediction (the \
            first 12) and the goodness-of-fit plots. Files are written atomically, all or none. \
            A fit that stops without converging (an iteration or evaluation budget) is written with \
            `converged` false and named on stderr; it is not a failure. \
            Exit status: 0 when every subject was fitted; 3 when some failed (each named on stderr and in \
            `failures`; the others are written); 2 when none could be fitted (no file is replaced); 1 for a \
            file that cannot be read or an --id it lacks; 64 for bad flags.
            """
    )

    @Option(help: "The model (see `medtwin models`).")
    var model: String

    @Option(help: ArgumentHelp("The record file (.csv, .json or .ndjson).", valueName: "FILE"))
    var records: String

    @Option(help: "Column units for a --records CSV, e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg (overrides a sidecar).")
    var units: String?

    @Option(help: "Fit only the patient with this ID (default: every patient of the file).")
    var id: String?

    @Option(help: ArgumentHelp("The estimated parameters, comma-separated, e.g. ka,CL,V.", valueName: "NAMES"))
    var estimate: String?

    @Option(help: ArgumentHelp("Hold a parameter at a value (repeatable, or comma-separated).", valueName: "NAME=VALUE"))
    var fix: [String] = []

    @Option(help: ArgumentHelp("A start value of an estimated parameter (repeatable, or comma-separated).", valueName: "NAME=VALUE"))
    var start: [String] = []

    @Option(help: ArgumentHelp("Residual error: additive[=a], proportional[=b], combined[=a,b] or exponential[=σ]; SDs are start values.",
                               valueName: "KIND[=SD[,SD]]"))
    var error = "additive"

    @Option(help: "Below-LLOQ observations: m1 (drop) or m3 (censored likelihood).")
    var blq: FitArguments.BLQ = .m1

    @Flag(help: "Predict with the ODEs even where a closed form exists.")
    var ode = false

    @Option(help: "Subjects fitted in parallel.")
    var threads = 1

    @Option(help: "ftol = xtol = gtol of the minimiser, in [0, 1).")
    var tolerance = 1e-8

    @Option(help: ArgumentHelp("A population model (JSON, schema v1): MAP fits with its prior, covariate relations and residual error.",
                               valueName: "FILE"))
    var population: String?

    @Option(name: .customLong("write-twin"), help: ArgumentHelp("Write one patient's twin file (JSON): record, fit, posterior draws.", valueName: "FILE"))
    var writeTwin: String?

    @Option(help: "Posterior draws for --write-twin.")
    var draws = 1000

    @Option(help: "How the posterior is drawn for --write-twin: sir (importance resampling), mcmc (Metropolis) or laplace.")
    var posterior: FitTwin.Sampler = .sir

    @Option(help: "Seed of the posterior draws.")
    var seed: UInt64 = 1

    @Option(help: "Where to write the fits (JSON).")
    var out: String

    @Option(help: "Where to write an SVG of the fits and goodness-of-fit plots.")
    var plot: String?

    @Option(help: "Where to write a per-subject CSV table.")
    var table: String?

    func validate() throws {
        _ = try settings()
        let lower = records.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") else {
            throw ValidationError("--records '\(records)': expected a .csv, .json or .ndjson file")
        }
        if let units {
            guard lower.hasSuffix(".csv") else {
                throw ValidationError("--units applies to a CSV file; '\(records)' is FHIR JSON, which carries its own units")
            }
            do { _ = try ColumnUnits(parsing: units) } catch { throw ValidationError("--units: \(ErrorHints.message(for: error))") }
        }
        if let id, id.isEmpty { throw ValidationError("--id: give a patient ID (`medtwin records \(records)` lists them)") }
        guard threads >= 1, threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024 (got \(threads))") }
        guard tolerance >= 0, tolerance < 1 else { throw ValidationError("--tolerance must be in [0, 1) (got \(tolerance))") }
        guard (1...1_000_000).contains(draws) else { throw ValidationError("--draws must be between 1 and 1000000 (got \(draws))") }
        try OutputPaths.validate(outputs: [("--out", out), ("--plot", plot), ("--table", table), ("--write-twin", writeTwin)],
                                 inputs: [("--records", records), ("--population", population)])
    }

    /// The flags, parsed and checked against the model.
    func settings() throws -> FitSettings {
        let entry: AnyPhysiologicalModel
        do { entry = try ModelCatalog.model(named: model) } catch {
            throw ValidationError("--model: unknown model '\(model)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
        if let population {
            return try populationSettings(population, entry: entry)
        }
        guard let estimate else {
            throw ValidationError("--estimate is required: name the estimated parameters of \(entry.name), such as "
                                  + entry.parameters.prefix(3).map(\.name).joined(separator: ","))
        }
        let estimated = try FitArguments.names(estimate, option: "--estimate", model: entry)
        let fixed = try FitArguments.assignments(fix, option: "--fix", model: entry)
        for name in fixed.keys.sorted() where estimated.contains(name) {
            throw ValidationError("--fix \(name): \(name) is also in --estimate; a parameter is either estimated or fixed")
        }
        let starts = try FitArguments.assignments(start, option: "--start", model: entry)
        for name in starts.keys.sorted() where !estimated.contains(name) {
            throw ValidationError("--start \(name): \(name) is not estimated (--estimate \(estimated.joined(separator: ","))); hold a value with --fix")
        }
        let settings = FitSettings(estimate: estimated, fixed: fixed, start: starts, errorModel: try FitArguments.errorModel(error),
                                   censoring: blq.censoring, preferClosedForm: !ode, tolerance: tolerance, threads: threads)
        // Whatever the library still refuses (it names the parameter), refused here before any work.
        do { try FitEngine.check(entry.model, settings: settings) } catch {
            throw ValidationError("\(error)")
        }
        return settings
    }

    /// The settings of a --population fit: the population model names the estimated parameters,
    /// their prior and the residual error, so --estimate, --fix, --start and --error are refused.
    func populationSettings(_ path: String, entry: AnyPhysiologicalModel) throws -> FitSettings {
        for (flag, given) in [("--estimate", estimate != nil), ("--fix", !fix.isEmpty), ("--start", !start.isEmpty), ("--error", error != "additive")] where given {
            throw ValidationError("\(flag) cannot be combined with --population: the population model gives the estimated parameters, their prior and the residual error")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("--population \(path): \(FileProblem.cause(of: error))")
        }
        let model: PopulationModel
        do { model = try PopulationModel.decode(data) } catch { throw ValidationError("--population \(path): \(error)") }
        guard model.model.lowercased() == entry.name else {
            throw ValidationError("--population \(path) is a population model of \(model.model), not of --model \(entry.name)")
        }
        let estimated: [String]
        do { estimated = try model.estimatedParameters() } catch { throw ValidationError("--population \(path): \(error)") }
        return FitSettings(estimate: estimated, fixed: [:], start: [:], errorModel: .additive(1), censoring: blq.censoring,
                           preferClosedForm: !ode, tolerance: tolerance, threads: threads, population: model)
    }

    func run() throws {
        do { try execute() } catch let failure as CommandFailure {
            Console.error("medtwin fit: \(failure)")
            throw ExitCode(1)
        }
    }

    private func execute() throws {
        let entry = try ModelCatalog.model(named: model)
        let settings = try settings()
        let (subjects, readFailures) = try FitRecords.read(path: records, units: units, id: id)
        if writeTwin != nil, subjects.count + readFailures.count != 1 {
            throw CommandFailure("--write-twin writes one patient's twin, and \(records) holds \(subjects.count + readFailures.count) patients; choose one with --id")
        }
        let outputs = try OutputTransaction(command: "fit", outputs: [("--out", out), ("--plot", plot), ("--table", table), ("--write-twin", writeTwin)])
        defer { outputs.discard() }

        let fitted: (fits: [SubjectFit], failures: [FitFailure])
        do { fitted = try FitEngine.run(entry.model, settings: settings, records: subjects) } catch {
            throw CommandFailure("\(error)")
        }
        let failures = readFailures + fitted.failures
        for failure in failures { Console.error("medtwin fit: \(failure.message)") }
        guard !fitted.fits.isEmpty else {
            Console.error("medtwin fit: no subject could be fitted, so no file was replaced: \(outputs.untouchedReport())")
            throw ExitCode(2)
        }

        let provenance = FitReport.provenance(model: entry.name, records: records, settings: settings, populationFile: population)
        var posteriorLines: [String] = []
        if writeTwin != nil, let subject = fitted.fits.first {
            let sample: PosteriorSample
            do { sample = try FitTwin.posterior(entry.model, settings: settings, subject: subject, sampler: posterior, draws: draws, seed: seed) } catch {
                throw CommandFailure("--write-twin: \(error)")
            }
            try outputs.write(try FitTwin.document(model: entry, settings: settings, subject: subject, sample: sample, provenance: provenance),
                              to: "--write-twin")
            posteriorLines = FitTwin.summary(sample)
        }
        let document = FitReport.Document(provenance: provenance, fits: fitted.fits.map(\.fit), failures: failures)
        try outputs.write(try FitReport.json(document), to: "--out")
        if table != nil {
            try outputs.write(FitReport.table(fits: fitted.fits, failures: failures, model: entry, provenance: provenance), to: "--table")
        }
        if plot != nil {
            let lines = EngineInfo.provenanceLines() + ["# model: \(entry.name)", "# records: \(records)", "# command: \(provenance.command)"]
            try outputs.write(FitPlot.render(model: entry, fits: fitted.fits, failed: failures.count, provenance: lines), to: "--plot")
        }
        try outputs.commit()

        for line in FitReport.consoleLines(fits: fitted.fits, failures: failures, model: entry) + posteriorLines { Console.line(line) }
        for subject in fitted.fits {
            guard let report = subject.fit.information?.identifiability, !report.isIdentifiable else { continue }
            Console.error("medtwin fit: subject \(subject.fit.subject): \(report.description); fix one of these parameters (--fix) or add data that separates them")
        }
        for subject in fitted.fits where !subject.fit.converged {
            Console.error("medtwin fit: subject \(subject.fit.subject): did not converge: \(subject.fit.convergence.summary)"
                          + "; try other --start values or --error SDs, or a looser --tolerance")
        }
        let written = [out, table, plot, writeTwin].compactMap { $0 }.joined(separator: ", ")
        Console.line("wrote \(written): \(fitted.fits.count) fitted, \(failures.count) failed")
        if !failures.isEmpty { throw ExitCode(3) }
    }
}
