import Testing
import TwinLinearAlgebra

/// The CLI puts itself on the best OpenBLAS kernels: forced onto weaker ones through the
/// environment, it restarts once with the setting corrected, unless asked to keep it.
@Suite struct KernelRestartTests {
    static let quickBench = ["bench", "linalg", "--n", "16", "--reps", "1", "--routines", "gemm", "--no-small"]

    /// The core this CPU and this OpenBLAS can do best, and whether Prescott is weaker than it.
    var betterThanPrescott: String? {
        let report = BLASKernelReport(coreInUse: "Prescott", features: .current, hasCore: { _ in true },
                                      coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: nil)
        return report.isOptimal ? nil : BLASRuntime.kernelReport().bestCore
    }

    @Test func restartsOnTheBetterCoreAndSaysWhy() throws {
        let result = try CommandRunner.run(Self.quickBench, environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(result.status == 0, "\(result.stderr)")
        guard let best = betterThanPrescott else {
            // A CPU without AVX: Prescott is already the best, so nothing to restart for.
            #expect(CommandRunner.field("core", in: result.stdout) == "Prescott")
            return
        }
        #expect(CommandRunner.field("core", in: result.stdout) == best)
        #expect(result.stderr.contains("inherited OPENBLAS_CORETYPE=Prescott"))
        #expect(result.stderr.contains("restarting with OPENBLAS_CORETYPE=\(best)"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line on stderr: \(result.stderr)")
        #expect(result.stdout.contains("# restarted: "))
    }

    @Test func keepOptionKeepsTheInheritedCore() throws {
        let viaFlag = try CommandRunner.run(Self.quickBench + ["--keep-blas-env"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(viaFlag.status == 0, "\(viaFlag.stderr)")
        #expect(CommandRunner.field("core", in: viaFlag.stdout) == "Prescott")
        #expect(!viaFlag.stderr.contains("restarting"))
        let viaVariable = try CommandRunner.run(Self.quickBench, environment: ["OPENBLAS_CORETYPE": "Prescott", "MEDTWIN_KEEP_BLAS_ENV": "1"])
        #expect(CommandRunner.field("core", in: viaVariable.stdout) == "Prescott")
        #expect(!viaVariable.stderr.contains("restarting"))
    }

    @Test func smallerInheritedL2SizeIsRemovedOnRestart() throws {
        guard let best = BLASRuntime.kernelReport().bestCore,
              let l2 = BLASRuntime.kernelReport().cpuLevel2KiB, l2 > 64 else { return }
        let result = try CommandRunner.run(Self.quickBench, environment: ["OPENBLAS_CORETYPE": best, "OPENBLAS_L2_SIZE": "64"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("restarting with unset OPENBLAS_L2_SIZE"), "\(result.stderr)")
    }

    @Test func threadsOptionSetsTheBLASThreadCount() throws {
        let result = try CommandRunner.run(Self.quickBench + ["--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(CommandRunner.field("threads", in: result.stdout) == "1")
        #expect(result.stdout.contains("# blas: OpenBLAS core"))
    }

    @Test func invalidSizeIsRejectedWithASentence() throws {
        let result = try CommandRunner.run(["bench", "linalg", "--n", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--n must be at least 1"))
    }
}
