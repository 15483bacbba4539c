import RealModule

/// A mergeable streaming quantile sketch with a relative-value error guarantee: DDSketch
/// (Masson, Rim & Lee 2019), in bounded memory whatever the number of values.
///
/// Values are counted in logarithmic buckets. With relative accuracy α and γ = (1 + α)/(1 − α),
/// a value x > 0 goes to bucket i = ⌈log_γ x⌉, which holds (γ^(i−1), γ^i]; negative values go to
/// a second store by |x|; values with |x| at or below ``zeroThreshold`` (≈ 2.2e-308) are counted
/// as zeros. A bucket is reported as its representative value 2γ^i/(γ + 1), which is within
/// relative distance α of every value in the bucket.
///
/// **Guarantee.** For n added values and any q in [0, 1], ``quantile(_:)`` returns x̃ with
///
/// ```
/// |x̃ − x_q| ≤ α·|x_q|,    x_q = the value of 0-based rank ⌊q·(n − 1)⌋ among the added values sorted
/// ```
///
/// (up to rounding in the logarithm, ~1e-15 relative; values at or below ``zeroThreshold`` in
/// magnitude are reported as 0). Each sign's store keeps at most ``maximumBucketCount`` buckets
/// (default 4096, which spans γ^4096 ≈ 6·10¹⁷ at α = 0.005): when a value would need more, the
/// lowest-magnitude buckets are collapsed into the lowest kept one, as DDSketch does, and the
/// guarantee then holds only for quantiles whose values lie above the collapsed range
/// (``isCollapsed`` says whether it happened).
///
/// **Merging** adds bucket counts: it is exact (the merge of sketches of two halves equals, bucket
/// for bucket, the sketch of all the values) and order-independent, including collapsing, since
/// every count ends in bucket max(i, i_max − maximumBucketCount + 1) whatever the order. NaN and
/// infinite values are ignored (not counted).
///
/// ```swift
/// var sketch = QuantileSketch()                  // α = 0.005
/// for x in concentrations { sketch.add(x) }
/// let median = sketch.quantile(0.5)              // within 0.5 % of the exact sample median
/// var other = QuantileSketch(); other.add(3.2)
/// sketch.merge(other)
/// ```
///
/// Reference: Masson C, Rim JE, Lee HK (2019) DDSketch: a fast and fully-mergeable quantile
/// sketch with relative-error guarantees. Proceedings of the VLDB Endowment 12(12):2195–2205.
public struct QuantileSketch: Sendable, Equatable {
    /// The relative accuracy α, in (0, 1).
    public let relativeAccuracy: Double
    /// The most buckets each sign's store keeps.
    public let maximumBucketCount: Int
    /// γ = (1 + α)/(1 − α).
    public let gamma: Double
    /// Values with magnitude at or below this are counted as zeros: the smallest normal double times γ.
    public let zeroThreshold: Double
    /// 1 / ln γ.
    private let inverseLogGamma: Double
    /// ln(2/(γ + 1)), so that the representative 2γ^i/(γ + 1) is exp(i·ln γ + this) without overflow.
    private let logRepresentativeFactor: Double
    private var positive = BucketStore()
    private var negative = BucketStore()
    /// The number of values counted as zero.
    public private(set) var zeroCount = 0

    /// An empty sketch with α = 0.005 and at most 4096 buckets per sign.
    public init() {
        self.init(validAccuracy: 0.005, maximumBucketCount: 4096)
    }

    /// An empty sketch.
    ///
    /// - Parameters:
    ///   - relativeAccuracy: α in (0, 1), e.g. 0.01 for quantiles within 1 %; memory grows as 1/α.
    ///   - maximumBucketCount: the most buckets per sign (≥ 1), default 4096.
    /// - Throws: ``EnsembleError/invalidRequest(reason:)`` for α outside (0, 1) or a bucket count below 1.
    public init(relativeAccuracy: Double, maximumBucketCount: Int = 4096) throws(EnsembleError) {
        guard relativeAccuracy > 0, relativeAccuracy < 1 else {
            throw .invalidRequest(reason: "quantile accuracy \(relativeAccuracy) must lie strictly between 0 and 1 (e.g. 0.005 for 0.5 %)")
        }
        guard maximumBucketCount >= 1 else {
            throw .invalidRequest(reason: "the maximum bucket count \(maximumBucketCount) must be at least 1 (default 4096)")
        }
        self.init(validAccuracy: relativeAccuracy, maximumBucketCount: maximumBucketCount)
    }

