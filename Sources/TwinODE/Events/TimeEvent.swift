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
