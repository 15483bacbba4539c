import TwinLinearAlgebra
import MedTwin
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the `medtwin` process on the best OpenBLAS kernels this CPU supports, without overriding
/// a deliberate setting.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` once, when the process loads it, so
/// other kernels need a fresh process. Only commands that may call OpenBLAS are considered
/// (``mayUseBLAS(arguments:)``); for them ``KernelRestartPolicy`` decides:
/// - an inherited setting is kept (it may guard against an OpenBLAS build that fails on this CPU);
///   where it forces weaker kernels, one line on stderr says so and how to ask for the faster ones
///   (`--faster-blas` or `MEDTWIN_FASTER_BLAS=1`);
/// - where nothing is inherited and OpenBLAS's own detection fell short, or when asked, the CLI
///   says so in one line and re-executes itself with the setting corrected; the restarted process
///   first runs ``BLASSelfTest`` and, if the new kernels fail it, says so in one line and
///   re-executes once more with the original environment (that process decides nothing again);
/// - `--keep-blas-env` or `MEDTWIN_KEEP_BLAS_ENV=1`: never restart, never advise.
enum KernelRestart {
    static let keepFlag = "--keep-blas-env"
    static let keepVariable = "MEDTWIN_KEEP_BLAS_ENV"
    static let fasterFlag = "--faster-blas"
    static let fasterVariable = "MEDTWIN_FASTER_BLAS"
    /// Set in a restarted process: why it was restarted. Its presence also prevents any further restart.
    static let reasonVariable = "MEDTWIN_BLAS_RESTART_REASON"
    /// Set only in the process restarted onto stronger kernels: the changes that bring back the
    /// original environment (``EnvironmentChange/encoded(_:)``). Its presence asks for the self-test.
    static let restoreVariable = "MEDTWIN_BLAS_RESTORE"

    static let policy = KernelRestartPolicy(program: "medtwin",
                                            upgradeHint: "pass \(fasterFlag) or set \(fasterVariable)=1",
                                            keepHint: "\(keepFlag) or \(keepVariable)=1")

    /// Why this process was restarted, when it was.
    static var restartNote: String? { environment(reasonVariable) }

    /// The user's request from the command line (before any `--`) and the environment; keeping wins.
    static func request(arguments: [String]) -> KernelRestartPolicy.Request {
        let options = arguments.dropFirst().prefix(while: { $0 != "--" })
        if options.contains(keepFlag) || isSet(keepVariable) { return .keep }
        if options.contains(fasterFlag) || isSet(fasterVariable) { return .faster }
        return .automatic
    }

    /// Whether the command in `arguments` may call OpenBLAS, so that its kernels matter; only then
    /// does ``applyIfNeeded(arguments:)`` advise or restart. Decided from the raw arguments (before
    /// any `--`), since OpenBLAS must be chosen before the command is parsed:
    /// - `bench linalg`, `bench ode`, `bench ensemble`: yes (they time BLAS and LAPACK paths, or
    ///   solves that may factor with LAPACK, and report the OpenBLAS core);
    /// - `simulate`: only with a stiff `--solver` (rodas4, bdf): their Newton matrices are
    ///   factored with LAPACK when the model has more states than `SmallLU.maximumOrder`;
    ///   explicit solvers never call BLAS;
    /// - `ensemble`: with a stiff `--solver`, or with `--omega` (the covariance is factored with
    ///   LAPACK's Cholesky);
    /// - `records`, `models`, help and version requests: no.
    ///
    /// Every command for which this is true declares ``KernelOptions``, so the advice's
    /// `--faster-blas` and `--keep-blas-env` are options it accepts.
    static func mayUseBLAS(arguments: [String]) -> Bool {
        let options = Array(arguments.dropFirst().prefix(while: { $0 != "--" }))
        if options.contains(where: { ["-h", "--help", "help", "--version"].contains($0) }) { return false }
        guard let command = options.first else { return false }
        switch command {
        case "bench":
            return options.count > 1 && ["linalg", "ode", "ensemble"].contains(options[1])
        case "simulate":
            return stiffSolver(in: options)
        case "ensemble":
            return stiffSolver(in: options) || options.contains { $0 == "--omega" || $0.hasPrefix("--omega=") }
        default:
            return false
        }
    }

    /// Whether `--solver NAME` (or `--solver=NAME`) names a stiff method; the last one given counts.
    private static func stiffSolver(in options: [String]) -> Bool {
        var name: String?
        for (index, option) in options.enumerated() {
            if option == "--solver", index + 1 < options.count { name = options[index + 1] }
            if option.hasPrefix("--solver=") { name = String(option.dropFirst("--solver=".count)) }
        }
        guard let name, let algorithm = ODEAlgorithms.named(name) else { return false }
        return algorithm.isStiff
    }

