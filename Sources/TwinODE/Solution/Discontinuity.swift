/// The state on both sides of a time where the solution jumps: time events fired there (a bolus,
/// an infusion switched on or off) or a state event modified the state.
///
/// MedTwin's dose-time convention: wherever a solution is sampled at such a time — evaluating it
/// (``ODESolution/callAsFunction(_:)``), a ``SaveSchedule/times(_:)`` grid, a model simulation,
/// an ensemble grid — the value is the **right limit** ``after`` (post-dose), as closed forms
/// and NONMEM's tables give it. The left limit ``before`` (pre-dose, the trough) is kept here,
/// returned by ``ODESolution/callAsFunction(_:side:)`` with `.left`, and saved as an extra row
/// where ``ODEOptions/saveLeftLimits`` asks for it.
///
/// ```swift
/// // 100 mg IV bolus at 0 and 12 h into V = 50 L, k = 0.1 /h (state: amount, mg)
/// let jump = sol.discontinuities[1]           // time 12
/// jump.before[0] / 50                         // 2·e^(−1.2) = 0.602 mg/L, the trough
/// jump.after[0] / 50                          // 0.602 + 2  = 2.602 mg/L, the peak
/// ```
public struct Discontinuity: Sendable, Equatable {
    /// When, in the problem's time unit.
    public let time: Double
    /// The left limit: the state just before the events at ``time`` (pre-dose).
    public let before: [Double]
    /// The right limit: the state once every event at ``time`` has applied (post-dose).
    public let after: [Double]

    public init(time: Double, before: [Double], after: [Double]) {
        self.time = time
        self.before = before
        self.after = after
    }
}
