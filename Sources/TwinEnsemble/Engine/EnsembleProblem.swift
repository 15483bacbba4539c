@_spi(LaneEngine) import TwinODE

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

/// The methods the lane engine runs: TwinODE's ``Tsitouras5``, ``DormandPrince5`` and
/// ``Rodas4`` — the same values `ODEProblem.solve` takes (`.tsit5`, `.dp5`, `.rodas4`). An
/// ensemble solve given another method (``BDF``: its variable order and Newton iteration have
/// no lane form) throws ``EnsembleError/unsupportedAlgorithm(name:supported:)``.
public enum EnsembleAlgorithms {
    /// The methods an ensemble can run.
    public static let supported: [any ODEAlgorithm] = [Tsitouras5(), DormandPrince5(), Rodas4()]

    /// Throws ``EnsembleError/unsupportedAlgorithm(name:supported:)`` unless the lanes can run `algorithm`.
    public static func check(_ algorithm: some ODEAlgorithm) throws(EnsembleError) {
        _ = try LaneMethod(algorithm)
    }
}

/// The lane stepper that runs a TwinODE method.
enum LaneMethod: Sendable {
    case explicit(LaneRungeKuttaPair)
    case rodas4

    init(_ algorithm: some ODEAlgorithm) throws(EnsembleError) {
        switch algorithm.descriptor.kind {
        case .tsitouras5: self = .explicit(.tsitouras5)
        case .dormandPrince5: self = .explicit(.dormandPrince5)
        case .rodas4: self = .rodas4
        case .bdf:
            throw .unsupportedAlgorithm(name: algorithm.name, supported: EnsembleAlgorithms.supported.map(\.identifier))
        }
    }
}

/// The ensemble's options: TwinODE's ``ODEOptions`` — tolerances, step limits, save schedule —
/// checked by the same routine as a single solve's, and the layout of the work beside them.
///
/// ```swift
/// var options = EnsembleOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-9)
/// options.laneWidth = 4      // AVX2 machines; 8 fills an AVX-512 register
/// options.solver.maxStep = 0.5
/// ```
///
/// Of the ``ODEOptions`` the lanes honour the tolerances (one or one per state), `maxSteps`
/// (attempted steps per member) and `maxStep`. The members' output is the problem's
/// ``EnsembleOutput`` (final state, or a grid), so `save` must be ``SaveSchedule/finalOnly`` and
/// `denseOutput` false, and the lanes always start from Hairer's estimate with adaptive steps:
/// `initialStep`, `fixedStep` and `saveLeftLimits` must be left unset. An option they cannot
/// honour throws ``EnsembleError/unsupportedOption(name:reason:)`` rather than being ignored.
public struct EnsembleOptions: Sendable, Equatable {
    /// Tolerances and step limits, as for a single solve (save: ``SaveSchedule/finalOnly``, no dense output).
    public var solver: ODEOptions
    /// Patients advanced together in one SIMD vector: 2, 4 or 8. Results do not depend on it.
    public var laneWidth: Int
    /// Members per unit of work (and per ``EnsembleChunk`` handed to the sink); nil for N/64
    /// within 16…128. Summaries are merged chunk by chunk in index order, so results depend on the
    /// chunk size only through rounding of the summary sums, never on threads.
    public var chunkSize: Int?

    /// The options of a single solve, with the lane layout. Set `solver.save` to ``SaveSchedule/finalOnly``
    /// and `solver.denseOutput` to false (the ensemble's output is the problem's ``EnsembleOutput``).
    public init(solver: ODEOptions, laneWidth: Int = 8, chunkSize: Int? = nil) {
        self.solver = solver
        self.laneWidth = laneWidth
        self.chunkSize = chunkSize
    }

    /// - Parameters: relativeTolerance: rtol (default 1e-6); absoluteTolerance: atol for every
    ///   state (state units, default 1e-9); maxSteps: attempted steps per member before
    ///   ``ODEStatus/tooManySteps(time:steps:)``; maxStep: the largest step (model time units), nil for the span.
    public init(relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-9, maxSteps: Int = 100_000,
                maxStep: Double? = nil, laneWidth: Int = 8, chunkSize: Int? = nil) {
        self.init(relativeTolerance: relativeTolerance, absoluteTolerances: [absoluteTolerance], maxSteps: maxSteps, maxStep: maxStep,
                  laneWidth: laneWidth, chunkSize: chunkSize)
    }

    /// Options with one absolute tolerance per state (state units; checked against the model's
    /// state count when the ensemble is solved, as ``ODEOptions`` are).
    public init(relativeTolerance: Double = 1e-6, absoluteTolerances: [Double], maxSteps: Int = 100_000,
                maxStep: Double? = nil, laneWidth: Int = 8, chunkSize: Int? = nil) {
        self.init(solver: ODEOptions(relativeTolerance: relativeTolerance, absoluteTolerances: absoluteTolerances, save: .finalOnly,
                                     denseOutput: false, maxSteps: maxSteps, maxStep: maxStep),
                  laneWidth: laneWidth, chunkSize: chunkSize)
    }

    /// ``ODEOptions``' own check (the same as a single solve's), then what only the lanes require.
    func validate(stateCount n: Int, span: (start: Double, end: Double)) throws(EnsembleError) {
        do {
            try solver.validate(stateCount: n, span: span)
        } catch let error as ODEError {
            throw .invalidOptions(error)
        } catch {
            throw .invalidRequest(reason: "\(error)")
        }
        switch solver.save {
        case .finalOnly: break
        case .everyStep, .times:
            throw .unsupportedOption(name: "save", reason: "the ensemble keeps each member's final state and the problem's output grid; "
                                     + "set save to .finalOnly and give output times as the problem's output: .grid(times)")
        }
        if solver.denseOutput {
            throw .unsupportedOption(name: "denseOutput", reason: "the ensemble keeps no dense output; set it to false")
        }
        if solver.saveLeftLimits {
            throw .unsupportedOption(name: "saveLeftLimits", reason: "the ensemble's grid holds post-dose states only; set it to false")
        }
        if solver.initialStep != nil {
            throw .unsupportedOption(name: "initialStep", reason: "every lane starts from Hairer's estimate; leave it nil")
        }
        if solver.fixedStep != nil {
            throw .unsupportedOption(name: "fixedStep", reason: "the lanes always control the error; leave it nil")
        }
        guard [2, 4, 8].contains(laneWidth) else { throw .invalidRequest(reason: "the lane width must be 2, 4 or 8, not \(laneWidth)") }
        if let chunkSize, chunkSize < 1 { throw .invalidRequest(reason: "the chunk size must be ≥ 1, not \(chunkSize)") }
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
