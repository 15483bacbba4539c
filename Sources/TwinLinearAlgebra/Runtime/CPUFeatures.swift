/// The x86-64 instruction-set features that decide which OpenBLAS kernels a CPU can run, each
/// counted only where the operating system also saves the register state it needs.
public struct CPUFeatures: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let sse3 = CPUFeatures(rawValue: 1)
    public static let avx = CPUFeatures(rawValue: 2)
    public static let avx2 = CPUFeatures(rawValue: 4)
    public static let fma = CPUFeatures(rawValue: 8)
    /// AVX-512 F, CD, BW, DQ and VL together (the SkylakeX kernels' requirement).
    public static let avx512 = CPUFeatures(rawValue: 16)
    /// AVX512_BF16 (Cooper Lake, Sapphire Rapids, Zen 4 and later).
    public static let avx512bf16 = CPUFeatures(rawValue: 32)
    /// The vendor is AMD.
    public static let amd = CPUFeatures(rawValue: 64)

    /// The features of the CPU this process runs on (empty on non-x86 machines).
    public static var current: CPUFeatures { OpenBLASBackend.cpuFeatures }

    public var description: String {
        let names: [(CPUFeatures, String)] = [(.sse3, "sse3"), (.avx, "avx"), (.avx2, "avx2"), (.fma, "fma"),
                                              (.avx512, "avx512"), (.avx512bf16, "avx512bf16"), (.amd, "amd")]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: ",")
    }
}
