/// A peak or a trough of a scalar quantity along a solution (a concentration, a glucose level).
public struct SolutionExtremum: Sendable, Equatable {
    /// Whether the value is a local maximum or a local minimum.
    public enum Kind: Sendable, Hashable {
        case peak
        case trough
    }

    public let kind: Kind
    /// When, in the problem's time unit.
    public let time: Double
    /// The quantity there, in its own unit (mg/L for a concentration).
    public let value: Double
    /// `.left` for the value just before a jump at ``time`` (a pre-dose trough), `.right` for
    /// the value after it or where the solution is continuous.
    public let side: ODESolution.Side

    public init(kind: Kind, time: Double, value: Double, side: ODESolution.Side) {
        self.kind = kind
        self.time = time
        self.value = value
        self.side = side
    }
}

/// The peaks and troughs of a quantity over a solution, and its largest and smallest values.
public struct SolutionExtrema: Sendable, Equatable {
    /// Every local maximum and minimum in time order (at a dose time the pre-dose trough comes
    /// before the post-dose peak). The ends of the span count where the quantity moves away
    /// from them.
    public let all: [SolutionExtremum]
    /// The largest value over the span (the earliest where several are equal).
    public let maximum: SolutionExtremum
    /// The smallest value over the span (the earliest where several are equal); the left limit
    /// at the start when a dose is given at it (the pre-dose baseline).
    public let minimum: SolutionExtremum

    /// The local maxima, in time order.
    public var peaks: [SolutionExtremum] { all.filter { $0.kind == .peak } }
    /// The local minima, in time order.
    public var troughs: [SolutionExtremum] { all.filter { $0.kind == .trough } }
}

extension ODESolution {
    /// The exact peaks and troughs of `quantity` along the solution, not the largest value of
    /// a grid.
    ///
    /// A piecewise-smooth quantity q(t) = quantity(t, y(t)) takes its extrema only at
    ///
    /// ```
    /// · a jump (a dose time): both sides, q(t⁻) from the state before it, q(t⁺) after it;
    /// · a stationary point, dq/dt = 0: found on the dense output by bracketing the sign
    ///   changes of dq/dt = ∇q·y′(t) (y′ the interpolant's derivative; ∇q·y′ by a central
    ///   difference along y′, exact for a q linear in y) and root finding (Illinois);
    /// · the ends of the span.
    /// ```
    ///
    /// Between two such consecutive points q is monotone, so each is classified by its
    /// neighbours. A dose given as an instantaneous bolus peaks at the dose time (post-dose); a
    /// zero-order infusion peaks at its end; an oral dose peaks at a stationary point.
    ///
    /// - Parameter quantity: the scalar, from the time (problem units) and the state (the
    ///   states of a sensitivity solve), e.g. `{ _, y in y[0] / 50 }` for mg/L from mg in 50 L.
    /// - Returns: nil without dense output (``ODEOptions/denseOutput`` false) or before any step.
    ///
    /// ```swift
    /// // 100 mg IV q12h ×5 into V = 50 L, CL = 5 L/h
    /// guard let e = sol.extrema(of: { _, y in y[0] / 50 }) else { return }
    /// e.maximum.time    // 48 h (post-dose)
    /// e.maximum.value   // Σ 2·e^(−0.1·(48 − 12i)) = 2.8549 mg/L
    /// e.troughs.map(\.value)   // the pre-dose values at 12, 24, 36, 48 h, then C(60 h)
    /// ```
    public func extrema(of quantity: (_ time: Double, _ state: [Double]) -> Double) -> SolutionExtrema? {
        extrema(count: 1) { time, state, out in out[0] = quantity(time, state) }?.first
    }

