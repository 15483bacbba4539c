import ArgumentParser
import Foundation
import TwinEnsemble
import TwinLinearAlgebra
import TwinODE
import TwinWorkloads

/// `medtwin bench ensemble`: one of the peers' ensemble problems (pk, rober, bergman) on the
/// same parameter rows the C peers read, timed over repeats, with the work per patient and the
/// ensemble-mean final state.
struct BenchEnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Time the ensemble engine on the peers' problems (pk, rober, bergman).",
        discussion: """
            Prints provenance lines and one RESULT line: µs per patient (minimum and median over --reps \
            runs after one warm-up), patients per second, accepted steps per patient and the ensemble-mean \
            final state. --params reads the peers' parameter rows (little-endian float64, N × P, row-major, \
            ../shared/peers/out/data/<problem>.bin after `../shared/peers/build.sh ode`); without it the rows \
            are drawn as the peers draw them, from this package's own generator. --dump writes the final \
            states (N × 3 little-endian float64, row-major) for an error check against a reference \
            (Benchmarks/compare/ensemble.sh).
            """
    )

    @Option(help: "pk, rober or bergman.")
    var problem: String = "pk"

    @Option(help: "Number of virtual patients.")
    var patients: Int = 10_000

    @Option(help: "Worker threads.")
    var threads: Int = 1

    @Option(help: "Parameter rows: little-endian float64, N × P, row-major (the peers' data/<problem>.bin).")
    var params: String?

    @Option(help: "Timed runs, after one warm-up.")
    var reps: Int = 5

    @Option(help: "Patients per SIMD vector: 2, 4 or 8.")
    var lanes: Int = 8

    @Option(help: "Solver: tsit5, dp5 or rodas4 (default: tsit5, rodas4 for rober).")
    var solver: SolverChoice?

    @Option(help: "Write the final states here (N × 3 little-endian float64).")
    var dump: String?

    @OptionGroup var budget: BudgetOptions

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard EnsembleBenchmarkProblem(rawValue: problem) != nil else {
            throw ValidationError("unknown problem '\(problem)'; known: pk, rober, bergman")
        }
        guard patients >= 1 else { throw ValidationError("--patients must be at least 1 (got \(patients))") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024 (got \(threads))") }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1 (got \(reps))") }
        guard [2, 4, 8].contains(lanes) else { throw ValidationError("--lanes must be 2, 4 or 8 (got \(lanes))") }
        try solver?.validateForEnsemble()
        try OutputPaths.validate(outputs: [("--dump", dump)], inputs: [("--params", params)])
        guard let which = EnsembleBenchmarkProblem(rawValue: problem) else { return }
        // The parameter rows and the kept final states grow with --patients: both in memory at once.
        if params != nil {
            try ResourceBudget.require("--params with --patients \(patients) × \(which.parameterCount) values",
                                       needs: ResourceBudget.product(patients, which.parameterCount, 8), within: budget.maxMemory,
                                       advice: "lower --patients or raise --max-memory")
        }
        if dump != nil {
            try ResourceBudget.require("--dump with --patients \(patients) × 3 final states",
                                       needs: ResourceBudget.product(patients, 3, 8), within: budget.maxMemory,
                                       advice: "lower --patients or raise --max-memory")
        }
    }

    func run() throws {
        do { try execute() } catch let failure as CommandFailure {
            Console.error("medtwin bench ensemble: \(failure)")
            throw ExitCode(1)
        }
    }

    private func execute() throws {
        let outputs = try OutputTransaction(command: "bench ensemble", outputs: [("--dump", dump)])
        defer { outputs.discard() }
        guard let which = EnsembleBenchmarkProblem(rawValue: problem) else { return }
        let np = which.parameterCount
        // From the peers' file, or drawn member by member (no table: any N fits in memory).
        let rows: [Double]? = try params.map { try Self.readRows(path: $0, count: patients, columns: np) }
        let algorithm = (solver ?? (which.isStiff ? .rodas4 : .tsit5)).algorithm
        var options = EnsembleOptions(relativeTolerance: which.relativeTolerance, absoluteTolerance: which.absoluteTolerance)
        options.laneWidth = lanes
        // The ensemble's workers call BLAS single-threaded; setting it once keeps OpenBLAS's pool
        // asleep between repetitions instead of spinning on the workers' cores.
        BLASRuntime.setThreadCount(1)
        EngineInfo.provenanceLines().forEach(Console.line)
        Console.line("# problem \(which.rawValue): \(patients) patients, \(threads) thread(s), \(lanes) lanes, \(algorithm.identifier), rtol \(which.relativeTolerance), atol \(which.absoluteTolerance), parameters \(params ?? "drawn (seed 20240601)")")
        let result = try Self.measure(system: which.system, which: which, rows: rows, patients: patients, algorithm: algorithm,
                                      options: options, threads: threads, reps: reps, keepFinals: dump != nil)
        let sorted = result.seconds.sorted()
        let minimum = sorted[0], median = sorted[sorted.count / 2]
        let mean = result.mean
        let failed = result.report.failedCount + result.report.invalidCount
        Console.line(String(format: "RESULT engine=MedTwin problem=%@ N=%d threads=%d lanes=%d solver=%@ reps=%d total_min_s=%.6f total_med_s=%.6f us_per_patient_min=%.3f us_per_patient_med=%.3f patients_per_s=%.0f steps_per_patient=%.1f failed=%d",
                            which.rawValue, patients, threads, lanes, algorithm.identifier, reps, minimum, median,
                            minimum / Double(patients) * 1e6, median / Double(patients) * 1e6, Double(patients) / minimum,
                            result.report.stepsPerMember, failed)
                    + " mean_final=[" + mean.map { String(format: "%.9g", $0) }.joined(separator: " ") + "]")
        if dump != nil {
            let data = result.finals.withUnsafeBufferPointer { buffer in
                Data(buffer: UnsafeBufferPointer(start: buffer.baseAddress, count: buffer.count))
            }
            try outputs.stream("--dump").write(data)
            try outputs.commit()
        }
    }

    struct Measurement {
        var seconds: [Double]
        var report: EnsembleReport
        var finals: [Double]
        var mean: [Double]
    }

    /// Runs the ensemble `reps + 1` times (the first is a warm-up) and keeps the last final states.
    static func measure<System: ODESystem>(system: System, which: EnsembleBenchmarkProblem, rows: [Double]?, patients: Int,
                                           algorithm: any ODEAlgorithm, options: EnsembleOptions, threads: Int,
                                           reps: Int, keepFinals: Bool) throws -> Measurement {
        let np = which.parameterCount
        let y0 = which.initialState
        let problem = try EnsembleProblem(system: system, timeSpan: which.timeSpan, memberCount: patients) { i, member in
            member.initialState.removeAll(keepingCapacity: true)
            member.initialState.append(contentsOf: y0)
            if let rows {
                member.parameters.removeAll(keepingCapacity: true)
                member.parameters.append(contentsOf: rows[i * np ..< (i + 1) * np])
            } else {
                which.parameters(member: i, into: &member.parameters)
            }
            member.timeEvents.removeAll(keepingCapacity: true)
        }
        var seconds: [Double] = []
        var sink = FinalStateSink(count: patients, stateCount: 3, keep: keepFinals)
        var report = EnsembleReport()
        for rep in 0...reps {
            sink = FinalStateSink(count: patients, stateCount: 3, keep: keepFinals)
            report = try problem.solve(using: algorithm, options: options, strategy: threads > 1 ? .threads(threads) : .serial, sink: &sink)
            if rep > 0 { seconds.append(report.seconds) }
        }
        return Measurement(seconds: seconds, report: report, finals: sink.finals, mean: sink.mean)
    }

    /// Reads `count` rows of `columns` little-endian float64 values.
    static func readRows(path: String, count: Int, columns: Int) throws -> [Double] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("cannot read --params \(path): \(FileProblem.cause(of: error))")
        }
        guard let needed = ResourceBudget.product(count, columns, 8), data.count >= needed else {
            throw ValidationError("--params \(path) holds \(data.count / (columns * 8)) rows of \(columns) float64 values; \(count) were asked for")
        }
        var rows = [Double](repeating: 0, count: count * columns)
        data.withUnsafeBytes { raw in
            for k in 0..<(count * columns) {
                rows[k] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
            }
        }
        return rows
    }
}

/// The ensemble-mean final state, summed in index order as the peers sum it (Σ yᵢ/N), and, when
/// asked, every member's final state, flat (member-major), NaN for members that failed.
struct FinalStateSink: EnsembleSink {
    var finals: [Double]
    var mean: [Double]
    let stateCount: Int
    let count: Int
    let keep: Bool

    init(count: Int, stateCount: Int, keep: Bool) {
        // The command checked count × stateCount against --max-memory before the run.
        finals = keep ? [Double](repeating: .nan, count: ResourceBudget.product(count, stateCount) ?? 0) : []
        mean = [Double](repeating: 0, count: stateCount)
        self.stateCount = stateCount
        self.count = count
        self.keep = keep
    }

    mutating func consume(_ chunk: EnsembleChunk) throws {
        for i in chunk.members where chunk.status(of: i).isSolved {
            for (k, v) in chunk.finalState(of: i).enumerated() {
                mean[k] += v / Double(count)
                if keep { finals[i * stateCount + k] = v }
            }
        }
    }
}
