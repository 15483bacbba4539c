import ArgumentParser
import Foundation
import TwinLinearAlgebra
import TwinWorkloads

/// `medtwin bench linalg`: GEMM, LU solve, Cholesky, SVD and symmetric eigen at one size, timed
/// as the C peer `blas_bench` times them, plus the small-matrix LU path against LAPACK.
struct BenchLinalgCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linalg",
        abstract: "Time gemm, LU solve, Cholesky, SVD and symmetric eigen (Double) at order n.",
        discussion: """
            Prints provenance lines (#) and one RESULT line per routine: minimum and median \
            milliseconds over --reps runs after one warm-up, and GFLOP/s where the peer reports \
            a rate (gemm 2n³, LU solve 2n³/3 + 2n², Cholesky n³/3). `lu` times getrf + getrs as \
            LAPACK's dgesv does (no condition estimate); `lu-checked` adds the gecon check that \
            Matrix.solve makes by default (compare the two for its cost). Then RESULT lines comparing \
            the pure-Swift small-matrix LU with LAPACK for n ≤ 8 (nanoseconds per factor + solve).
            """
    )

    enum Routine: String, ExpressibleByArgument, CaseIterable {
        case gemm, lu, luChecked = "lu-checked", cholesky, svd, eigen
        var linalg: LinalgRoutine {
            switch self {
            case .gemm: .dgemm
            case .lu: .dgesv
            case .luChecked: .dgesvChecked
            case .cholesky: .dpotrf
            case .svd: .dgesdd
            case .eigen: .dsyevd
            }
        }
    }

    @Option(name: .customLong("n"), help: "Matrix order.")
    var n = 2048

    @Option(help: "OpenBLAS threads (default: OpenBLAS's own choice, one per core).")
    var threads: Int?

    @Option(help: "Timed repetitions per routine, after one warm-up.")
    var reps = 3

    @Option(parsing: .upToNextOption, help: "Routines to time: \(Routine.allCases.map(\.rawValue).joined(separator: ", ")).")
    var routines: [Routine] = Routine.allCases

    @Flag(inversion: .prefixedNo, help: "Compare the small-matrix LU path with LAPACK for n = 2 … 8.")
    var small = true

    @Flag(help: "Instead of the routines: time LU factor + solve with and without the default condition check (gecon), alternating, minimum over --reps rounds, and gecon alone.")
    var conditionCost = false

    @OptionGroup var kernel: KernelOptions

    func validate() throws {
        guard n >= 1 else { throw ValidationError("--n must be at least 1 (got \(n))") }
        guard n <= 20000 else { throw ValidationError("--n \(n) needs \(ResourceBudget.format(ResourceBudget.product(n, n, 8))) per matrix; use at most 20000") }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1 (got \(reps))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    func run() throws {
        if let threads { BLASRuntime.setThreadCount(threads) }
        EngineInfo.provenanceLines().forEach(Console.line)
        let core = BLASRuntime.coreName
        let threadCount = BLASRuntime.threadCount
        if conditionCost {
            let t = try LinalgBenchmark.conditionCheckCost(n: n, rounds: reps)
            Console.line(String(format: "RESULT engine=medtwin core=%@ threads=%d routine=lu-condition-cost n=%d reps=%d unchecked_ms=%.4f checked_ms=%.4f gecon_ms=%.4f checked_over_unchecked=%.3f gecon_over_unchecked=%.3f",
                                core, threadCount, n, reps, t.unchecked * 1e3, t.checked * 1e3, t.estimate * 1e3,
                                t.checked / t.unchecked, t.estimate / t.unchecked))
            return
        }
        for routine in routines {
            let t = try LinalgBenchmark.time(routine.linalg, n: n, repeats: reps)
            var line = String(format: "RESULT engine=medtwin core=%@ threads=%d routine=%@ n=%d reps=%d min_ms=%.4f med_ms=%.4f",
                              core, threadCount, t.routine.rawValue, t.n, t.repeats, t.minimumSeconds * 1e3, t.medianSeconds * 1e3)
            if let best = t.bestRate, let median = t.medianRate {
                line += String(format: " best=%.2f median=%.2f unit=GFLOP/s", best, median)
            }
            Console.line(line)
        }
        if small {
            for order in LinalgWorkloads.smallOrders {
                let iterations = 20000
                let swift = try LinalgBenchmark.smallLUNanoseconds(n: order, method: .automatic, iterations: iterations)
                let lapack = try LinalgBenchmark.smallLUNanoseconds(n: order, method: .lapack, iterations: iterations)
                Console.line(String(format: "RESULT engine=medtwin core=%@ routine=small-lu n=%d swift_ns=%.1f lapack_ns=%.1f speedup=%.2f",
                             core, order, swift, lapack, lapack / swift))
            }
        }
    }
}
