/// One integration method advancing one trajectory: the driver (`ODEProblem.solve`) asks it for
/// accepted steps, never past a limit (the next time event or the end), and uses its
/// interpolant for output, dense output and event location.
protocol ODEStepper: AnyObject {
    /// Time of the last accepted point.
    var t: Double { get }
    /// Start of the last accepted step.
    var tPrevious: Double { get }
    /// The state at `t` (n values, owned by the stepper).
    var y: UnsafeMutablePointer<Double> { get }

    /// Takes one accepted step, ending exactly at `limit` when it would reach or pass it.
    /// Returns nil on success, or the status that ends the solve.
    func step(limit: Double) -> ODEStatus?

    /// The interpolant of the last accepted step at a time in [tPrevious, t].
    func interpolate(at time: Double, into out: UnsafeMutablePointer<Double>)

    /// Appends the last accepted step's interpolant to the dense output.
    func appendDenseSegment(to dense: inout DenseOutput)

    /// Ends the last step early at `time` (a state event): the state becomes the interpolant there.
    func truncate(at time: Double)

    /// Restarts after the state or the parameters changed at `t` (an event): history and cached
    /// derivatives are discarded.
    func restart() -> ODEStatus?
}

/// Identifies an algorithm to the driver; opaque to users.
public struct AlgorithmDescriptor: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case dormandPrince5, tsitouras5, rodas4
        case bdf(maxOrder: Int)
    }
    let kind: Kind
}

/// A method that solves an ``ODEProblem``: ``DormandPrince5``, ``Tsitouras5``, ``Rodas4``, ``BDF``.
///
/// ```swift
/// let sol = problem.solve(using: .tsit5)                    // non-stiff
/// let stiff = problem.solve(using: .rodas4, options: .init(relativeTolerance: 1e-8))
/// ```
public protocol ODEAlgorithm: Sendable {
    /// A short name, e.g. "Tsit5".
    var name: String { get }
    /// The order of the method that advances the solution.
    var order: Int { get }
    /// Whether the method is meant for stiff problems (implicit or linearly implicit).
    var isStiff: Bool { get }
    /// For the solver's use.
    var descriptor: AlgorithmDescriptor { get }
}
