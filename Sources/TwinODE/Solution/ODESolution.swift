/// The result of a solve: saved times and states, dense output, statistics and how it ended.
///
/// **Dose times.** At a time where the solution jumps (time events such as a bolus, or a state
/// event that modified the state) every sampled value is the right limit, the state *after* the
/// jump (post-dose); the left limit (pre-dose) is ``callAsFunction(_:side:)`` with `.left`, the
/// ``discontinuities`` list, and an extra saved row marked in ``isLeftLimit`` where
/// ``ODEOptions/saveLeftLimits`` asks for it (``SaveSchedule/everyStep`` always saves both).
///
/// ```swift
/// let sol = problem.solve(using: .tsit5)
/// guard sol.status.isSuccess else { print(sol.status) ; return }
/// let final = sol.finalState                 // [Double], state units
/// let atSix = sol(6.0)                       // dense output at t = 6 (post-dose if a dose is at 6)
/// let trough = sol(12.0, side: .left)        // the state just before the dose at 12
/// for (t, y) in zip(sol.times, sol.states) { … }
/// ```
public struct ODESolution: Sendable {
    /// Which side of a jump a value is on.
    public enum Side: Sendable, Hashable {
        /// The left limit, just before the events at that time (pre-dose).
        case left
        /// The right limit, once the events at that time have applied (post-dose); the convention
        /// wherever a side is not named.
        case right
    }

    /// The saved times, non-decreasing: a time appears twice where a jump's left limit was saved too.
    public internal(set) var times: [Double] = []
    /// `isLeftLimit[i]`: save i holds the left limit (pre-dose state) at `times[i]`; the right
    /// limit follows as save i + 1 at the same time. False for every other save.
    public internal(set) var isLeftLimit: [Bool] = []
    /// The jumps, in time order: each time where time events fired (including the start, when
    /// events are at it) or a state event modified the state, with the state on both sides.
    public internal(set) var discontinuities: [Discontinuity] = []
    /// The saved states, flattened: state k of save i is `storage[i * stateCount + k]`.
    public internal(set) var storage: [Double] = []
    public internal(set) var stateCount: Int
    /// The piecewise-polynomial solution over the span reached (when requested).
    public internal(set) var dense: DenseOutput?
    public internal(set) var statistics = ODEStatistics()
    public internal(set) var status: ODEStatus = .success
    /// State events that fired, in order.
    public internal(set) var events: [EventRecord] = []
    /// The time and state where the solve ended (the end of the span on success).
    public internal(set) var finalTime: Double
    public internal(set) var finalState: [Double]
    /// The algorithm's name.
    public let algorithm: String
    /// Whether the algorithm is a stiff one (it fits the advice of ``statusDescription``).
    public internal(set) var algorithmIsStiff = false

    init(stateCount: Int, algorithm: String, start: Double, initialState: [Double], dense: Bool) {
        self.stateCount = stateCount
        self.algorithm = algorithm
        self.finalTime = start
        self.finalState = initialState
        self.dense = dense ? DenseOutput(stateCount: stateCount) : nil
    }

    /// The saved states, one array each.
    public var states: [[Double]] {
        (0..<times.count).map { state(at: $0) }
    }

    /// The i-th saved state.
    public func state(at i: Int) -> [Double] {
        Array(storage[(i * stateCount)..<((i + 1) * stateCount)])
    }

    /// The state at time t by dense output; at a jump (a dose time) the state after it (post-dose).
    /// nil outside the span reached or without dense output.
    public func callAsFunction(_ t: Double) -> [Double]? { self(t, side: .right) }

    /// The state at time t by dense output, on `side` of a jump at t: `.left` gives the state
    /// just before a dose at t (the trough), `.right` the state after it. Where the solution is
    /// continuous both sides are the same value. nil outside the span reached or without dense output.
    ///
    /// ```swift
    /// let trough = sol(24, side: .left)?[0]      // amount just before the 24 h dose
    /// let peak = sol(24)?[0]                     // … and just after it
    /// ```
    public func callAsFunction(_ t: Double, side: Side) -> [Double]? {
        guard let dense else { return nil }
        if let jump = discontinuity(at: t) { return side == .left ? jump.before : jump.after }
        return dense(t)
    }

    /// The jump at exactly time t, if any.
    public func discontinuity(at t: Double) -> Discontinuity? {
        var lo = 0, hi = discontinuities.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if discontinuities[mid].time < t { lo = mid + 1 } else { hi = mid }
        }
        // Several jumps at one time (time events, then a state event) act as one: left of the first, right of the last.
        guard lo < discontinuities.count, discontinuities[lo].time == t else { return nil }
        var last = lo
        while last + 1 < discontinuities.count && discontinuities[last + 1].time == t { last += 1 }
        if last == lo { return discontinuities[lo] }
        return Discontinuity(time: t, before: discontinuities[lo].before, after: discontinuities[last].after)
    }

    mutating func save(_ t: Double, _ y: UnsafePointer<Double>, leftLimit: Bool = false) {
        times.append(t)
        isLeftLimit.append(leftLimit)
        storage.append(contentsOf: UnsafeBufferPointer(start: y, count: stateCount))
    }

    mutating func save(_ t: Double, _ y: [Double], leftLimit: Bool = false) {
        y.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            save(t, base, leftLimit: leftLimit)
        }
    }
}
