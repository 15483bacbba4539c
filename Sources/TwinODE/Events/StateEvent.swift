/// Which sign changes of an event function count.
public enum CrossingDirection: Sendable, Equatable {
    /// From negative to positive.
    case rising
    /// From positive to negative.
    case falling
    /// Either way.
    case either
}

/// What happens when a state event fires.
public enum StateEventAction: Sendable {
    /// End the solve at the event time with ``ODEStatus/terminatedByEvent(time:event:)``.
    case stop
    /// Change the state (and carry on); the closure gets the time and the state to edit.
    case modify(@Sendable (_ time: Double, _ state: inout [Double]) -> Void)
    /// Record the crossing only.
    case record
}

/// An event located where a function of the state crosses zero — "glucose fell below
/// 70 mg/dL" is `condition: { _, y in y[0] - 70 }, direction: .falling`.
///
/// After every accepted step the solver checks the sign of `condition` at both ends; on a
/// crossing in `direction` it locates the time on the dense output by root finding (to about
/// 1e-12 relative in t), ends the step there, and applies `action`.
public struct StateEvent: Sendable {
    /// A short name for reports.
    public var name: String
    /// g(t, y); the event fires where g changes sign.
    public var condition: @Sendable (_ time: Double, _ state: ODEVector<Double>) -> Double
    public var direction: CrossingDirection
    public var action: StateEventAction

    public init(name: String, direction: CrossingDirection = .either, action: StateEventAction = .stop,
                condition: @escaping @Sendable (_ time: Double, _ state: ODEVector<Double>) -> Double) {
        self.name = name
        self.condition = condition
        self.direction = direction
        self.action = action
    }
}

/// A state event that fired: which, when and the state there.
public struct EventRecord: Sendable, Equatable {
    public let name: String
    public let time: Double
    public let state: [Double]
}
