import ArgumentParser
import Foundation
import MedTwin

/// `medtwin ensemble`: a virtual population of one model — parameters drawn with between-patient
/// variability, each patient dosed — solved in SIMD lanes on several threads; writes population
/// bands (mean, SD, 5/50/95% per output and time) and, optionally, one row per patient.
struct EnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Simulate a virtual population: bands (mean, SD, 5/50/95%) of a model's outputs over time.",
        discussion: """
            Examples:
              medtwin ensemble --model pk-2cmt --patients 100000 --variability "CL=30%,V1=25%" \\
                  --regimen "100 mg po q12h x4" --until 48h --seed 1 --threads 2 --out bands.csv --plot bands.svg
              medtwin ensemble --model pk-1cmt --patients 5000 --variability "CL=30%,V=20%" \\
                  --covariates "WT~N(75,15)[40,150] kg" --regimen "5 mg/kg iv q24h x3" --until 72h --out bands.csv
            --variability: NAME=CV% (log-normal, ω² = ln(1 + CV²)), omega:NAME=ω (log-normal), sd:NAME=SD or \
            sd:NAME=10% (normal). --omega FILE: a full covariance of η (first line the parameter names, then the \
            matrix; log scale for log-normal parameters). --covariates: NAME~N(mean,sd)[lo,hi] unit or \
            NAME~LN(median,cv%)[lo,hi] unit, comma-separated; --cohort FILE takes covariates from a NONMEM-style \
            CSV instead (member i uses subject i mod count). Covariates serve per-kg doses; they change the \
            typical parameters only with --allometry (the model's default covariate relations, e.g. CL × \
            (WT/70)^0.75, V × WT/70 for the PK models), named in the provenance either way. The same --seed gives the same patients, bands and \
            member rows bit for bit whatever --threads and --lanes. Bands are from a streaming quantile sketch \
            with relative accuracy 0.5%: each reported quantile is within 0.5% of the exact sample quantile. \
            At an output time that is a dose time the bands and member rows hold the value after the dose \
            (post-dose), as `medtwin simulate` does. \
            Members that cannot be simulated (parameters out of range, a failing solve) are counted and, with \
            --members, listed with the reason; the others are unaffected. \
            The output paths are checked before anything is computed (existing, writable directories; \
            --out, --members and --plot three different files, none of them an input). --members rows go \
            to a temporary file as the patients are solved, not into memory. All files are renamed into \
            place together when the run is complete; a run with no solved patient (exit 2), SIGINT, SIGTERM \
            or SIGHUP, or a full disk leave any previous files unchanged (--force writes an all-failed \
            run's output anyway). \
            Resources, checked before the run: --patients at most --max-patients (default 100000000); \
            the bands and the chunks in flight (about (5 × --threads + 5) × (chunk of up to 128 patients × \
            --points × states + --points × outputs × 2 KiB)) within --max-memory (default 2 GiB); the \
            --members file within the free space of its disk.
            """
    )

    @Option(help: "The model (see `medtwin models`).")
    var model: String

    @Option(help: "Number of virtual patients.")
    var patients: Int = 1000

    @Option(help: "Between-patient variability, e.g. \"CL=30%,V1=25%\" (see below).")
    var variability: String = ""

    @Option(help: "A file with a full covariance (Ω) of the parameters' η.")
    var omega: String?

    @Option(help: "Drawn covariates, e.g. \"WT~N(75,15)[40,150] kg\".")
    var covariates: String?

    @Option(help: "A NONMEM-style CSV whose subjects' covariates the members take in turn.")
    var cohort: String?

    @Flag(help: "Apply the model's default covariate relations (allometric weight scaling for the PK models) to each member's covariates; off by default.")
    var allometry = false

    @Option(help: "A named parameter set of the model as the typical values.")
    var subject: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Set a typical parameter: NAME=VALUE (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: "Doses in regimen notation, the same for every patient (per-kg amounts use each patient's WT).")
    var regimen: String?

    @Option(help: "The simulated span with its unit, as in a regimen: 48h, 600 min, 3d, 2 weeks.")
    var until: String

    @Option(help: "Random seed: the same seed gives the same population.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads.")
    var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(help: "Solver: tsit5, dp5 (non-stiff) or rodas4 (stiff).")
    var solver: SolverChoice = .tsit5

    @Option(help: "Relative tolerance.")
    var rtol = 1e-6

    @Option(help: "Absolute tolerance.")
    var atol = 1e-9

    @Option(help: "Output times, equally spaced, ends included.")
    var points = 97

    @Option(help: "Patients per SIMD vector: 2, 4 or 8 (results do not depend on it).")
    var lanes = 8

    @Option(help: "Where to write the bands CSV.")
    var out: String

    @Option(help: "Where to write one row per patient: index, status, parameters, outputs at the end.")
    var members: String?

    @Option(help: "Where to write an SVG plot of the bands.")
    var plot: String?

    @Flag(help: "No progress bar even on a terminal.")
    var quiet = false

    @Option(name: .customLong("max-patients"), help: "The most patients a run may ask for.")
    var maxPatients = 100_000_000

    @Flag(help: "Write the outputs even when no patient was solved, replacing existing files.")
    var force = false

    @OptionGroup var budget: BudgetOptions

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard (try? ModelCatalog.model(named: model)) != nil else {
            throw ValidationError("unknown model '\(model)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
        _ = try SimulateCommand.span(until)
        guard patients >= 1 else { throw ValidationError("--patients must be at least 1 (got \(patients))") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024 (got \(threads))") }
        guard [2, 4, 8].contains(lanes) else { throw ValidationError("--lanes must be 2, 4 or 8 (got \(lanes))") }
        try solver.validateForEnsemble()
        guard rtol > 0, rtol < 1, atol > 0 else { throw ValidationError("--rtol must be in (0, 1) and --atol > 0 (got \(rtol), \(atol))") }
        guard (2...100_000).contains(points) else { throw ValidationError("--points must be between 2 and 100000 (got \(points))") }
        for entry in parameters where SimulateCommand.parameter(entry) == nil {
            throw ValidationError("--param '\(entry)': write NAME=VALUE with a number, such as CL=4.2")
        }
        if covariates != nil && cohort != nil { throw ValidationError("give --covariates or --cohort, not both") }
        guard patients <= maxPatients else {
            throw ValidationError("--patients \(patients) is more than the limit of \(maxPatients) patients per run; raise it with --max-patients if the run is meant to be that large")
        }
        try OutputPaths.validate(outputs: [("--out", out), ("--members", members), ("--plot", plot)],
                                 inputs: [("--omega", omega), ("--cohort", cohort)])
        if let entry = try? ModelCatalog.model(named: model) {
            try ResourceBudget.require("--points \(points) × \(entry.outputs.count) outputs × \(threads) threads",
                                       needs: Self.memoryEstimate(points: points, outputs: entry.outputs.count, states: entry.states.count,
                                                                  parameters: entry.parameters.count, threads: threads,
                                                                  chunkSize: Self.chunkSize(patients: patients)),
                                       within: budget.maxMemory, advice: "lower --points or --threads, or raise --max-memory")
            if let members {
                let directory = URL(fileURLWithPath: OutputPaths.resolve(members)).deletingLastPathComponent().path
                let needed = ResourceBudget.product(patients, Self.memberRowBytes(parameters: entry.parameters.count, outputs: entry.outputs.count))
                if let free = ResourceBudget.freeSpace(in: directory), needed.map({ $0 > free }) ?? true {
                    throw ValidationError("--members \(members): \(patients) patients need about \(ResourceBudget.format(needed)) on disk, but \(directory) has \(ResourceBudget.format(free)) free; write it elsewhere or lower --patients")
                }
            }
        }
    }

    /// Patients per chunk: N/64, within 16…128 (the engine's automatic size, computed without overflow).
    static func chunkSize(patients: Int) -> Int { min(128, max(16, patients / 64 + (patients % 64 == 0 ? 0 : 1))) }

    /// Bytes of one band cell (one output at one time): its moments and a quantile sketch of a
    /// few hundred buckets, measured on the CLI's populations (see the tests' memory bound).
    static let bytesPerBandCell = 2048

    /// An upper estimate of the run's memory: the chunks in flight (4 per worker and 4 waiting for
    /// the sink, plus one per worker being solved), each with its grid of states and its own bands,
    /// the merged bands, and the process's baseline.
    static func memoryEstimate(points: Int, outputs: Int, states: Int, parameters: Int, threads: Int, chunkSize: Int) -> Int? {
        let inFlight = ResourceBudget.sum(ResourceBudget.product(5, threads), 5)
        let member = ResourceBudget.sum(ResourceBudget.product(8, ResourceBudget.sum(ResourceBudget.product(points, states), states, parameters, 2) ?? -1), 64)
        let chunk = ResourceBudget.product(chunkSize, member ?? -1)
        let bands = ResourceBudget.product(points, outputs, bytesPerBandCell)
        let perChunk = ResourceBudget.sum(chunk, bands)
        return ResourceBudget.sum(ResourceBudget.product(inFlight ?? -1, perChunk ?? -1), SimulateCommand.baselineBytes)
    }

    /// Bytes of one --members row: about 17 characters per number and room for a failure's reason.
    static func memberRowBytes(parameters: Int, outputs: Int) -> Int { 17 * (parameters + outputs) + 40 }

    func run() throws {
        // The ensemble's workers call BLAS single-threaded; one thread keeps OpenBLAS's idle pool off
        // the workers' cores.
        BLASRuntime.setThreadCount(1)
        let entry = try ModelCatalog.model(named: model)
        do {
            try run(entry.model, entry: entry)
        } catch let failure as CommandFailure {
            Console.error("medtwin ensemble: \(failure)")
            throw ExitCode(1)
        } catch let error as EnsembleError {
            Console.error("medtwin ensemble: \(error)")
            throw ExitCode(1)
        } catch let error as ModelError {
            Console.error("medtwin ensemble: \(ErrorHints.message(for: error))")
            throw ExitCode(1)
        } catch let error as RecordError {
            Console.error("medtwin ensemble: \(ErrorHints.message(for: error))")
            throw ExitCode(1)
        }
    }

    private func run<Model: PhysiologicalModel>(_ model: Model, entry: AnyPhysiologicalModel) throws {
        let outputs = try OutputTransaction(command: "ensemble", outputs: [("--out", out), ("--members", members), ("--plot", plot)])
        defer { outputs.discard() }
        // Typical values: the subject's or the model's, then --param overrides.
        var overrides: [String: Double] = [:]
        for text in parameters { if let (name, value) = SimulateCommand.parameter(text) { overrides[name] = value } }
        let base = try subject.map { try model.subject(named: $0).parameters }
        let typical = try model.resolveParameters(base: base, overrides: overrides)
        let spec = try VariabilitySpec(parsing: variability)
        let omegaMatrix = try omega.map { path -> OmegaMatrix in
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("cannot read --omega \(path): \(FileProblem.cause(of: error))")
            }
            return try OmegaMatrix(parsing: text, source: path)
        }
        var covariateSource = CovariateSource.none
        if let covariates { covariateSource = try CovariateSource(parsing: covariates) }
        if let cohort {
            let report = try NONMEMReader.read(contentsOf: URL(fileURLWithPath: cohort))
            if !report.errors.isEmpty { Console.error("medtwin ensemble: \(report.errors.count) error(s) in \(cohort); first: \(ErrorHints.message(for: report.errors[0]))") }
            covariateSource = try CovariateSource(cohort: report.cohort)
        }
        let relations: CovariateRelations = allometry ? .modelDefault : .none
        let population = try VirtualPopulation(model: model, base: typical, variability: spec, omega: omegaMatrix, covariates: covariateSource,
                                               covariateRelations: relations)
        let parsedRegimen = try regimen.map { try Regimen(parsing: $0) }
        let hours = try SimulateCommand.span(until)
        let ensemble = ModelEnsemble(model: model, population: population, patients: patients, hours: hours,
                                     regimen: { _ in parsedRegimen }, seed: seed)
        let problem = try ensemble.problem(points: points, keepGrid: true)
        var options = EnsembleOptions(relativeTolerance: rtol, absoluteTolerance: atol)
        options.laneWidth = lanes
        options.chunkSize = Self.chunkSize(patients: patients)
        let algorithm = solver.algorithm

        var provenance = EngineInfo.provenanceLines()
        provenance.append("# model: \(entry.name) — \(entry.title)")
        provenance.append("# reference: \(entry.reference)")
        provenance.append("# population: \(patients) patients, seed \(seed); typical values \(subject.map { "of subject \($0)" } ?? "of the model")"
                          + (overrides.isEmpty ? "" : " with \(parameters.joined(separator: " "))"))
        provenance.append("# typical: " + zip(entry.parameters, typical).map { "\($0.name)=\(ModelListing.format($1))" }.joined(separator: " "))
        provenance.append("# variability: \(variability.isEmpty ? "none" : variability)" + (omega.map { "; omega from \($0)" } ?? ""))
        provenance.append("# covariates: \(covariates ?? cohort.map { "from cohort \($0)" } ?? "none")")
        provenance.append("# covariate relations: " + (model.defaultCovariateRelations.map { relations == .modelDefault
            ? "\(model.name)'s default covariate relations applied to each member (\($0))"
            : "none applied (\(model.name)'s default covariate relations, \($0), not asked for)" } ?? "none (\(model.name) has none)"))
        provenance.append("# regimen: \(regimen ?? "none")")
        provenance.append("# span: \(ModelListing.format(hours)) h; time unit \(entry.timeUnit.symbol); \(points) output times")
        provenance.append("# solver: \(algorithm.identifier) in \(lanes)-wide SIMD lanes, rtol \(rtol), atol \(atol); threads: \(threads)")
        provenance.append("# bands: mean, SD and 5/50/95% quantiles from a DDSketch with relative accuracy 0.005")

        var sink = MemberRowSink(model: model, entry: entry, writer: try members.map { _ in try outputs.stream("--members") },
                                 stiffSolver: algorithm.isStiff)
        try sink.start(provenance: provenance)
        let progress = ProgressBar(total: patients, enabled: !quiet && isatty(2) != 0)
        let report = try problem.solve(using: algorithm, options: options, strategy: threads > 1 ? .threads(threads) : .serial,
                                       sink: &sink, progress: { done, total in progress.update(done: done) })
        progress.finish()
        let counts = "# members: \(report.solvedCount) solved, \(report.invalidCount) invalid input, \(report.failedCount) solver failures"
        provenance.append(counts)
        try sink.finish(counts: counts)
        let summaryLine = String(format: "ensemble: %d patients in %.3f s (%.0f patients/s, %.1f µs/patient), %.1f steps/patient; %d solved, %d invalid, %d failed",
                                 patients, report.seconds, Double(patients) / max(report.seconds, 1e-9), report.seconds / Double(patients) * 1e6,
                                 report.stepsPerMember, report.solvedCount, report.invalidCount, report.failedCount)
        guard let summary = report.summary else { throw CommandFailure("internal: the run kept no bands") }
        if report.solvedCount == 0 {
            Console.error("medtwin ensemble: " + summaryLine)
            if !force {
                Console.error("medtwin ensemble: no patient was solved, so no file was replaced: \(outputs.untouchedReport()) (pass --force to write this run's output)")
                throw ExitCode(2)
            }
        }
        try outputs.write(EnsembleOutputFiles.bandsCSV(summary: summary, entry: entry, provenance: provenance), to: "--out")
        if plot != nil {
            let svg = BandPlot.render(summary: summary, entry: entry, provenance: provenance,
                                      subtitle: "\(patients) patients · \(variability.isEmpty ? "no variability" : variability) · \(regimen ?? "no doses")")
            try outputs.write(svg, to: "--plot")
        }
        try outputs.commit()
        Console.line("wrote \(out): \(summary.times.count) times × \(summary.quantities.count) outputs")
        if let path = members { Console.line("wrote \(path): \(patients) patients") }
        if let plot { Console.line("wrote \(plot)") }
        if report.solvedCount == 0 { throw ExitCode(2) }
        Console.line(summaryLine)
    }
}

