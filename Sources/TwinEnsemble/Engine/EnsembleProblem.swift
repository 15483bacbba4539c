import TwinODE

/// What the engine keeps of each member besides its status and final state.
public enum EnsembleOutput: Sendable, Equatable {
    /// The state at the end of the span only (the cheapest; a 10-million-member run stays small).
    case finalState
    /// The state at these times as well (model time units, ascending, inside the span), from each
    /// step's dense output: no step is shortened to hit them. A time at which a member's time
    /// events fire (a dose) holds its state after them (post-dose), as a single solve's
    /// ``SaveSchedule/times(_:)`` does.
    case grid([Double])

    var times: [Double] {
        if case .grid(let times) = self { return times }
        return []
    }
}

/// One model, many patients: a system, a span, how many members, and how to prepare member *i*
/// (its initial state, parameters and own doses). Solving it (``solve(using:options:strategy:sink:progress:)``)
/// streams the members' results, in index order, to a sink.
///
/// ```swift
/// // 10,000 patients of a 2-compartment oral model, each with its own clearance and a dose at 12 h
/// let problem = EnsembleProblem(system: model, timeSpan: (0, 48), memberCount: 10_000) { i, member in
///     var p = typical
///     p[1] *= clearanceFactor[i]
///     member.replace(initialState: [100, 0, 0], parameters: p,
///                    timeEvents: [TimeEvent(time: 12, action: .addToState(state: 0, amount: 100))])
/// }
/// var sink = EnsembleCollector()
/// let report = try problem.solve(using: .tsit5, strategy: .threads(2), sink: &sink)
/// ```
public struct EnsembleProblem<System: ODESystem>: Sendable {
    public var system: System
    /// The span every member is solved over (model time units).
    public var timeSpan: (start: Double, end: Double)
    public var memberCount: Int
    public var output: EnsembleOutput
    /// Fills member `index`. A thrown error marks that member ``EnsembleMemberStatus/invalidInput(reason:)``;
    /// the others go on.
    public var prepare: @Sendable (_ index: Int, _ member: inout EnsembleMember) throws -> Void
    /// Population summaries to compute on the way (nil: none); the result is ``EnsembleReport/summary``.
    public var summary: EnsembleSummaryRequest?

    /// - Throws: ``EnsembleError/invalidRequest(reason:)`` for an empty or reversed span, a
    ///   negative member count, or grid times outside the span or not ascending.
    public init(system: System, timeSpan: (start: Double, end: Double), memberCount: Int, output: EnsembleOutput = .finalState,
                summary: EnsembleSummaryRequest? = nil,
                prepare: @escaping @Sendable (_ index: Int, _ member: inout EnsembleMember) throws -> Void) throws(EnsembleError) {
        guard timeSpan.start.isFinite, timeSpan.end.isFinite, timeSpan.end > timeSpan.start else {
            throw .invalidRequest(reason: "the time span must run forward between finite times, not \(timeSpan.start) to \(timeSpan.end)")
        }
        guard memberCount >= 0 else { throw .invalidRequest(reason: "the member count must be ≥ 0, not \(memberCount)") }
        let times = output.times
        for (k, t) in times.enumerated() {
            guard t.isFinite, t >= timeSpan.start, t <= timeSpan.end else {
                throw .invalidRequest(reason: "output time \(t) is outside the span \(timeSpan.start)…\(timeSpan.end)")
            }
            if k > 0 && !(t > times[k - 1]) { throw .invalidRequest(reason: "output times must be strictly ascending (\(times[k - 1]) then \(t))") }
        }
        self.system = system
        self.timeSpan = timeSpan
        self.memberCount = memberCount
        self.output = output
        self.prepare = prepare
        self.summary = summary
    }

    /// The times summaries are taken at: the grid, or the end of the span.
    var summaryTimes: [Double] {
        let grid = output.times
        return grid.isEmpty ? [timeSpan.end] : grid
    }
}

