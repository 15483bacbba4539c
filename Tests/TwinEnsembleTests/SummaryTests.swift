import Foundation
import Testing
import TwinEnsemble

/// The exact sample quantile the sketch's guarantee refers to: 0-based rank ⌊q·(n − 1)⌋ of the sorted values.
private func exactQuantile(_ sorted: [Double], _ q: Double) -> Double {
    sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
}

private let probabilities = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

/// Checks |x̃ − x_q| ≤ α·|x_q| (plus 1e-12 relative for rounding in the logarithm) for every q.
private func expectWithinGuarantee(_ sketch: QuantileSketch, _ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    let sorted = values.sorted()
    let alpha = sketch.relativeAccuracy
    for q in probabilities {
        guard let estimate = sketch.quantile(q) else {
            Issue.record("no quantile for q = \(q)", sourceLocation: sourceLocation); continue
        }
        let exact = exactQuantile(sorted, q)
        #expect(abs(estimate - exact) <= alpha * (1 + 1e-12) * abs(exact), "q = \(q): \(estimate) vs exact \(exact)",
                sourceLocation: sourceLocation)
    }
}

@Suite struct RunningMomentsTests {
    /// The textbook set 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
    @Test func knownSet() {
        var m = RunningMoments()
        for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { m.add(x) }
        #expect(m.count == 8 && m.mean == 5)
        #expect(abs(m.variance - 32.0 / 7) < 1e-15)
        #expect(m.minimum == 2 && m.maximum == 9)
    }

    @Test func leavesOutNonFiniteValues() {
        var m = RunningMoments()
        for x in [1.0, .nan, 3, .infinity, -.infinity] { m.add(x) }
        #expect(m.count == 2 && m.nonFinite == 3 && m.mean == 2)
        #expect(RunningMoments().variance.isNaN)
    }

    /// Against the two-pass mean and variance of 10,000 values with a large offset (where the
    /// one-pass textbook formula Σx² − n·mean² loses all digits): the variance is conditioned by
    /// (mean/SD)·ε ≈ 1e5 · 1.1e-16, so agreement to 1e-10 is what stable formulas give.
    @Test func matchesTwoPassOnOffsetData() {
        var stream = MemberRandomStream(seed: 4, member: 0)
        let values = (0..<10_000).map { _ in 1e6 + 10 * stream.standardNormal() }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        var single = RunningMoments()
        values.forEach { single.add($0) }
        #expect(abs(single.mean - mean) <= 1e-14 * mean)
        #expect(abs(single.variance - variance) <= 1e-10 * variance)
        let merged = mergedInChunks(values)
        #expect(abs(merged.variance - single.variance) <= 1e-10 * single.variance)
    }

    /// Seven unequal chunks (one empty) merged in order agree with one stream to 1e-12 relative on
    /// well-conditioned data (log-normal, mean/SD ≈ 2), and merging is deterministic.
    @Test func mergesLikeOneStream() {
        var stream = MemberRandomStream(seed: 6, member: 0)
        let values = (0..<10_000).map { _ in exp(0.5 * stream.standardNormal()) }
        var single = RunningMoments()
        values.forEach { single.add($0) }
        let merged = mergedInChunks(values)
        #expect(merged.count == single.count)
        #expect(abs(merged.mean - single.mean) <= 1e-12 * abs(single.mean))
        #expect(abs(merged.variance - single.variance) <= 1e-12 * single.variance)
        #expect(merged.minimum == single.minimum && merged.maximum == single.maximum)
        #expect(mergedInChunks(values) == merged)
    }

    private func mergedInChunks(_ values: [Double]) -> RunningMoments {
        var merged = RunningMoments()
        var start = 0
        for size in [1, 999, 0, 3000, 17, 4983, 1000] {
            var chunk = RunningMoments()
            values[start..<start + size].forEach { chunk.add($0) }
            merged.merge(chunk)
            start += size
        }
        return merged
    }
}

@Suite struct QuantileSketchTests {
    @Test func logNormalUniformAndMixedSignsWithinRelativeAccuracy() throws {
        var stream = MemberRandomStream(seed: 12, member: 0)
        let logNormal = (0..<20_000).map { _ in 2.8 * exp(0.5 * stream.standardNormal()) }
        let uniform = (0..<20_000).map { _ in stream.uniform() }
        // Negatives, exact zeros and positives spanning six decades.
        let mixed = (0..<20_000).map { i -> Double in
            switch i % 4 {
            case 0: return 0
            case 1: return -exp(3 * stream.standardNormal())
            default: return exp(3 * stream.standardNormal())
            }
        }
        for (values, alpha) in [(logNormal, 0.005), (uniform, 0.005), (mixed, 0.005), (logNormal, 0.02)] {
            var sketch = try QuantileSketch(relativeAccuracy: alpha)
            values.forEach { sketch.add($0) }
            #expect(sketch.count == values.count && !sketch.isCollapsed)
            expectWithinGuarantee(sketch, values)
        }
    }

    @Test func smallSetsAndEdges() throws {
        var sketch = QuantileSketch()
        #expect(sketch.quantile(0.5) == nil)
        sketch.add(.nan); sketch.add(.infinity)
        #expect(sketch.count == 0)
        sketch.add(-3)
        #expect(abs(try #require(sketch.quantile(0.5)) + 3) <= 0.005 * 3)
        #expect(sketch.quantile(1.5) == nil && sketch.quantile(-0.1) == nil)
        #expect(throws: EnsembleError.self) { try QuantileSketch(relativeAccuracy: 0) }
        #expect(throws: EnsembleError.self) { try QuantileSketch(relativeAccuracy: 0.01, maximumBucketCount: 0) }
    }