/// One CSV row per patient, streamed to the --members temporary file as chunks arrive (only when
/// asked for): the provenance first, the rows, and last the counts of solved, invalid and failed.
struct MemberRowSink<Model: PhysiologicalModel>: EnsembleSink {
    let model: Model
    let entry: AnyPhysiologicalModel
    let writer: TemporaryFileWriter?
    /// Whether the solver is a stiff one, so a failure's advice fits it.
    let stiffSolver: Bool
    var enabled: Bool { writer != nil }

    init(model: Model, entry: AnyPhysiologicalModel, writer: TemporaryFileWriter?, stiffSolver: Bool) {
        self.model = model
        self.entry = entry
        self.writer = writer
        self.stiffSolver = stiffSolver
    }

    /// Writes the provenance and the header.
    func start(provenance: [String]) throws {
        guard let writer else { return }
        let header = ["index", "status"] + entry.parameters.map { "\($0.name) (\($0.unit))" }
            + entry.outputs.map { "\($0.name) at end (\($0.unit))" } + ["steps", "reason"]
        try writer.write(provenance.joined(separator: "\n") + "\n" + header.map(SimulationOutput.quote).joined(separator: ",") + "\n")
    }

    /// Writes the closing counts line.
    func finish(counts: String) throws {
        try writer?.write(counts + "\n")
    }

