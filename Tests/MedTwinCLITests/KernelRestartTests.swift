import Foundation
import Testing
import TwinLinearAlgebra

/// The CLI keeps the OpenBLAS kernel setting it inherits, advises in one line where faster kernels
/// exist, and restarts only where nothing is inherited or when asked.
///
/// Every child inherits this test process's environment unchanged (``CommandRunner``): the tests
/// never set `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE`, which on some machines makes OpenBLAS
/// compute wrong results or crash. Expected values come from this process's own
/// `BLASRuntime.kernelReport()`: it loaded the same OpenBLAS under the same environment.
@Suite struct KernelRestartTests {
    static let quickBench = ["bench", "linalg", "--n", "16", "--reps", "1", "--routines", "gemm", "--no-small"]
    /// Words of the advice line that `KernelRestartPolicy.decide` writes (MedTwinCLI/KernelRestart.swift names the flags).
    static let adviceMarker = "medtwin: faster OpenBLAS kernels exist: "
    static let restartMarker = ": restarting with "

    /// What the parent sees: the kernels in use, and whether faster ones exist.
    let report = BLASRuntime.kernelReport()

    /// Whether the environment this test inherited carries a kernel setting.
    var inheritsSetting: Bool { KernelRestartPolicy.inheritsSetting(report) }