    static func applyIfNeeded(arguments: [String]) {
        if let restore = environment(restoreVariable), restartNote != nil {
            checkRestartedKernels(arguments: arguments, restoring: EnvironmentChange.decoding(restore))
            return
        }
        // A restarted process (including one back on the original environment) decides nothing again.
        if restartNote != nil { return }
        // A command that never calls OpenBLAS runs on whatever kernels were loaded: nothing to say.
        guard mayUseBLAS(arguments: arguments) else { return }
        let request = request(arguments: arguments)
        if request == .keep { return }
        let report = BLASRuntime.kernelReport()
        switch policy.decide(report: report, request: request) {
        case .none:
            return
        case .advise(let line):
            Console.error(line)
        case .restart(let changes, let line):
            let restoring = EnvironmentChange.undoing(changes, in: environment)
            guard let record = EnvironmentChange.encoded(restoring) else {
                Console.error("medtwin: not restarting onto faster OpenBLAS kernels: the inherited settings cannot be "
                              + "recorded for a fallback; continuing on OpenBLAS core \(report.coreInUse)")
                return
            }
            Console.error(line)
            let reason = report.reasons.joined(separator: "; ") + "; restarted with "
                + changes.map(\.description).joined(separator: ", ")
            setenv(restoreVariable, record, 1)
            let code = restart(applying: changes, reason: reason, arguments: arguments)
            unsetenv(restoreVariable)
            Console.error("medtwin: could not restart (errno \(code)); continuing on OpenBLAS core \(report.coreInUse)")
        }
    }

    /// In the process restarted onto stronger kernels: runs the self-test before anything else uses
    /// them, and goes back to the original environment if they fail it.
    private static func checkRestartedKernels(arguments: [String], restoring: [EnvironmentChange]) {
        unsetenv(restoreVariable)
        let note = restartNote ?? ""
        // Start-up: no other thread is in OpenBLAS, so the self-test may resize its pool.
        let counts = BLASRuntime.threadCount > 1 ? [1, BLASRuntime.threadCount] : [1]
        let selfTest = BLASSelfTest.run(threadCounts: counts)
        switch policy.decideAfterRestart(selfTest: selfTest, restoring: restoring) {
        case .none, .advise:
            setenv(reasonVariable, note + "; self-test passed (\(selfTest.checks.count) checks)", 1)
        case .restart(let changes, let line):
            Console.error(line)
            let code = restart(applying: changes, reason: note + "; " + selfTest.summary + "; back on the original environment",
                               arguments: arguments)
            // Carrying on would compute with kernels known to give wrong results.
            Console.error("medtwin: could not restart (errno \(code)) and the OpenBLAS \(selfTest.coreName) kernels failed "
                          + "the self-test; stopping (run again with \(keepFlag))")
            exit(70)   // EX_SOFTWARE
        }
    }

    /// Applies `changes`, records `reason`, and replaces this process with a fresh copy of itself.
    /// Returns only when exec failed: then the environment is as before and the result is errno.
    private static func restart(applying changes: [EnvironmentChange], reason: String, arguments: [String]) -> Int32 {
        let previous = EnvironmentChange.undoing(changes, in: environment)
        let previousReason = restartNote
        apply(changes)
        setenv(reasonVariable, reason, 1)
        reexecute(arguments)
        let code = errno
        apply(previous)
        apply([EnvironmentChange(name: reasonVariable, value: previousReason)])
        return code
    }

    private static func apply(_ changes: [EnvironmentChange]) {
        for change in changes {
            if let value = change.value { setenv(change.name, value, 1) } else { unsetenv(change.name) }
        }
    }

    /// Replaces this process with a fresh copy of the same executable and arguments.
    private static func reexecute(_ arguments: [String]) {
        #if os(Linux)
        let executable = "/proc/self/exe"
        #else
        let executable = arguments.first ?? ""
        #endif
        // Safe: the strdup'ed strings live until exec replaces the process image (or are leaked
        // once if it fails, a few bytes); the array is NULL-terminated as execv requires.
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        _ = argv.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return Int32(-1) }
            return execv(executable, base)
        }
    }

    private static func isSet(_ name: String) -> Bool {
        guard let value = environment(name)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }

    static func environment(_ name: String) -> String? {
        // Safe: getenv returns nil or a NUL-terminated string owned by the environment.
        getenv(name).map { String(cString: $0) }
    }
}
