import ArgumentParser
import Foundation
import TwinLinearAlgebra
import TwinODE
import TwinWorkloads

/// `medtwin bench ode`: every built-in reference problem with every suitable solver — steps,
/// evaluations, time and the error against the reference solution.
struct BenchODECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ode",
        abstract: "Time the single-trajectory ODE solvers on the reference problems (Robertson, Van der Pol, HIRES, PK).",
        discussion: """
            One RESULT line per problem and solver: status, accepted and rejected steps, right-hand-side \
            and Jacobian evaluations, LU factorisations, minimum and median milliseconds over --reps \
            solves (after one warm-up), and the final state's error against a reference computed offline \
            (Tests/Fixtures/ODE/make_references.py), as a weighted RMS norm with weights atol + rtol·|y_ref| \
            (1 = at the tolerance). Explicit solvers are skipped on stiff problems unless named with --solvers.
            """
    )

    @Option(parsing: .upToNextOption, help: "Problems: \(ODEReferenceProblem.all.map(\.name).joined(separator: ", ")).")
    var problems: [String] = ODEReferenceProblem.all.map(\.name)

    @Option(parsing: .upToNextOption, help: "Solvers: dp5, tsit5, rodas4, bdf (default: all suitable for each problem).")
    var solvers: [String] = []

    @Option(help: "Timed solves per case, after one warm-up.")
    var reps = 5

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        let known = Set(ODEReferenceProblem.all.map(\.name))
        for p in problems where !known.contains(p) {
            throw ValidationError("unknown problem '\(p)'; known: \(known.sorted().joined(separator: ", "))")
        }
        for s in solvers where ODEBenchmark.solvers[s] == nil {
            throw ValidationError("unknown solver '\(s)'; known: dp5, tsit5, rodas4, bdf")
        }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1 (got \(reps))") }
    }

    func run() throws {
        // Single trajectories never call threaded BLAS; one thread keeps OpenBLAS's idle pool off the other core.
        BLASRuntime.setThreadCount(1)
        EngineInfo.provenanceLines().forEach(Console.line)
        for name in problems {
            guard let problem = ODEReferenceProblem.all.first(where: { $0.name == name }) else { continue }
            let chosen = solvers.isEmpty ? (problem.stiff ? ["rodas4", "bdf"] : ["dp5", "tsit5", "rodas4", "bdf"]) : solvers
            for solverName in chosen {
                guard let algorithm = ODEBenchmark.solvers[solverName] else { continue }
                let r = try ODEBenchmark.run(problem, algorithm: algorithm, repeats: reps)
                let s = r.statistics
                let status = r.status.isSuccess ? "success" : "failed"
                Console.line(String(format: "RESULT engine=medtwin problem=%@ solver=%@ status=%@ rtol=%g atol=%g steps=%d rejected=%d f_evals=%d jac_evals=%d lu=%d min_ms=%.4f med_ms=%.4f error=%.3g",
                                    r.problem, r.solver, status, problem.relativeTolerance, problem.absoluteTolerance, s.acceptedSteps, s.rejectedSteps,
                                    s.rightHandSideEvaluations, s.jacobianEvaluations, s.luFactorizations,
                                    r.minimumSeconds * 1e3, r.medianSeconds * 1e3, r.weightedError)
                            + " final=[" + r.finalState.map { String(format: "%.17g", $0) }.joined(separator: " ") + "]")
                if !r.status.isSuccess { Console.line("# \(r.problem)/\(r.solver): \(r.status)") }
            }
        }
    }
}
