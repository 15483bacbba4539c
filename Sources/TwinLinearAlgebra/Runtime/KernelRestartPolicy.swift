/// Decides whether a program restarts itself onto stronger OpenBLAS kernels, only advises, or does
/// nothing, and what it says; a pure function of a ``BLASKernelReport`` and the user's request.
///
/// An inherited `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE` is often deliberate: older OpenBLAS
/// builds compute wrong results or crash on CPUs they do not know when run on that CPU's own
/// kernels, and administrators pin weaker ones. So the policy keeps an inherited setting by
/// default and advises (one line) how to ask for the faster kernels; it restarts only where
/// nothing is inherited (OpenBLAS's own detection fell short) or when the user asks. A restarted
/// process runs ``BLASSelfTest`` first and, through ``decideAfterRestart(selfTest:restoring:)``,
/// goes back to the original environment if the new kernels fail it.
///
/// ```swift
/// let policy = KernelRestartPolicy(program: "mytool",
///                                  upgradeHint: "pass --faster-blas",
///                                  keepHint: "--keep-blas-env")
/// switch policy.decide(report: BLASRuntime.kernelReport(), request: .automatic) {
/// case .none: break
/// case .advise(let line): print(line)                            // keep going on these kernels
/// case .restart(let changes, let line): print(line); _ = changes // set them, then exec yourself
/// }
/// ```
public struct KernelRestartPolicy: Sendable, Equatable {
    /// What the user asked for.
    public enum Request: Sendable, Hashable {
        /// Nothing: restart only where no setting is inherited, otherwise advise.
        case automatic
        /// Restart onto the best kernels even over an inherited setting (after a self-test).
        case faster
        /// Never restart and never advise.
        case keep
    }

    /// What to do.
    public enum Decision: Sendable, Equatable {
        /// Carry on silently.
        case none
        /// Carry on, after writing this line to stderr.
        case advise(String)
        /// Write `line` to stderr, apply `changes` to the environment and start the program again.
        case restart(changes: [EnvironmentChange], line: String)
    }

    /// The name that starts each line, e.g. "medtwin".
    public var program: String
    /// How to ask for the faster kernels, completing "for them, …", e.g. "pass --faster-blas or set MEDTWIN_FASTER_BLAS=1".
    public var upgradeHint: String
    /// How to keep the current setting and silence the advice, e.g. "--keep-blas-env or MEDTWIN_KEEP_BLAS_ENV=1".
    public var keepHint: String

    public init(program: String, upgradeHint: String, keepHint: String) {
        self.program = program
        self.upgradeHint = upgradeHint
        self.keepHint = keepHint
    }

    /// Whether the report's process inherited a kernel setting (`OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE`).
    public static func inheritsSetting(_ report: BLASKernelReport) -> Bool {
        report.coreTypeSetting != nil || report.level2SizeSetting != nil
    }

    /// The decision at start-up.
    ///
    /// | report | inherited setting | request | decision |
    /// |---|---|---|---|
    /// | optimal | any | any | none |
    /// | weaker | any | keep | none |
    /// | weaker | none | automatic or faster | restart |
    /// | weaker | yes | automatic | advise |
    /// | weaker | yes | faster | restart |
    public func decide(report: BLASKernelReport, request: Request) -> Decision {
        if request == .keep || report.isOptimal { return .none }
        let reasons = report.reasons.joined(separator: "; ")
        if Self.inheritsSetting(report) && request == .automatic {
            return .advise("\(program): faster OpenBLAS kernels exist: \(reasons); keeping the inherited setting, which may guard "
                           + "against OpenBLAS builds that fail on this CPU (for the faster kernels, checked by a self-test, "
                           + "\(upgradeHint); to silence this, \(keepHint))")
        }
        let changes = report.changes.map(\.description).joined(separator: ", ")
        return .restart(changes: report.changes,
                        line: "\(program): \(reasons): restarting with \(changes), checked by a numerical self-test "
                              + "(keep the current kernels with \(keepHint))")
    }

    /// The decision in the restarted process, once ``BLASSelfTest`` has checked the new kernels.
    ///
    /// - Parameters:
    ///   - selfTest: the self-test run on the kernels the restart chose.
    ///   - restoring: the changes that bring back the original environment (values inherited by
    ///     the first process; `nil` value where a variable was unset).
    /// - Returns: ``Decision/none`` when the self-test passed; otherwise a restart with
    ///   `restoring`, whose line says which check failed. The program must not decide again in
    ///   the process that restart starts (nor restart from it), so it cannot loop.
    public func decideAfterRestart(selfTest: BLASSelfTest.Report, restoring: [EnvironmentChange]) -> Decision {
        if selfTest.passed { return .none }
        let failure = selfTest.failures.first.map(\.description) ?? "no check ran"
        let original = restoring.isEmpty ? "the original environment"
                                         : "the original " + restoring.map(\.description).joined(separator: ", ")
        return .restart(changes: restoring,
                        line: "\(program): the OpenBLAS \(selfTest.coreName) kernels failed the numerical self-test "
                              + "(\(failure)): restarting with \(original)")
    }
}

extension EnvironmentChange {
    /// The changes that undo `changes`: each variable back to its value in `environment`, or unset
    /// where it has none.
    public static func undoing(_ changes: [EnvironmentChange], in environment: (String) -> String?) -> [EnvironmentChange] {
        changes.map { EnvironmentChange(name: $0.name, value: environment($0.name)) }
    }

    /// `changes` as one string, to hand to a restarted process in an environment variable: one
    /// line per change, `NAME=value` or `NAME` alone for an unset. Nil when a value holds a newline
    /// or a name holds `=` or a newline (then it cannot be read back).
    public static func encoded(_ changes: [EnvironmentChange]) -> String? {
        var lines: [String] = []
        for change in changes {
            guard !change.name.isEmpty, !change.name.contains("="), !change.name.contains("\n"),
                  !(change.value?.contains("\n") ?? false) else { return nil }
            lines.append(change.value.map { "\(change.name)=\($0)" } ?? change.name)
        }
        return lines.joined(separator: "\n")
    }

    /// The changes ``encoded(_:)`` wrote.
    ///
    /// ```swift
    /// let text = EnvironmentChange.encoded([.init(name: "OPENBLAS_CORETYPE", value: "Haswell")])
    /// EnvironmentChange.decoding(text ?? "")    // [OPENBLAS_CORETYPE=Haswell]
    /// ```
    public static func decoding(_ text: String) -> [EnvironmentChange] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            guard let equals = line.firstIndex(of: "=") else { return EnvironmentChange(name: String(line), value: nil) }
            return EnvironmentChange(name: String(line[..<equals]), value: String(line[line.index(after: equals)...]))
        }
    }
}