    private init(validAccuracy alpha: Double, maximumBucketCount: Int) {
        relativeAccuracy = alpha
        self.maximumBucketCount = maximumBucketCount
        gamma = (1 + alpha) / (1 - alpha)
        let logGamma = Double.log(onePlus: 2 * alpha / (1 - alpha))
        inverseLogGamma = 1 / logGamma
        logRepresentativeFactor = Double.log(2 / (gamma + 1))
        zeroThreshold = Double.leastNormalMagnitude * gamma
    }

    /// An empty sketch with the same accuracy and bucket limit.
    public func emptied() -> QuantileSketch {
        QuantileSketch(validAccuracy: relativeAccuracy, maximumBucketCount: maximumBucketCount)
    }

    /// The number of values added (NaN and infinities excluded).
    public var count: Int { positive.total + negative.total + zeroCount }

    /// Whether some buckets were collapsed because a store would have exceeded ``maximumBucketCount``.
    public var isCollapsed: Bool { positive.collapsed || negative.collapsed }

    /// The number of buckets in use (both signs, zeros not counted): the memory actually needed.
    public var bucketCount: Int { positive.span + negative.span }

    /// Adds `x`; NaN and infinities are ignored.
    public mutating func add(_ x: Double) {
        if x > zeroThreshold {
            guard x.isFinite else { return }
            positive.add(index: key(x), count: 1, limit: maximumBucketCount)
        } else if x < -zeroThreshold {
            guard x.isFinite else { return }
            negative.add(index: key(-x), count: 1, limit: maximumBucketCount)
        } else if !x.isNaN {
            zeroCount += 1
        }
    }

    /// Adds the counts of `other` (exact and order-independent; see the type's documentation).
    ///
    /// - Precondition: both sketches have the same accuracy and bucket limit.
    public mutating func merge(_ other: QuantileSketch) {
        precondition(relativeAccuracy == other.relativeAccuracy && maximumBucketCount == other.maximumBucketCount,
                     "QuantileSketch.merge: accuracy \(relativeAccuracy) / \(maximumBucketCount) buckets vs \(other.relativeAccuracy) / \(other.maximumBucketCount)")
        zeroCount += other.zeroCount
        positive.merge(other.positive, limit: maximumBucketCount)
        negative.merge(other.negative, limit: maximumBucketCount)
    }

    /// The q-quantile: the representative value of the bucket holding the value of 0-based rank
    /// ⌊q·(n − 1)⌋ (see the guarantee in the type's documentation).
    ///
    /// - Parameter q: in [0, 1] (0.5 for the median, 0.95 for the 95th percentile).
    /// - Returns: the estimate, or nil when the sketch is empty or q is outside [0, 1].
    public func quantile(_ q: Double) -> Double? {
        let n = count
        guard n > 0, q >= 0, q <= 1 else { return nil }
        let rank = Int((q * Double(n - 1)).rounded(.down))
        var seen = 0
        if negative.total > 0 {
            for i in stride(from: negative.maxIndex, through: negative.minIndex, by: -1) {
                seen += negative[i]
                if seen > rank { return -representative(i) }
            }
        }
        seen += zeroCount
        if seen > rank { return 0 }
        if positive.total > 0 {
            for i in positive.minIndex...positive.maxIndex {
                seen += positive[i]
                if seen > rank { return representative(i) }
            }
            return representative(positive.maxIndex)
        }
        return 0
    }

    /// ⌈log_γ m⌉ for a magnitude m > ``zeroThreshold``.
    private func key(_ magnitude: Double) -> Int {
        Int((Double.log(magnitude) * inverseLogGamma).rounded(.up))
    }

    /// 2γ^i/(γ + 1).
    private func representative(_ i: Int) -> Double {
        Double.exp(Double(i) / inverseLogGamma + logRepresentativeFactor)
    }
}