    mutating func consume(_ chunk: EnsembleChunk) throws {
        guard let writer else { return }
        let np = model.parameters.count
        var text = ""
        let last = chunk.gridTimes.count - 1
        for i in chunk.members {
            let status = chunk.status(of: i)
            let parameters = Array(chunk.parameters(of: i).prefix(np))
            let word = switch status {
            case .solved: "solved"
            case .invalidInput: "invalid"
            case .solverFailed: "failed"
            }
            var fields = ["\(i)", word]
            fields += parameters.map { String(format: "%.10g", $0) }
            if status.isSolved, last >= 0 {
                let state = Array(chunk.gridState(of: i, time: last))
                fields += model.observe(time: chunk.gridTimes[last], state: state, parameters: parameters).map { String(format: "%.10g", $0) }
            } else {
                fields += model.outputs.map { _ in "" }
            }
            fields.append("\(chunk.steps(of: i))")
            fields.append(status.isSolved ? "" : SimulationOutput.quote(status.description(stiffSolver: stiffSolver)))
            text += fields.joined(separator: ",") + "\n"
        }
        try writer.write(text)
    }
}

/// The bands CSV.
enum EnsembleOutputFiles {
    static func bandsCSV(summary: PopulationSummary, entry: AnyPhysiologicalModel, provenance: [String]) -> String {
        var text = provenance.joined(separator: "\n") + "\n"
        text += "time (\(entry.timeUnit.symbol)),output,unit,n,mean,sd,p5,p50,p95\n"
        for band in summary.bands() {
            let unit = entry.outputs.first { $0.name == band.quantity }?.unit ?? ""
            text += [String(format: "%.10g", band.time), SimulationOutput.quote(band.quantity), SimulationOutput.quote(unit), "\(band.count)"]
                .joined(separator: ",") + ","
            text += [band.mean, band.sd, band.p5, band.p50, band.p95].map { String(format: "%.8g", $0) }.joined(separator: ",") + "\n"
        }
        return text
    }
}

/// A one-line progress bar on standard error (patients done, patients/s, ETA), redrawn in place.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    let start = ContinuousClock.now

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(done: Int) {
        guard enabled else { return }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r%@ %3.0f%%  %d/%d patients  %.0f patients/s  ETA %.0f s ", bar, fraction * 100, done, total, rate, remaining)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
