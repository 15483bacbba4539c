/// What a time event does when the integration reaches its time.
public enum TimeEventAction: Sendable, Equatable {
    /// Adds `amount` to state `state` — a bolus dose (e.g. 100 mg into the gut compartment).
    case addToState(state: Int, amount: Double)
    /// Sets state `state` to `value`.
    case setState(state: Int, value: Double)
    /// Sets parameter `parameter` to `value` — e.g. switch an infusion rate (mg/h) on or off.
    case setParameter(parameter: Int, value: Double)
    /// Adds `amount` to parameter `parameter`, so that overlapping infusions add up.
    case addToParameter(parameter: Int, amount: Double)
}

/// A discontinuity at a known time: the solver lands exactly on `time`, applies `action`, and
/// restarts cleanly, so no step straddles a dose.
///
/// ```swift
/// let doses = stride(from: 0.0, to: 48, by: 12).map { TimeEvent(time: $0, action: .addToState(state: 0, amount: 100)) }
/// let infusion = [TimeEvent(time: 2, action: .setParameter(parameter: 2, value: 50)),     // 50 mg/h on at 2 h
///                 TimeEvent(time: 3, action: .setParameter(parameter: 2, value: 0))]      // off at 3 h
/// ```
public struct TimeEvent: Sendable, Equatable {
    /// When, in the problem's time unit.
    public var time: Double
    public var action: TimeEventAction

    public init(time: Double, action: TimeEventAction) {
        self.time = time
        self.action = action
    }
}

// The one meaning of a time event, for both executors: `ODEProblem.solve` applies it to its
// state and parameter arrays, TwinEnsemble's lane driver to one lane of its vectors.
extension TimeEventAction {
    /// What an action changes: a state or a parameter, by index.
    package enum Target: Sendable, Equatable {
        case state(Int)
        case parameter(Int)
    }

    /// The state or parameter this action changes.
    package var target: Target {
        switch self {
        case let .addToState(i, _), let .setState(i, _): .state(i)
        case let .setParameter(j, _), let .addToParameter(j, _): .parameter(j)
        }
    }

    /// The value after the event of a state or parameter that held `old` before it: old + amount
    /// for the adding actions, the value for the setting ones.
    @inline(__always)
    package func applied(to old: Double) -> Double {
        switch self {
        case let .addToState(_, amount), let .addToParameter(_, amount): old + amount
        case let .setState(_, value), let .setParameter(_, value): value
        }
    }
}

extension TimeEvent {
    /// Why this event cannot act on a system of `stateCount` states and `parameterCount`
    /// parameters (a non-finite time or amount, a missing state or parameter); nil when it can.
    /// The one check of ``ODEProblem``'s events and of an ensemble member's.
    package func invalidity(stateCount: Int, parameterCount: Int) -> String? {
        guard time.isFinite else { return "time \(time) is not finite" }
        switch action {
        case let .addToState(i, v), let .setState(i, v):
            guard i >= 0 && i < stateCount else { return "state \(i) does not exist (the system has \(stateCount))" }
            guard v.isFinite else { return "amount \(v) at time \(time) is not finite" }
        case let .setParameter(j, v), let .addToParameter(j, v):
            guard j >= 0 && j < parameterCount else { return "parameter \(j) does not exist (the system has \(parameterCount))" }
            guard v.isFinite else { return "value \(v) at time \(time) is not finite" }
        }
        return nil
    }
}