/// The dense counts of one sign's buckets: `bins[k]` counts bucket `offset + k`; the buckets in use
/// are `minIndex...maxIndex`, at most `limit` of them; the array keeps some slack on either side so
/// that growing is amortised, and never exceeds three times the limit.
struct BucketStore: Sendable, Equatable {
    private var bins: [Int] = []
    private var offset = 0
    /// The lowest and highest bucket with a non-zero count (meaningful when `total > 0`).
    private(set) var minIndex = 0
    private(set) var maxIndex = 0
    /// The number of values counted.
    private(set) var total = 0
    /// Whether counts were moved up into a higher bucket to respect the limit.
    private(set) var collapsed = false

    /// The number of buckets from the lowest to the highest in use.
    var span: Int { total == 0 ? 0 : maxIndex - minIndex + 1 }

    /// The count of bucket `i`.
    subscript(i: Int) -> Int {
        let k = i - offset
        return k >= 0 && k < bins.count ? bins[k] : 0
    }

    /// Counts `count` values in bucket `index`, collapsing the lowest buckets into the lowest kept
    /// one when more than `limit` buckets would be in use.
    mutating func add(index: Int, count: Int, limit: Int) {
        guard count > 0 else { return }
        var i = index
        if total == 0 {
            reserve(i, i, limit: limit)
            minIndex = i
            maxIndex = i
        } else if i > maxIndex {
            let lowestKept = i - limit + 1
            if lowestKept > minIndex {
                var moved = 0
                for k in minIndex...Swift.min(maxIndex, lowestKept - 1) {
                    moved += self[k]
                    if k - offset >= 0 && k - offset < bins.count { bins[k - offset] = 0 }
                }
                minIndex = lowestKept
                maxIndex = Swift.max(maxIndex, lowestKept)
                reserve(lowestKept, i, limit: limit)
                bins[lowestKept - offset] += moved
                collapsed = true
            }
            reserve(i, i, limit: limit)
            maxIndex = i
        } else if i < minIndex {
            let lowestKept = maxIndex - limit + 1
            if i < lowestKept {
                i = lowestKept
                collapsed = true
            }
            reserve(i, i, limit: limit)
            minIndex = i
        }
        bins[i - offset] += count
        total += count
    }

    /// Adds every count of `other`, bucket by bucket in increasing order.
    mutating func merge(_ other: BucketStore, limit: Int) {
        guard other.total > 0 else { return }
        if other.collapsed { collapsed = true }
        for i in other.minIndex...other.maxIndex {
            add(index: i, count: other[i], limit: limit)
        }
    }

    /// Makes `bins` cover lo...hi and the buckets in use, re-allocating with slack if needed.
    private mutating func reserve(_ lo: Int, _ hi: Int, limit: Int) {
        if !bins.isEmpty && lo >= offset && hi < offset + bins.count { return }
        var newLo = lo, newHi = hi
        if total > 0 {
            newLo = Swift.min(newLo, minIndex)
            newHi = Swift.max(newHi, maxIndex)
        }
        let slack = Swift.min(Swift.max(16, (newHi - newLo + 1) / 2), limit)
        if bins.isEmpty || lo < offset { newLo -= slack }
        if bins.isEmpty || hi >= offset + bins.count { newHi += slack }
        var fresh = [Int](repeating: 0, count: newHi - newLo + 1)
        let copyLo = Swift.max(offset, newLo), copyHi = Swift.min(offset + bins.count - 1, newHi)
        if copyLo <= copyHi {
            for k in copyLo...copyHi { fresh[k - newLo] = bins[k - offset] }
        }
        bins = fresh
        offset = newLo
    }

    /// Equal when the same counts are in the same buckets (slack, layout and the collapse flag aside).
    static func == (a: BucketStore, b: BucketStore) -> Bool {
        guard a.total == b.total else { return false }
        if a.total == 0 { return true }
        guard a.minIndex == b.minIndex, a.maxIndex == b.maxIndex else { return false }
        for i in a.minIndex...a.maxIndex where a[i] != b[i] { return false }
        return true
    }
}
