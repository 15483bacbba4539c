/// An initial-value problem: the system, where it starts, over what span, with which parameters
/// and which events. A value; solving it does not change it.
///
/// ```swift
/// let problem = try ODEProblem(system: OneCompartment(), initialState: [100],      // mg
///                              timeSpan: (0, 24), parameters: [5, 20],            // h; CL L/h, V L
///                              timeEvents: [TimeEvent(time: 12, action: .addToState(state: 0, amount: 100))])
/// let solution = problem.solve(using: .tsit5)
/// ```
public struct ODEProblem<System: ODESystem>: Sendable {
    public var system: System
    public var initialState: [Double]
    public var timeSpan: (start: Double, end: Double)
    public var parameters: [Double]
    /// Sorted by time; events at the start time apply before the first step, events after the end are ignored.
    public var timeEvents: [TimeEvent]
    public var stateEvents: [StateEvent]

    /// - Throws: ``ODEError`` for a reversed or non-finite span, a wrong-sized state or parameter
    ///   vector, a NaN or infinite entry, or an event that names a missing state or parameter.
    public init(system: System, initialState: [Double], timeSpan: (start: Double, end: Double), parameters: [Double] = [],
                timeEvents: [TimeEvent] = [], stateEvents: [StateEvent] = []) throws {
        guard timeSpan.start.isFinite, timeSpan.end.isFinite, timeSpan.end > timeSpan.start else {
            throw ODEError.invalidTimeSpan(start: timeSpan.start, end: timeSpan.end)
        }
        guard initialState.count == system.stateCount else {
            throw ODEError.stateSizeMismatch(expected: system.stateCount, found: initialState.count)
        }
        guard parameters.count == system.parameterCount else {
            throw ODEError.parameterCountMismatch(expected: system.parameterCount, found: parameters.count)
        }
        for (i, v) in initialState.enumerated() where !v.isFinite { throw ODEError.nonFiniteValue(what: "initialState", index: i, value: v) }
        for (i, v) in parameters.enumerated() where !v.isFinite { throw ODEError.nonFiniteValue(what: "parameters", index: i, value: v) }
        for event in timeEvents {
            if let reason = event.invalidity(stateCount: system.stateCount, parameterCount: system.parameterCount) {
                throw ODEError.invalidEvent(reason: reason)
            }
        }
        self.system = system
        self.initialState = initialState
        self.timeSpan = timeSpan
        self.parameters = parameters
        // Stable sort: events at the same time apply in the order given.
        self.timeEvents = timeEvents.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        self.stateEvents = stateEvents
    }

    /// The number of states.
    public var stateCount: Int { system.stateCount }
}
