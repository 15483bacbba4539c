import TwinLinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the `medtwin` process on the best OpenBLAS kernels this CPU supports.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` once, when the process loads it,
/// so a weaker inherited setting can only be corrected by starting again: the CLI says so in one
/// line on stderr and re-executes itself once with the corrected environment. The user keeps the
/// inherited setting with `--keep-blas-env` or `MEDTWIN_KEEP_BLAS_ENV=1`.
enum KernelRestart {
    static let keepFlag = "--keep-blas-env"
    static let keepVariable = "MEDTWIN_KEEP_BLAS_ENV"
    /// Set in the restarted process: why it was restarted. Its presence also prevents a second restart.
    static let reasonVariable = "MEDTWIN_BLAS_RESTART_REASON"

    /// Why this process was restarted, when it was.
    static var restartNote: String? { environment(reasonVariable) }

    static func userKeepsInheritedSetting(arguments: [String]) -> Bool {
        if arguments.dropFirst().prefix(while: { $0 != "--" }).contains(keepFlag) { return true }
        guard let value = environment(keepVariable)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }

    static func applyIfNeeded(arguments: [String]) {
        if userKeepsInheritedSetting(arguments: arguments) || restartNote != nil { return }
        let report = BLASRuntime.kernelReport()
        guard !report.isOptimal else { return }
        let changes = report.changes.map(\.description).joined(separator: ", ")
        let reason = report.reasons.joined(separator: "; ")
        Console.error("medtwin: \(reason): restarting with \(changes) (keep the inherited setting with \(keepFlag) or \(keepVariable)=1)")
        for change in report.changes {
            if let value = change.value { setenv(change.name, value, 1) } else { unsetenv(change.name) }
        }
        setenv(reasonVariable, "\(reason); restarted with \(changes)", 1)
        reexecute(arguments)
        // Only reached when exec failed: carry on with the kernels we have.
        let code = errno
        unsetenv(reasonVariable)
        Console.error("medtwin: could not restart (errno \(code)); continuing on OpenBLAS core \(report.coreInUse)")
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
        _ = argv.withUnsafeMutableBufferPointer { execv(executable, $0.baseAddress!) }
    }

    static func environment(_ name: String) -> String? {
        // Safe: getenv returns nil or a NUL-terminated string owned by the environment.
        getenv(name).map { String(cString: $0) }
    }
}