    @Test func mergingHalvesEqualsTheWhole() throws {
        var stream = MemberRandomStream(seed: 99, member: 1)
        let values = (0..<10_000).map { i in i % 10 == 0 ? 0 : (i % 3 == 0 ? -1 : 1) * exp(2 * stream.standardNormal()) }
        var whole = QuantileSketch(), first = QuantileSketch(), second = QuantileSketch()
        values.forEach { whole.add($0) }
        values[..<3_333].forEach { first.add($0) }
        values[3_333...].forEach { second.add($0) }
        var ab = first, ba = second
        ab.merge(second)
        ba.merge(first)
        #expect(ab == whole)
        #expect(ba == whole)
    }

    /// Values spanning 60 decades need ~13,800 buckets at α = 0.005: the store collapses to 4096,
    /// the memory stays bounded, quantiles above the collapsed range keep the guarantee, and the
    /// merge is still exact and order-independent.
    @Test func collapsesLowestBucketsAndStaysBounded() throws {
        var stream = MemberRandomStream(seed: 5, member: 5)
        let values = (0..<20_000).map { _ in pow(10, -30 + 60 * stream.uniform()) }
        var whole = QuantileSketch()
        values.forEach { whole.add($0) }
        #expect(whole.isCollapsed && whole.bucketCount <= 4096)
        // 4096 buckets at ln γ ≈ 0.01 cover the top ~17.8 decades: above 1e12 the guarantee holds.
        let sorted = values.sorted()
        for q in [0.9, 0.95, 0.99, 1] {
            let exact = exactQuantile(sorted, q)
            #expect(exact > 1e13)
            #expect(abs(try #require(whole.quantile(q)) - exact) <= 0.005 * (1 + 1e-12) * exact)
        }
        var small = try QuantileSketch(relativeAccuracy: 0.01, maximumBucketCount: 64)
        var low = small, high = small
        values.forEach { small.add($0) }
        values.filter { $0 < 1 }.forEach { low.add($0) }
        values.filter { $0 >= 1 }.forEach { high.add($0) }
        #expect(small.bucketCount <= 64)
        var lowThenHigh = low, highThenLow = high
        lowThenHigh.merge(high)
        highThenLow.merge(low)
        #expect(lowThenHigh == small && highThenLow == small)
    }
}

@Suite struct PopulationSummaryTests {
    /// Members m = 1…101 with C = m at t = 0 and C = −m at t = 1, E = NaN for member 1 at t = 1:
    /// mean 51, sample variance of 1…n is n(n+1)/12 = 858.5; 5th/50th/95th percentiles are the
    /// values of rank ⌊q·100⌋: 6, 51, 96 (within α = 0.5 %).
    @Test func bandsOfAKnownSet() throws {
        var summary = PopulationSummary(times: [0, 1], quantities: ["C", "E"])
        for m in 1...101 {
            let x = Double(m)
            summary.add(member: [x, 2 * x, -x, m == 1 ? .nan : 10])
        }
        #expect(summary.memberCount == 101)
        let bands = summary.bands()
        #expect(bands.map(\.time) == [0, 0, 1, 1] && bands.map(\.quantity) == ["C", "E", "C", "E"])
        let c0 = try #require(summary.band(time: 0, quantity: "C"))
        #expect(c0.count == 101 && c0.mean == 51)
        #expect(abs(c0.sd - 858.5.squareRoot()) < 1e-12)
        #expect(abs(c0.p5 - 6) <= 0.005 * 6 && abs(c0.p50 - 51) <= 0.005 * 51 && abs(c0.p95 - 96) <= 0.005 * 96)
        let c1 = try #require(summary.band(time: 1, quantity: "C"))
        #expect(abs(c1.p5 + 96) <= 0.005 * 96 && abs(c1.p95 + 6) <= 0.005 * 6)
        let e1 = try #require(summary.band(time: 1, quantity: "E"))
        #expect(e1.count == 100 && e1.mean == 10 && e1.sd == 0)
        #expect(summary.moments[3].nonFinite == 1)
        #expect(summary.band(time: 0.5, quantity: "C") == nil && summary.band(time: 0, quantity: "X") == nil)
    }

    @Test func emptyCellsGiveNaN() {
        let band = PopulationSummary(times: [0], quantities: ["C"]).bands()[0]
        #expect(band.count == 0 && band.mean.isNaN && band.sd.isNaN && band.p50.isNaN)
    }

    /// Chunks of 64 members added in index order and merged in chunk order: the same bits every
    /// time, the same sketches as one stream, and moments within 1e-12 of one stream.
    @Test func chunkedSummaryIsReproducible() {
        let times = [0.0, 1, 2, 4]
        func memberValues(_ i: Int) -> [Double] {
            var s = MemberRandomStream(seed: 77, member: i)
            return times.flatMap { t in [exp(-0.2 * t + 0.3 * s.standardNormal()), s.uniform()] }
        }
        func chunked() -> PopulationSummary {
            var total = PopulationSummary(times: times, quantities: ["C", "U"])
            for start in stride(from: 0, to: 1000, by: 64) {
                var chunk = PopulationSummary(times: times, quantities: ["C", "U"])
                for i in start..<min(start + 64, 1000) { chunk.add(member: memberValues(i)) }
                total.merge(chunk)
            }
            return total
        }
        let a = chunked(), b = chunked()
        #expect(a == b)
        var single = PopulationSummary(times: times, quantities: ["C", "U"])
        for i in 0..<1000 { single.add(member: memberValues(i)) }
        #expect(a.sketches == single.sketches && a.memberCount == single.memberCount)
        for (x, y) in zip(a.moments, single.moments) {
            #expect(x.count == y.count && abs(x.mean - y.mean) <= 1e-12 * abs(y.mean) && abs(x.variance - y.variance) <= 1e-12 * y.variance)
        }
    }
}
