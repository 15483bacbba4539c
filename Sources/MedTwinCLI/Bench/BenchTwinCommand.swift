import ArgumentParser
import Foundation
import MedTwin

/// `medtwin bench twin`: the Bayesian-individualisation workload of issue 16 — the MAP fit of the
/// bundled vancomycin patient under the Goti (2018) population model with its Laplace covariance,
/// 1,000 posterior draws, and a 100,000-proposal SIR posterior — timed.
struct BenchTwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "Time MAP + Laplace covariance + posterior draws for one patient (the bundled vancomycin patient by default).",
        discussion: """
            RESULT lines give the minimum and median milliseconds over --reps runs (after one warm-up) of: \
            `map` (the MAP fit with its Laplace covariance), `map+draws` (the same and --draws SIR draws \
            from 10 proposals each), and `sir` (--proposals proposals resampled to --sir-draws draws on \
            --threads threads). The peer is Benchmarks/compare/fit/map_scipy.py (SciPy minimize + solve_ivp).
            """
    )

    @Option(help: ArgumentHelp("The patient's record (CSV with a units sidecar).", valueName: "FILE"))
    var records = "Examples/vancomycin-patient.csv"

    @Option(help: ArgumentHelp("The population model (JSON).", valueName: "FILE"))
    var population = "Examples/populations/vancomycin-goti2018.json"

    @Option(help: "Posterior draws in the map+draws case.")
    var draws = 1000

    @Option(help: "SIR proposals in the sir case.")
    var proposals = 100_000

    @Option(name: .customLong("sir-draws"), help: "SIR draws in the sir case.")
    var sirDraws = 10_000

    @Option(help: "Threads for the sir case.")
    var threads = 2

    @Option(help: "Timed runs per case, after one warm-up.")
    var reps = 5

    @Flag(help: "Predict through the ODEs instead of the closed form.")
    var ode = false

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard draws >= 1, proposals >= 1, sirDraws >= 1, threads >= 1, reps >= 1 else {
            throw ValidationError("--draws, --proposals, --sir-draws, --threads and --reps must be at least 1")
        }
    }

    func run() throws {
        BLASRuntime.setThreadCount(1)
        EngineInfo.provenanceLines().forEach(Console.line)
        let record: PatientRecord
        let model: PopulationModel
        do {
            guard let first = try NONMEMReader.read(contentsOf: URL(fileURLWithPath: records)).cohort.records.first else {
                throw CommandFailure("\(records): no patient")
            }
            record = first
            model = try PopulationModel.decode(Data(contentsOf: URL(fileURLWithPath: population)))
        } catch let failure as CommandFailure { throw failure } catch {
            throw CommandFailure("\(ErrorHints.message(for: error))")
        }
        var spec = try model.fitSpecification(model: TwoCompartmentPK(), record: record)
        spec.preferClosedForm = !ode
        spec.options = TrustRegionOptions(objectiveScaleFloor: 1)
        let fitter = IndividualFitter(specification: spec)
        let fit = try fitter.fit(record)
        let drawCount = draws, proposalCount = proposals, sirCount = sirDraws, threadCount = threads
        let cases: [(String, () throws -> Void)] = [
            ("map", { _ = try fitter.fit(record) }),
            ("map+draws", {
                let f = try fitter.fit(record)
                _ = try fitter.posterior(record, fit: f, method: .importanceResampling(proposals: 10 * drawCount, draws: drawCount), seed: 1)
            }),
            ("sir", {
                _ = try fitter.posterior(record, fit: fit, method: .importanceResampling(proposals: proposalCount, draws: sirCount),
                                         seed: 1, threads: threadCount)
            }),
        ]
        for (name, body) in cases {
            try body()
            var times: [Double] = []
            for _ in 0..<reps {
                let clock = ContinuousClock(), start = clock.now
                try body()
                let elapsed = clock.now - start
                times.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * 1e3)
            }
            times.sort()
            let detail = name == "sir" ? " proposals=\(proposals) draws=\(sirDraws) threads=\(threads)"
                : name == "map+draws" ? " draws=\(draws) proposals=\(10 * draws) threads=1" : " threads=1"
            Console.line("RESULT case=\(name) method=\(ode ? "ode" : "closed-form")\(detail) "
                         + String(format: "ms_min=%.3f ms_median=%.3f", times[0], times[times.count / 2]))
        }
    }
}
