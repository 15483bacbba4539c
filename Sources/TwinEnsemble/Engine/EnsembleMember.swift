import TwinODE

/// One virtual patient as the ensemble engine solves it: where it starts, its parameters and
/// its own dosing events. The engine hands the same value back for every member a worker
/// prepares, so filling it (``replace(initialState:parameters:timeEvents:)``, or assigning
/// element by element) reuses its storage.
///
/// ```swift
/// // member i: 100 mg oral into the gut at 0 h, a second dose at 12 h for odd members
/// member.replace(initialState: [100, 0, 0], parameters: row, timeEvents: i % 2 == 1 ? [dose12h] : [])
/// ```
public struct EnsembleMember: Sendable {
    /// The member's index in the ensemble, 0-based.
    public internal(set) var index: Int
    /// The state at the start of the span (model units: mg, mg/dL …).
    public var initialState: [Double]
    /// The full parameter vector the right-hand side reads.
    public var parameters: [Double]
    /// Doses and switches at known times (any order; the engine sorts them, stably).
    public var timeEvents: [TimeEvent]

    public init(index: Int = 0, initialState: [Double] = [], parameters: [Double] = [], timeEvents: [TimeEvent] = []) {
        self.index = index
        self.initialState = initialState
        self.parameters = parameters
        self.timeEvents = timeEvents
    }

    /// Replaces the contents, keeping the arrays' storage.
    public mutating func replace(initialState y0: [Double], parameters p: [Double], timeEvents events: [TimeEvent]) {
        initialState.removeAll(keepingCapacity: true)
        initialState.append(contentsOf: y0)
        parameters.removeAll(keepingCapacity: true)
        parameters.append(contentsOf: p)
        timeEvents.removeAll(keepingCapacity: true)
        timeEvents.append(contentsOf: events)
    }
}

/// How one member's solve ended. A failed member is reported; the others are unaffected.
public enum EnsembleMemberStatus: Sendable, Equatable, CustomStringConvertible {
    /// Reached the end of the span.
    case solved
    /// The member could not be set up: NaN or out-of-range parameters, a wrong-sized vector, an
    /// invalid dose. Nothing was solved.
    case invalidInput(reason: String)
    /// The solver stopped (step size underflow, too many steps, a non-finite state, a failing
    /// right-hand side, a singular iteration matrix), at the time the status names.
    case solverFailed(ODEStatus)

    public var isSolved: Bool { self == .solved }

    public var description: String {
        switch self {
        case .solved: "solved"
        case .invalidInput(let reason): "invalid input: \(reason)"
        case .solverFailed(let status): "solver failed: \(status)"
        }
    }

    /// The description with advice that fits the solver that ran (`algorithm.isStiff`): an
    /// explicit method is told to try a stiff one, a stiff one to check the model and Jacobian.
    public func description(stiffSolver: Bool) -> String {
        if case .solverFailed(let status) = self { return "solver failed: \(status.description(stiffSolver: stiffSolver))" }
        return description
    }
}
