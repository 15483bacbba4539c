/// Count, mean and sum of squared deviations of a stream of values, updated one value at a time
/// (Welford 1962) and merged pairwise (Chan, Golub & LeVeque 1979), in O(1) memory.
///
/// ```
/// add x:    n ← n + 1;  δ = x − mean;  mean ← mean + δ/n;  M2 ← M2 + δ·(x − mean)
/// merge B:  n = n_A + n_B;  δ = mean_B − mean_A;
///           mean = mean_A + δ·n_B/n;  M2 = M2_A + M2_B + δ²·n_A·n_B/n
/// ```
///
/// NaN and infinite values are not added; they are counted in ``nonFinite``. The arithmetic is
/// deterministic: the same sequence of adds and merges gives the same bits.
///
/// ```swift
/// var m = RunningMoments()
/// for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { m.add(x) }
/// m.mean                 // 5
/// m.variance             // 32/7 (n − 1 denominator)
/// ```
///
/// References: Welford BP (1962) Note on a method for calculating corrected sums of squares and
/// products. Technometrics 4(3):419–420. Chan TF, Golub GH, LeVeque RJ (1979) Updating formulae
/// and a pairwise algorithm for computing sample variances. Stanford CS report STAN-CS-79-773.
public struct RunningMoments: Sendable, Equatable {
    /// The number of finite values added.
    public private(set) var count: Int = 0
    /// Their mean (0 when none).
    public private(set) var mean: Double = 0
    /// Σ (x − mean)² over the finite values added.
    public private(set) var m2: Double = 0
    /// The number of NaN or infinite values offered and left out.
    public private(set) var nonFinite: Int = 0
    /// The smallest finite value added (+∞ when none).
    public private(set) var minimum: Double = .infinity
    /// The largest finite value added (−∞ when none).
    public private(set) var maximum: Double = -.infinity

    /// No values.
    public init() {}

    /// Adds `x` (or counts it in ``nonFinite`` when it is NaN or infinite).
    public mutating func add(_ x: Double) {
        guard x.isFinite else { nonFinite += 1; return }
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
    }

    /// Adds the values of `other`, as if they had been added here after this one's.
    public mutating func merge(_ other: RunningMoments) {
        nonFinite += other.nonFinite
        guard other.count > 0 else { return }
        guard count > 0 else {
            (count, mean, m2, minimum, maximum) = (other.count, other.mean, other.m2, other.minimum, other.maximum)
            return
        }
        let n = count + other.count
        let na = Double(count), nb = Double(other.count), nt = Double(n)
        let delta = other.mean - mean
        mean += delta * (nb / nt)
        m2 += other.m2 + delta * delta * (na * nb / nt)
        count = n
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The sample variance M2 / (n − 1); NaN for fewer than two values.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }

    /// The sample standard deviation √variance; NaN for fewer than two values.
    public var standardDeviation: Double { variance.squareRoot() }
}
