@_spi(LaneEngine) import TwinODE

typealias LaneMask<V: ODELaneVector> = SIMDMask<V.MaskStorage>

/// The outcome of one trial step in every lane.
struct LaneAttempt<V: ODELaneVector> {
    /// The squared weighted RMS error estimate per lane (∞ where the step could not be computed).
    var error: V
    /// Lanes whose right-hand side failed recoverably (retry with a quarter of the step).
    var recoverable: LaneMask<V>
    /// Lanes whose right-hand side failed for good.
    var fatal: LaneMask<V>
    /// Lanes whose iteration matrix was singular (retry with half the step, a few times).
    var singular: LaneMask<V>
}

/// A one-step method advanced in lanes: each lane its own step size; the driver owns step-size
/// control, events, output and refilling.
protocol LaneStepper<V>: AnyObject {
    associatedtype V: ODELaneVector
    var lanes: LaneState<V> { get }
    /// The tolerances: rtol, and atol per state broadcast to every lane.
    var rtol: Double { get }
    var atol: UnsafeMutablePointer<V> { get }

    /// Makes whatever the method keeps about f(t, y) current in the lanes of `mask` (after a
    /// dose or a refill). Returns the lanes whose right-hand side failed there.
    func refresh(_ mask: LaneMask<V>) -> LaneMask<V>
    /// f(t, y) as the method last computed it (for the initial step of a fresh lane).
    var derivative: UnsafeMutablePointer<V> { get }
    /// Computes a trial step of size `lanes.trialStep` (0 in idle lanes) from (t, y). (The step
    /// is read from memory: a SIMD8 argument would be split into four 128-bit registers.)
    func attempt() -> LaneAttempt<V>
    /// Makes the trial step the current point in the lanes of `mask` (the driver sets t).
    func accept(_ mask: LaneMask<V>)
    /// The state at t + θ·h within the step just computed, for one lane (before ``accept(_:)``).
    func interpolate(lane: Int, theta: Double, h: Double, into out: UnsafeMutablePointer<Double>)
}
