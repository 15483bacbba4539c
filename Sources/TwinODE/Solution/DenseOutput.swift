/// A continuous solution: one polynomial per accepted step, y(t₀ + θh) = Σₖ cₖ θᵏ for θ ∈ [0, 1].
///
/// Every algorithm stores its own interpolant in this common form (degree 4 for the Runge–Kutta
/// pairs, 3 for Rodas4, up to 5 for BDF), so evaluating a solution does not depend on which
/// method produced it.
public struct DenseOutput: Sendable {
    public let stateCount: Int
    /// How many leading components evaluation returns (the states of a sensitivity solve).
    public internal(set) var outputCount: Int
    /// Start time of each segment.
    public private(set) var starts: [Double] = []
    /// Length of each segment.
    public private(set) var lengths: [Double] = []
    /// Offset of each segment's coefficients in `coefficients`.
    private var offsets: [Int] = []
    /// Polynomial degree of each segment.
    private var degrees: [Int] = []
    /// cₖ for each segment, k-major: c₀[0..<n], c₁[0..<n], …
    private var coefficients: [Double] = []

    init(stateCount: Int) {
        self.stateCount = stateCount
        self.outputCount = stateCount
    }

    /// Appends a segment on [t₀, t₀ + h]; `write(k, out)` fills cₖ.
    mutating func append(start: Double, length: Double, degree: Int, _ write: (_ k: Int, _ out: UnsafeMutablePointer<Double>) -> Void) {
        let n = stateCount
        starts.append(start)
        lengths.append(length)
        offsets.append(coefficients.count)
        degrees.append(degree)
        let base = coefficients.count
        coefficients.append(contentsOf: repeatElement(0, count: (degree + 1) * n))
        coefficients.withUnsafeMutableBufferPointer { p in
            // Safe: the k-th block of n entries lies inside the (degree + 1)·n just appended.
            for k in 0...degree { write(k, p.baseAddress! + base + k * n) }
        }
    }

    /// The time span covered.
    public var span: ClosedRange<Double>? {
        guard let first = starts.first, let last = starts.last, let h = lengths.last else { return nil }
        return first...(last + h)
    }

    /// Index of the segment containing t (the later one at a shared boundary, except at the very end).
    func segment(containing t: Double) -> Int? {
        guard !starts.isEmpty else { return nil }
        var lo = 0, hi = starts.count - 1
        if t < starts[0] { return nil }
        if t > starts[hi] + lengths[hi] * (1 + 1e-12) + 1e-300 { return nil }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The state at time t, or nil outside the covered span.
    public func callAsFunction(_ t: Double) -> [Double]? {
        guard let s = segment(containing: t) else { return nil }
        var out = [Double](repeating: 0, count: stateCount)
        out.withUnsafeMutableBufferPointer { evaluate(segment: s, at: t, into: $0.baseAddress!) }
        return outputCount == stateCount ? out : Array(out.prefix(outputCount))
    }

    /// Evaluates segment `s` at t into `out` (n values) by Horner's rule in θ.
    func evaluate(segment s: Int, at t: Double, into out: UnsafeMutablePointer<Double>) {
        let n = stateCount
        let theta = lengths[s] > 0 ? (t - starts[s]) / lengths[s] : 0
        let d = degrees[s]
        coefficients.withUnsafeBufferPointer { c in
            // Safe: segment s owns (d + 1)·n coefficients from offsets[s].
            let base = c.baseAddress! + offsets[s]
            for i in 0..<n {
                var v = base[d * n + i]
                var k = d - 1
                while k >= 0 { v = v * theta + base[k * n + i]; k -= 1 }
                out[i] = v
            }
        }
    }

    /// The time derivative of the interpolant, dy/dt, at time t (the later segment at a shared
    /// boundary, as for the value); nil outside the covered span. State units per time unit.
    public func derivative(_ t: Double) -> [Double]? {
        guard let s = segment(containing: t) else { return nil }
        var out = [Double](repeating: 0, count: stateCount)
        out.withUnsafeMutableBufferPointer { evaluateDerivative(segment: s, at: t, into: $0.baseAddress!) }
        return outputCount == stateCount ? out : Array(out.prefix(outputCount))
    }

    /// Evaluates dy/dt = (1/h)·Σₖ k·cₖ·θ^(k−1) of segment `s` at t into `out` (n values).
    func evaluateDerivative(segment s: Int, at t: Double, into out: UnsafeMutablePointer<Double>) {
        let n = stateCount
        let h = lengths[s]
        let theta = h > 0 ? (t - starts[s]) / h : 0
        let d = degrees[s]
        coefficients.withUnsafeBufferPointer { c in
            // Safe: segment s owns (d + 1)·n coefficients from offsets[s].
            let base = c.baseAddress! + offsets[s]
            for i in 0..<n {
                guard d >= 1, h > 0 else { out[i] = 0; continue }
                var v = Double(d) * base[d * n + i]
                var k = d - 1
                while k >= 1 { v = v * theta + Double(k) * base[k * n + i]; k -= 1 }
                out[i] = v / h
            }
        }
    }

    /// The number of segments.
    public var count: Int { starts.count }
}
