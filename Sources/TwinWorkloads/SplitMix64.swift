/// A small, fast, seedable random number generator (SplitMix64; Steele, Lea and Flood 2014,
/// "Fast splittable pseudorandom number generators", OOPSLA). The same seed gives the same
/// stream on every platform, which is what workloads shared by tests and benchmarks need.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [-0.5, 0.5), as the C peer `blas_bench` fills its matrices.
    public mutating func centredUniform() -> Double {
        Double(next() >> 11) * 0x1p-53 - 0.5
    }
}
