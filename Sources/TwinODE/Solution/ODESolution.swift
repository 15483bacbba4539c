/// The result of a solve: saved times and states, dense output, statistics and how it ended.
///
/// ```swift
/// let sol = problem.solve(using: .tsit5)
/// guard sol.status.isSuccess else { print(sol.status) ; return }
/// let final = sol.finalState                 // [Double], state units
/// let atSix = sol(6.0)                       // dense output at t = 6
/// for (t, y) in zip(sol.times, sol.states) { … }
/// ```
public struct ODESolution: Sendable {
    /// The saved times, increasing.
    public internal(set) var times: [Double] = []
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

    /// The state at time t by dense output; nil outside the span reached or without dense output.
    public func callAsFunction(_ t: Double) -> [Double]? { dense?(t) }

    mutating func save(_ t: Double, _ y: UnsafePointer<Double>) {
        times.append(t)
        storage.append(contentsOf: UnsafeBufferPointer(start: y, count: stateCount))
    }
}
