import Testing
import TwinLinearAlgebra

/// The restart decision is a pure function of the kernel report and the user's request: checked
/// here on synthetic CPUs of both vendors (mocked CPUID through `CPUFeatures`).
@Suite struct KernelRestartPolicyTests {
    static let policy = KernelRestartPolicy(program: "medtwin", upgradeHint: "pass --faster-blas or set MEDTWIN_FASTER_BLAS=1",
                                            keepHint: "--keep-blas-env or MEDTWIN_KEEP_BLAS_ENV=1")

    /// A CPU, the core OpenBLAS should run on it, and a weaker one an administrator might pin.
    struct CPU: Sendable, CustomTestStringConvertible {
        let name: String
        let features: CPUFeatures
        /// From `BLASKernelReport.candidateCores`: the fastest core for these features that a
        /// Debian OpenBLAS 0.3.21 DYNAMIC_ARCH build carries (it has no SapphireRapids table).
        let best: String
        /// A weaker core for the same CPU (lower in `BLASKernelReport.coreRank`).
        let weaker: String
        var testDescription: String { name }
    }

    static let cpus: [CPU] = [
        // Cooper Lake / Sapphire Rapids Xeon: AVX-512 with BF16 → Cooperlake (no SapphireRapids in 0.3.21).
        CPU(name: "Intel AVX-512 + BF16", features: [.sse3, .avx, .avx2, .fma, .avx512, .avx512bf16], best: "Cooperlake", weaker: "Haswell"),
        // Skylake-SP / Ice Lake Xeon: AVX-512 without BF16 → SkylakeX.
        CPU(name: "Intel AVX-512", features: [.sse3, .avx, .avx2, .fma, .avx512], best: "SkylakeX", weaker: "Haswell"),
        // Zen 3: AVX2 + FMA, no AVX-512; AMD prefers the Zen kernels over Haswell.
        CPU(name: "AMD Zen 3", features: [.sse3, .avx, .avx2, .fma, .amd], best: "Zen", weaker: "Sandybridge"),
        // Zen 4: AVX-512 with BF16 → the AVX-512 kernels rank above Zen.
        CPU(name: "AMD Zen 4", features: [.sse3, .avx, .avx2, .fma, .avx512, .avx512bf16, .amd], best: "Cooperlake", weaker: "Zen"),
        // Sandy Bridge class: AVX only → Sandybridge.
        CPU(name: "AVX-only", features: [.sse3, .avx], best: "Sandybridge", weaker: "Prescott"),
    ]

    static let debian0321: @Sendable (String) -> Bool = { $0 != "SapphireRapids" }

    static func report(_ cpu: CPU, coreInUse: String, coreTypeSetting: String? = nil, level2SizeSetting: String? = nil) -> BLASKernelReport {
        BLASKernelReport(coreInUse: coreInUse, features: cpu.features, hasCore: debian0321,
                         coreTypeSetting: coreTypeSetting, level2SizeSetting: level2SizeSetting, cpuLevel2KiB: 1024)
    }

    static let requests: [KernelRestartPolicy.Request] = [.automatic, .faster, .keep]

    @Test(arguments: cpus, requests)
    func bestCoreInUseIsLeftAloneWhateverIsInheritedOrAsked(cpu: CPU, request: KernelRestartPolicy.Request) {
        let detected = Self.report(cpu, coreInUse: cpu.best)
        let pinned = Self.report(cpu, coreInUse: cpu.best, coreTypeSetting: cpu.best)
        #expect(detected.bestCore == cpu.best)
        #expect(Self.policy.decide(report: detected, request: request) == .none)
        #expect(Self.policy.decide(report: pinned, request: request) == .none)
    }