    /// The exact peaks and troughs of `count` quantities at once, as ``extrema(of:)`` finds them
    /// for one: one evaluation of `quantities` fills all of them (a model's outputs), so the scan
    /// costs what one quantity's does.
    ///
    /// - Parameters:
    ///   - count: how many quantities `quantities` writes into `out` (its length).
    ///   - quantities: the values at a time (problem units) and state, into `out[0..<count]`.
    /// - Returns: one ``SolutionExtrema`` per quantity, in order; nil without dense output or
    ///   before any step.
    ///
    /// ```swift
    /// let both = sol.extrema(count: 2) { _, y, out in out[0] = y[0] / 50; out[1] = y[1] }
    /// ```
    public func extrema(count m: Int, of quantities: (_ time: Double, _ state: [Double], _ out: inout [Double]) -> Void) -> [SolutionExtrema]? {
        guard m > 0, let dense, dense.count > 0, let span = dense.span else { return nil }
        let fullCount = dense.stateCount, outCount = dense.outputCount
        var y = [Double](repeating: 0, count: fullCount), dy = y
        var plus = [Double](repeating: 0, count: outCount), minus = plus
        var q = [Double](repeating: 0, count: m), qPlus = q, qMinus = q, slopes = q
        func values(_ t: Double, _ state: [Double]) -> [Double] {
            quantities(t, state, &q)
            return q
        }
        /// The state on segment `s` at t (the first outCount components).
        func state(_ s: Int, _ t: Double) -> [Double] {
            y.withUnsafeMutableBufferPointer { dense.evaluate(segment: s, at: t, into: $0.baseAddress!) }
            return outCount == fullCount ? y : Array(y.prefix(outCount))
        }
        /// dq/dt of every quantity on segment `s` at t, into `slopes`: a central difference along
        /// the interpolant's tangent.
        func slope(_ s: Int, _ t: Double) {
            y.withUnsafeMutableBufferPointer { dense.evaluate(segment: s, at: t, into: $0.baseAddress!) }
            dy.withUnsafeMutableBufferPointer { dense.evaluateDerivative(segment: s, at: t, into: $0.baseAddress!) }
            let delta = 1e-6 * max(dense.lengths[s], Double.ulpOfOne * max(abs(t), 1))
            for i in 0..<outCount {
                plus[i] = y[i] + delta * dy[i]
                minus[i] = y[i] - delta * dy[i]
            }
            quantities(t + delta, plus, &qPlus)
            quantities(t - delta, minus, &qMinus)
            for j in 0..<m { slopes[j] = (qPlus[j] - qMinus[j]) / (2 * delta) }
        }

        struct Point { let time: Double; let value: Double; let side: ODESolution.Side }
        var points = [[Point]](repeating: [], count: m)
        var jumps: [Discontinuity] = []
        for d in discontinuities where jumps.last?.time != d.time {
            if let merged = discontinuity(at: d.time) { jumps.append(merged) }
        }
        var nextJump = 0
        func addJump(_ jump: Discontinuity) {
            let left = values(jump.time, jump.before), right = values(jump.time, jump.after)
            for j in 0..<m {
                if left[j] != right[j] { points[j].append(Point(time: jump.time, value: left[j], side: .left)) }
                points[j].append(Point(time: jump.time, value: right[j], side: .right))
            }
        }
        func addValues(at t: Double, segment s: Int) {
            let v = values(t, state(s, t))
            for j in 0..<m { points[j].append(Point(time: t, value: v[j], side: .right)) }
        }

        let start = span.lowerBound
        if nextJump < jumps.count && jumps[nextJump].time <= start {
            addJump(jumps[nextJump]); nextJump += 1
        } else {
            addValues(at: start, segment: 0)
        }
        // For each quantity, the last sample where its dq/dt was non-zero, since the last jump.
        var lastSlope = [(time: Double, value: Double)?](repeating: nil, count: m)
        var sampledSinceJump = false
        // dq/dt at the middle and the end of every step (and at the start after a jump): a step
        // resolves the solution to the tolerance, so two sign changes of dq/dt within half a step
        // would be a wiggle below it.
        let samplesPerSegment = 2
        for s in 0..<dense.count {
            let a = dense.starts[s]
            // A state event truncates its step: the next segment starts before this one ends.
            var b = a + dense.lengths[s]
            if s + 1 < dense.count { b = min(b, dense.starts[s + 1]) }
            while nextJump < jumps.count && jumps[nextJump].time <= a {
                addJump(jumps[nextJump]); nextJump += 1
                for j in 0..<m { lastSlope[j] = nil }
                sampledSinceJump = false
            }
            guard b > a else { continue }
            // After a continuous boundary the previous step's end sample stands for this one's start.
            for k in (sampledSinceJump ? 1 : 0)...samplesPerSegment {
                let t = k == samplesPerSegment ? b : a + (b - a) * Double(k) / Double(samplesPerSegment)
                slope(s, t)
                for j in 0..<m {
                    let d = slopes[j]
                    guard d != 0, d.isFinite else { continue }
                    if let last = lastSlope[j], (last.value < 0) != (d < 0) {
                        // No jump lies in (last.time, t]: the segment holding each time, but never one past s.
                        let current = s
                        let segmentAt = { (time: Double) -> Int in min(dense.segment(containing: time) ?? current, current) }
                        let root = EventLocator.root(of: { time in slope(segmentAt(time), time); return slopes[j] },
                                                     from: last.time, last.value, to: t, d)
                        points[j].append(Point(time: root, value: values(root, state(segmentAt(root), root))[j], side: .right))
                    }
                    lastSlope[j] = (t, d)
                }
            }
            sampledSinceJump = true
        }
        while nextJump < jumps.count {
            addJump(jumps[nextJump]); nextJump += 1
        }
        let end = span.upperBound
        let last = dense.count - 1
        let endValues = values(end, state(last, end))
        for j in 0..<m where points[j].last.map({ $0.time < end }) ?? true {
            points[j].append(Point(time: end, value: endValues[j], side: .right))
        }
        return points.map { points in
            var all: [SolutionExtremum] = []
            var largest = 0, smallest = 0
            for (i, p) in points.enumerated() {
                if p.value > points[largest].value { largest = i }
                if p.value < points[smallest].value { smallest = i }
                let neighbours = [i > 0 ? points[i - 1].value : nil, i + 1 < points.count ? points[i + 1].value : nil].compactMap { $0 }
                if neighbours.allSatisfy({ p.value >= $0 }) && neighbours.contains(where: { p.value > $0 }) {
                    all.append(SolutionExtremum(kind: .peak, time: p.time, value: p.value, side: p.side))
                } else if neighbours.allSatisfy({ p.value <= $0 }) && neighbours.contains(where: { p.value < $0 }) {
                    all.append(SolutionExtremum(kind: .trough, time: p.time, value: p.value, side: p.side))
                }
            }
            let top = points[largest], bottom = points[smallest]
            return SolutionExtrema(all: all, maximum: SolutionExtremum(kind: .peak, time: top.time, value: top.value, side: top.side),
                                   minimum: SolutionExtremum(kind: .trough, time: bottom.time, value: bottom.value, side: bottom.side))
        }
    }
}
