/// A change to one environment variable: set it to `value`, or unset it when `value` is nil.
public struct EnvironmentChange: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }

    /// `NAME=value` or `unset NAME`.
    public var description: String { value.map { "\(name)=\($0)" } ?? "unset \(name)" }
}

/// Which OpenBLAS kernels this process uses, which it could use, and what to set to get them.
///
/// OpenBLAS chooses its kernels once, when the library loads, from its own CPU detection or
/// from `OPENBLAS_CORETYPE`; `OPENBLAS_L2_SIZE` overrides the cache size its blocking assumes.
/// An inherited setting (or a detection that does not know a newer CPU) can leave a fast
/// machine on old kernels: dgemm then runs at a fraction of its speed. Nothing inside the
/// process can change that after load, so the report says which variables to set before
/// starting it. An inherited setting may be deliberate (older OpenBLAS builds fail on some CPUs'
/// own kernels): ``KernelRestartPolicy`` decides whether to restart, only advise, or do nothing,
/// and ``BLASSelfTest`` checks the kernels a restarted process got.
///
/// ```swift
/// let report = BLASRuntime.kernelReport()
/// if !report.isOptimal { print(report.summary) }   // e.g. "… set OPENBLAS_CORETYPE=Cooperlake"
/// ```
public struct BLASKernelReport: Sendable, Equatable, CustomStringConvertible {
    /// The core whose kernels OpenBLAS runs now (`openblas_get_corename`), e.g. "Haswell".
    public let coreInUse: String
    /// The fastest core this CPU can run and this OpenBLAS build carries; nil when unknown
    /// (not x86-64, or an OpenBLAS built for one core only).
    public let bestCore: String?
    /// The inherited `OPENBLAS_CORETYPE`, if any.
    public let coreTypeSetting: String?
    /// The inherited `OPENBLAS_L2_SIZE`, if any.
    public let level2SizeSetting: String?
    /// The CPU's per-core L2 cache in KiB, when the system reports it.
    public let cpuLevel2KiB: Int?
    /// What to set or unset before starting the process to get the best kernels; empty when
    /// nothing is to gain.
    public let changes: [EnvironmentChange]
    /// One sentence per change, saying why.
    public let reasons: [String]

    /// Whether OpenBLAS already runs the best kernels this machine allows.
    public var isOptimal: Bool { changes.isEmpty }

    /// One line for a person: the core in use and, where it could be better, what to set and why.
    public var summary: String {
        if isOptimal { return "OpenBLAS core \(coreInUse) (best available for this CPU)" }
        let set = changes.map(\.description).joined(separator: " and ")
        return reasons.joined(separator: "; ") + "; \(set) before starting the process"
    }

    public var description: String { summary }

    /// OpenBLAS x86-64 cores from slowest to fastest kernels for double-precision GEMM.
    static let coreRank: [String: Int] = [
        "prescott": 0, "core2": 1, "penryn": 1, "dunnington": 1, "atom": 0, "nano": 0, "katmai": 0,
        "coppermine": 0, "northwood": 0, "banias": 0, "athlon": 0, "opteron": 0, "opteron_sse3": 0, "barcelona": 1, "bobcat": 1,
        "nehalem": 2, "sandybridge": 3, "bulldozer": 3, "piledriver": 3, "steamroller": 3, "excavator": 3,
        "haswell": 4, "zen": 4, "skylakex": 5, "cooperlake": 6, "sapphirerapids": 7,
    ]

    /// The cores a CPU with `features` can run, fastest first.
    static func candidateCores(for features: CPUFeatures) -> [String] {
        var list: [String] = []
        if features.contains(.avx512) {
            if features.contains(.avx512bf16) { list += ["SapphireRapids", "Cooperlake"] }
            list.append("SkylakeX")
        }
        if features.contains([.avx2, .fma]) { list += features.contains(.amd) ? ["Zen", "Haswell"] : ["Haswell", "Zen"] }
        if features.contains(.avx) { list.append("Sandybridge") }
        return list
    }

    /// Builds the report from its inputs; `BLASRuntime.kernelReport()` supplies the live ones.
    ///
    /// - Parameters:
    ///   - hasCore: whether the loaded OpenBLAS carries a core's kernels.
    ///   - level2SizeSetting: `OPENBLAS_L2_SIZE` as inherited; read as KiB when below 16384, as bytes otherwise.
    public init(coreInUse: String, features: CPUFeatures, hasCore: (String) -> Bool,
                coreTypeSetting: String?, level2SizeSetting: String?, cpuLevel2KiB: Int?) {
        self.coreInUse = coreInUse
        self.coreTypeSetting = coreTypeSetting
        self.level2SizeSetting = level2SizeSetting
        self.cpuLevel2KiB = cpuLevel2KiB
        let best = Self.candidateCores(for: features).first(where: hasCore)
        self.bestCore = best
        var changes: [EnvironmentChange] = []
        var reasons: [String] = []
        if let best, let bestRank = Self.coreRank[best.lowercased()], let inUseRank = Self.coreRank[coreInUse.lowercased()],
           inUseRank < bestRank {
            let source = coreTypeSetting.map { "the inherited OPENBLAS_CORETYPE=\($0)" } ?? "its own CPU detection"
            reasons.append("OpenBLAS runs its \(coreInUse) kernels (chosen by \(source)) but this CPU supports \(best)")
            changes.append(EnvironmentChange(name: "OPENBLAS_CORETYPE", value: best))
        }
        if let setting = level2SizeSetting, let cpu = cpuLevel2KiB, let value = Int(setting.trimmingSpaces()) {
            let kib = value < 16384 ? value : value / 1024
            if kib < cpu {
                reasons.append("the inherited OPENBLAS_L2_SIZE=\(setting) makes OpenBLAS block for \(kib) KiB of L2 but this CPU has \(cpu) KiB")
                changes.append(EnvironmentChange(name: "OPENBLAS_L2_SIZE", value: nil))
            }
        }
        self.changes = changes
        self.reasons = reasons
    }
}