    @Test(arguments: cpus)
    func detectionThatFellShortRestartsUnlessKept(cpu: CPU) throws {
        // Nothing inherited: OpenBLAS's own detection chose the weaker core (0.3.21 falls back to
        // Prescott on CPUs it does not know).
        let report = Self.report(cpu, coreInUse: cpu.weaker)
        let expected = [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: cpu.best)]
        for request in [KernelRestartPolicy.Request.automatic, .faster] {
            guard case .restart(let changes, let line) = Self.policy.decide(report: report, request: request) else {
                Issue.record("\(cpu.name), \(request): expected a restart"); continue
            }
            #expect(changes == expected)
            #expect(line == "medtwin: OpenBLAS runs its \(cpu.weaker) kernels (chosen by its own CPU detection) but this CPU "
                          + "supports \(cpu.best): restarting with OPENBLAS_CORETYPE=\(cpu.best), checked by a numerical "
                          + "self-test (keep the current kernels with --keep-blas-env or MEDTWIN_KEEP_BLAS_ENV=1)")
        }
        #expect(Self.policy.decide(report: report, request: .keep) == .none)
    }

    @Test(arguments: cpus)
    func inheritedWeakerCoreIsKeptWithAdviceUnlessFasterIsAsked(cpu: CPU) {
        let report = Self.report(cpu, coreInUse: cpu.weaker, coreTypeSetting: cpu.weaker)
        let advice = "medtwin: faster OpenBLAS kernels exist: OpenBLAS runs its \(cpu.weaker) kernels (chosen by the inherited "
            + "OPENBLAS_CORETYPE=\(cpu.weaker)) but this CPU supports \(cpu.best); keeping the inherited setting, which may "
            + "guard against OpenBLAS builds that fail on this CPU (for the faster kernels, checked by a self-test, pass "
            + "--faster-blas or set MEDTWIN_FASTER_BLAS=1; to silence this, --keep-blas-env or MEDTWIN_KEEP_BLAS_ENV=1)"
        #expect(Self.policy.decide(report: report, request: .automatic) == .advise(advice))
        #expect(!advice.contains("\n"), "one line")
        guard case .restart(let changes, _) = Self.policy.decide(report: report, request: .faster) else {
            Issue.record("\(cpu.name): --faster-blas should restart"); return
        }
        #expect(changes == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: cpu.best)])
        #expect(Self.policy.decide(report: report, request: .keep) == .none)
    }

    @Test(arguments: cpus)
    func inheritedL2SizeAloneCountsAsADeliberateSetting(cpu: CPU) {
        // The core is the best, but an inherited OPENBLAS_L2_SIZE (256 KiB) is below the CPU's 1024 KiB.
        let report = Self.report(cpu, coreInUse: cpu.best, level2SizeSetting: "256")
        guard case .advise(let line) = Self.policy.decide(report: report, request: .automatic) else {
            Issue.record("\(cpu.name): expected advice"); return
        }
        #expect(line.contains("the inherited OPENBLAS_L2_SIZE=256"))
        #expect(Self.policy.decide(report: report, request: .faster)
                == .restart(changes: [EnvironmentChange(name: "OPENBLAS_L2_SIZE", value: nil)],
                            line: "medtwin: the inherited OPENBLAS_L2_SIZE=256 makes OpenBLAS block for 256 KiB of L2 but this CPU "
                                + "has 1024 KiB: restarting with unset OPENBLAS_L2_SIZE, checked by a numerical self-test "
                                + "(keep the current kernels with --keep-blas-env or MEDTWIN_KEEP_BLAS_ENV=1)"))
    }

    @Test func inheritedL2SizeAlsoKeepsAWeakDetectedCore() {
        // Own detection fell short, but the environment carries a (deliberate) L2 setting: advise only.
        let report = Self.report(Self.cpus[0], coreInUse: "Prescott", level2SizeSetting: "2048")
        #expect(report.changes == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Cooperlake")])
        guard case .advise = Self.policy.decide(report: report, request: .automatic) else {
            Issue.record("expected advice"); return
        }
    }

    // MARK: - After the restart

    static let failedSelfTest = BLASSelfTest.Report(coreName: "Cooperlake", checks: [
        BLASSelfTest.Check(name: "dgemm 93×80·80×67", threadCount: 2, error: 0.41, tolerance: 1e-12),
    ])
    static let passedSelfTest = BLASSelfTest.Report(coreName: "Cooperlake", checks: [
        BLASSelfTest.Check(name: "dgemm 93×80·80×67", threadCount: 2, error: 2e-17, tolerance: 1e-12),
    ])

    @Test func passedSelfTestKeepsTheNewKernels() {
        let restore = [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Haswell")]
        #expect(Self.policy.decideAfterRestart(selfTest: Self.passedSelfTest, restoring: restore) == .none)
    }

    @Test func failedSelfTestRestoresTheInheritedSetting() {
        let restore = [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Haswell")]
        #expect(Self.policy.decideAfterRestart(selfTest: Self.failedSelfTest, restoring: restore)
                == .restart(changes: restore,
                            line: "medtwin: the OpenBLAS Cooperlake kernels failed the numerical self-test (dgemm 93×80·80×67 "
                                + "on 2 threads: error 0.41 > 1e-12): restarting with the original OPENBLAS_CORETYPE=Haswell"))
    }

    @Test func failedSelfTestAfterDetectionFellShortUnsetsTheCoreAgain() {
        // Nothing was inherited: going back means unsetting what the restart set.
        let restore = EnvironmentChange.undoing([EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Cooperlake")],
                                                in: { _ in nil })
        #expect(restore == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: nil)])
        guard case .restart(let changes, let line) = Self.policy.decideAfterRestart(selfTest: Self.failedSelfTest, restoring: restore) else {
            Issue.record("expected the fallback restart"); return
        }
        #expect(changes == restore)
        #expect(line.hasSuffix("restarting with the original unset OPENBLAS_CORETYPE"))
    }

    // MARK: - Handing the original environment to the restarted process

    @Test func restoreRecordRoundTrips() throws {
        let changes = [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Haswell"),
                       EnvironmentChange(name: "OPENBLAS_L2_SIZE", value: nil),
                       EnvironmentChange(name: "X", value: "a=b"),
                       EnvironmentChange(name: "Y", value: "")]
        let text = try #require(EnvironmentChange.encoded(changes))
        #expect(EnvironmentChange.decoding(text) == changes)
        #expect(EnvironmentChange.encoded([EnvironmentChange(name: "X", value: "two\nlines")]) == nil)
        #expect(EnvironmentChange.encoded([]) == "")
        #expect(EnvironmentChange.decoding("") == [])
    }
}
