import ArgumentParser
import Foundation
import MedTwin

/// `medtwin bench fit`: the fitting peer's workload (../shared/peers/fit/indiv_scipy.py) —
/// individual least-squares fits of the one-compartment oral model to every subject of a
/// Theophylline-style file — timed per subject, with the estimates written for comparison.
struct BenchFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Time individual fits of pk-1cmt to every subject of a Theophylline-style file (the SciPy peer's workload).",
        discussion: """
            The model, start and error model are the peer's: one-compartment oral (pk-1cmt, F = 1, no \
            lag) with ka, CL and V estimated on the log scale, additive residual error, started at the \
            book's (lKe, lKa, lCl) = (−2.4, 0.45, −3.2) per kg (Pinheiro & Bates 2000 §6.2), i.e. \
            ka = e^0.45, CL = e^−3.2·WT, V = e^−0.8·WT for each subject. Prints RESULT lines with the \
            minimum and median µs per subject over --reps passes (after one warm-up) and writes, with \
            --estimates FILE, the fitted (lKe, lKa, lCl) with ka > ke and the residual sum of squares \
            per subject, in the peer's CSV layout. --ode fits through the ODE path instead of the \
            closed form.
            """
    )

    @Argument(help: "A NONMEM-style CSV (TIME h, DV mg/L, AMT mg, WT kg; units from the sidecar or --units).")
    var file: String

    @Option(help: "Column units, e.g. TIME=h,DV=mg/L,AMT=mg,WT=kg (default: the NAME.units.json sidecar).")
    var units: String?

    @Option(help: "Threads.")
    var threads = 1

    @Option(help: "Timed passes over all subjects, after one warm-up.")
    var reps = 3

    @Option(help: "Stopping tolerance of the minimiser (ftol = xtol = gtol).")
    var tolerance = 1e-8

    @Flag(help: "Fit through the ODE path (forward sensitivities) instead of the closed form.")
    var ode = false

    @Option(help: "Write per-subject estimates (ID,lKe,lKa,lCl,rss,converged) to this CSV.")
    var estimates: String?

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard threads >= 1, reps >= 1 else { throw ValidationError("--threads and --reps must be at least 1") }
        guard tolerance >= 0, tolerance < 1 else { throw ValidationError("--tolerance must be in [0, 1) (got \(tolerance))") }
        try OutputPaths.validate(outputs: [("--estimates", estimates)], inputs: [("FILE", file)])
    }

    func run() throws {
        BLASRuntime.setThreadCount(1)
        EngineInfo.provenanceLines().forEach(Console.line)
        let report: ReadReport
        do {
            let columnUnits = try units.map { spec throws(RecordError) in try ColumnUnits(parsing: spec) }
            report = try NONMEMReader.read(contentsOf: URL(fileURLWithPath: file), units: columnUnits, options: ReadOptions())
        } catch {
            throw CommandFailure("\(file): \(ErrorHints.message(for: error))")
        }
        let records = report.cohort.records
        guard !records.isEmpty else { throw CommandFailure("\(file): no subjects") }
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], errorModel: .additive(1))
        spec.options = TrustRegionOptions(functionTolerance: tolerance, stepTolerance: tolerance, gradientTolerance: tolerance)
        spec.preferClosedForm = !ode
        let starts = records.map { r -> [String: Double] in
            let weight = r.weight ?? 70
            return ["ka": exp(0.45), "CL": exp(-3.2) * weight, "V": exp(-0.8) * weight]
        }
        let fitter = IndividualFitter(specification: spec)
        var results = fitter.fit(records, threads: threads, starts: starts)   // warm-up
        var perSubject: [Double] = []
        for _ in 0..<reps {
            let clock = ContinuousClock()
            let start = clock.now
            results = fitter.fit(records, threads: threads, starts: starts)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            perSubject.append(seconds * 1e6 / Double(records.count))
        }
        let fits = results.compactMap { try? $0.get() }
        let converged = fits.filter(\.converged).count
        let meanEvaluations = fits.isEmpty ? 0 : Double(fits.map(\.convergence.evaluations).reduce(0, +)) / Double(fits.count)
        let sorted = perSubject.sorted()
        Console.line("RESULT case=\(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent) method=\(ode ? "ode" : "closed-form") "
                     + "threads=\(threads) subjects=\(records.count) fitted=\(fits.count) converged=\(converged) "
                     + String(format: "mean_evaluations=%.1f us_per_subject_min=%.2f us_per_subject_median=%.2f",
                              meanEvaluations, sorted[0], sorted[sorted.count / 2]))
        if let estimates {
            var text = "ID,lKe,lKa,lCl,rss,converged\n"
            for (record, result) in zip(records, results) {
                guard case .success(let fit) = result, let weight = record.weight else { text += "\(record.id),,,,,0\n"; continue }
                let ka = fit.estimates[0], cl = fit.estimates[1], ke = cl / fit.estimates[2]
                text += String(format: "%@,%.15g,%.15g,%.15g,%.15g,%d\n", record.id, log(min(ke, ka)), log(max(ke, ka)), log(cl / weight),
                               fit.residualSumOfSquares, fit.converged ? 1 : 0)
            }
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: estimates))
        }
    }
}