/// The solver the lanes run.
public enum EnsembleAlgorithm: String, Sendable, CaseIterable {
    /// Tsitouras 5(4) — the default for non-stiff models.
    case tsit5
    /// Dormand–Prince 5(4).
    case dp5
    /// Rodas4, a Rosenbrock method with the per-patient Jacobian and LU done inside the lanes — for stiff models.
    case rodas4

    public var isStiff: Bool { self == .rodas4 }
}

/// Tolerances, limits and the layout of the work.
///
/// ```swift
/// var options = EnsembleOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-9)
/// options.laneWidth = 4      // AVX2 machines; 8 fills an AVX-512 register
/// ```
public struct EnsembleOptions: Sendable, Equatable {
    public var relativeTolerance: Double
    /// One value for every state, or one per state.
    public var absoluteTolerances: [Double]
    /// Attempted steps per member before it is reported as ``ODEStatus/tooManySteps(time:steps:)``.
    public var maxSteps: Int
    /// The largest step (model time units); nil for the span.
    public var maxStep: Double?
    /// Patients advanced together in one SIMD vector: 2, 4 or 8. Results do not depend on it.
    public var laneWidth: Int
    /// Members per unit of work (and per ``EnsembleChunk`` handed to the sink); nil for N/64
    /// within 16…128. Summaries are merged chunk by chunk in index order, so results depend on the
    /// chunk size only through rounding of the summary sums, never on threads.
    public var chunkSize: Int?

    public init(relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-9, maxSteps: Int = 100_000,
                maxStep: Double? = nil, laneWidth: Int = 8, chunkSize: Int? = nil) {
        self.init(relativeTolerance: relativeTolerance, absoluteTolerances: [absoluteTolerance], maxSteps: maxSteps, maxStep: maxStep,
                  laneWidth: laneWidth, chunkSize: chunkSize)
    }

    /// Options with one absolute tolerance per state (state units; checked against the model's
    /// state count when the ensemble is solved, as ``ODEOptions`` are).
    public init(relativeTolerance: Double = 1e-6, absoluteTolerances: [Double], maxSteps: Int = 100_000,
                maxStep: Double? = nil, laneWidth: Int = 8, chunkSize: Int? = nil) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerances = absoluteTolerances
        self.maxSteps = maxSteps
        self.maxStep = maxStep
        self.laneWidth = laneWidth
        self.chunkSize = chunkSize
    }

    func validate(stateCount n: Int) throws(EnsembleError) {
        guard relativeTolerance > 0, relativeTolerance.isFinite else {
            throw .invalidRequest(reason: "the relative tolerance must be positive and finite, not \(relativeTolerance)")
        }
        guard absoluteTolerances.count == 1 || absoluteTolerances.count == n else {
            throw .invalidRequest(reason: "give one absolute tolerance or one per state (\(n)), not \(absoluteTolerances.count)")
        }
        for a in absoluteTolerances where !(a >= 0 && a.isFinite) {
            throw .invalidRequest(reason: "absolute tolerances must be ≥ 0 and finite, not \(a)")
        }
        guard [2, 4, 8].contains(laneWidth) else { throw .invalidRequest(reason: "the lane width must be 2, 4 or 8, not \(laneWidth)") }
        if let chunkSize, chunkSize < 1 { throw .invalidRequest(reason: "the chunk size must be ≥ 1, not \(chunkSize)") }
        guard maxSteps >= 1 else { throw .invalidRequest(reason: "maxSteps must be ≥ 1, not \(maxSteps)") }
        if let maxStep, !(maxStep > 0 && maxStep.isFinite) { throw .invalidRequest(reason: "maxStep must be positive, not \(maxStep)") }
    }
}

/// Where the work runs. A separate value from the problem: the same problem gives the same
/// bits under every strategy.
public enum EnsembleStrategy: Sendable, Equatable {
    /// On the calling thread.
    case serial
    /// On up to `maximum` threads (OpenBLAS is held at one thread meanwhile).
    case threads(Int)

    var workerCount: Int {
        switch self {
        case .serial: 1
        case .threads(let k): max(1, k)
        }
    }
}