    static func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    @Test func inheritedEnvironmentIsKeptUnlessNothingIsInheritedAndFasterKernelsExist() throws {
        let result = try CommandRunner.run(Self.quickBench)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.lines(result.stderr).count <= 1, "at most one line on stderr: \(result.stderr)")
        if report.isOptimal || inheritsSetting {
            // No restart: the child runs the parent's core, and advises iff the report names faster kernels.
            #expect(CommandRunner.field("core", in: result.stdout) == report.coreInUse)
            #expect(!result.stdout.contains("# restarted: "))
            #expect(result.stderr.contains(Self.adviceMarker) == !report.isOptimal, "\(result.stderr)")
            #expect(!result.stderr.contains(Self.restartMarker))
            if !report.isOptimal {
                #expect(result.stderr.contains("--faster-blas") && result.stderr.contains("MEDTWIN_FASTER_BLAS=1"))
                #expect(result.stderr.contains("--keep-blas-env"))
            }
        } else {
            // Nothing inherited and OpenBLAS's own detection fell short: one restart onto the best
            // core, which passed the self-test.
            #expect(result.stderr.contains(Self.restartMarker), "\(result.stderr)")
            #expect(CommandRunner.field("core", in: result.stdout) == report.bestCore)
            #expect(result.stdout.contains("self-test passed"))
        }
    }

    @Test func keepOptionNeverRestartsNorAdvises() throws {
        let viaFlag = try CommandRunner.run(Self.quickBench + ["--keep-blas-env"])
        let viaVariable = try CommandRunner.run(Self.quickBench, environment: ["MEDTWIN_KEEP_BLAS_ENV": "1"])
        // Keeping wins over asking for faster kernels.
        let keepAndFaster = try CommandRunner.run(Self.quickBench + ["--keep-blas-env", "--faster-blas"])
        for result in [viaFlag, viaVariable, keepAndFaster] {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "silent: \(result.stderr)")
            #expect(CommandRunner.field("core", in: result.stdout) == report.coreInUse)
            #expect(!result.stdout.contains("# restarted: "))
        }
    }

    @Test func fasterOptionRestartsOnlyWhereFasterKernelsExist() throws {
        let viaFlag = try CommandRunner.run(Self.quickBench + ["--faster-blas"])
        let viaVariable = try CommandRunner.run(Self.quickBench, environment: ["MEDTWIN_FASTER_BLAS": "1"])
        for result in [viaFlag, viaVariable] {
            #expect(result.status == 0, "\(result.stderr)")
            if report.isOptimal {
                #expect(result.stderr.isEmpty, "nothing faster to restart onto: \(result.stderr)")
                #expect(CommandRunner.field("core", in: result.stdout) == report.coreInUse)
            } else {
                #expect(Self.lines(result.stderr).count == 1, "\(result.stderr)")
                #expect(result.stderr.contains(Self.restartMarker), "\(result.stderr)")
                #expect(CommandRunner.field("core", in: result.stdout) == report.bestCore)
                #expect(result.stdout.contains("self-test passed"))
            }
        }
    }

    @Test func restartedProcessSelfTestsItsKernelsBeforeRunning() throws {
        // As the first process hands over after a restart, but with nothing changed: the restore
        // record names the inherited values exactly, so even a fallback would leave them as they are.
        let inherited = EnvironmentChange.undoing([EnvironmentChange(name: "OPENBLAS_CORETYPE", value: nil),
                                                   EnvironmentChange(name: "OPENBLAS_L2_SIZE", value: nil)],
                                                  in: { ProcessInfo.processInfo.environment[$0] })
        let record = try #require(EnvironmentChange.encoded(inherited))
        let result = try CommandRunner.run(Self.quickBench, environment: ["MEDTWIN_BLAS_RESTART_REASON": "test handover",
                                                                          "MEDTWIN_BLAS_RESTORE": record])
        #expect(result.status == 0, "\(result.stderr)")
        // BLASSelfTest has 4 checks, run at 1 thread and again at OpenBLAS's default count when that is larger.
        let note = Self.lines(result.stdout).first { $0.hasPrefix("# restarted: ") } ?? ""
        #expect(note == "# restarted: test handover; self-test passed (4 checks)"
                || note == "# restarted: test handover; self-test passed (8 checks)", "\(result.stdout)")
        #expect(result.stderr.isEmpty, "the kernels passed, so nothing to say: \(result.stderr)")
        #expect(CommandRunner.field("core", in: result.stdout) == report.coreInUse)
    }

    /// One quick invocation of every subcommand whose help offers `--keep-blas-env`.
    static func kernelSubcommands(scratch: URL) -> [[String]: [String]] {
        [
            ["simulate"]: ["--model", "pk-1cmt", "--regimen", "100 mg iv", "--until", "2h", "--points", "3",
                           "--out", scratch.appendingPathComponent("simulate.csv").path],
            ["ensemble"]: ["--model", "pk-2cmt", "--patients", "16", "--variability", "CL=30%", "--regimen", "100 mg iv",
                           "--until", "2h", "--seed", "1", "--points", "3", "--out", scratch.appendingPathComponent("ensemble.csv").path],
            ["bench", "linalg"]: ["--n", "16", "--reps", "1", "--routines", "gemm", "--no-small"],
            ["bench", "ode"]: ["--problems", "pk-5-doses", "--solvers", "dp5", "--reps", "1"],
            ["bench", "ensemble"]: ["--patients", "16", "--reps", "1"],
        ]
    }

    @Test func fasterOptionIsAcceptedWhereverKeepOptionIs() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let invocations = Self.kernelSubcommands(scratch: scratch)
        // Every command path, from the root command's help; the ones that offer --keep-blas-env
        // must be exactly those listed above.
        let paths: [[String]] = [["simulate"], ["ensemble"], ["records"], ["models"],
                                 ["bench", "linalg"], ["bench", "ode"], ["bench", "ensemble"]]
        for path in paths {
            let help = try CommandRunner.run(path + ["--help"])
            let options = Self.lines(help.stdout).map { $0.trimmingCharacters(in: .whitespaces) }
            let keeps = options.contains { $0.hasPrefix("--keep-blas-env ") }
            #expect(keeps == options.contains { $0.hasPrefix("--faster-blas ") }, "\(path): \(help.stdout)")
            #expect(keeps == (invocations[path] != nil), "\(path): \(help.stdout)")
        }
        for (path, arguments) in invocations {
            let result = try CommandRunner.run(path + arguments + ["--faster-blas"])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(!result.stderr.contains("Unknown option"), "\(path): \(result.stderr)")
        }
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
