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

/// Identifies an algorithm to the executors (`ODEProblem.solve` and TwinEnsemble's lane engine);
/// opaque to users.
public struct AlgorithmDescriptor: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case dormandPrince5, tsitouras5, rodas4
        case bdf(maxOrder: Int)
    }
    package let kind: Kind

    package init(kind: Kind) { self.kind = kind }

    /// The step-size controller's settings of this method, read by both executors.
    package var stepControl: StepControlParameters {
        switch kind {
        case .dormandPrince5, .tsitouras5: .explicitPair
        case .rodas4: .rodas4
        case .bdf: .bdf
        }
    }

    /// The short lower-case name of the method: `tsit5`, `dp5`, `rodas4`, `bdf`.
    var identifier: String {
        switch kind {
        case .dormandPrince5: "dp5"
        case .tsitouras5: "tsit5"
        case .rodas4: "rodas4"
        case .bdf: "bdf"
        }
    }
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

extension ODEAlgorithm {
    /// The short lower-case name a command line or a file uses for the method: `tsit5`, `dp5`,
    /// `rodas4` or `bdf` (see ``ODEAlgorithms/named(_:)``).
    public var identifier: String { descriptor.identifier }
}

/// The methods of TwinODE as values: the one set of algorithms that `ODEProblem.solve` and the
/// ensemble engine (TwinEnsemble, which runs a subset and names it when it rejects one) accept.
///
/// ```swift
/// let method = ODEAlgorithms.named("rodas4")          // Rodas4(), as `any ODEAlgorithm`
/// ODEAlgorithms.all.map(\.identifier)               // ["tsit5", "dp5", "rodas4", "bdf"]
/// ```
public enum ODEAlgorithms {
    /// Every method, non-stiff first: Tsit5, DP5, Rodas4, BDF.
    public static let all: [any ODEAlgorithm] = [Tsitouras5(), DormandPrince5(), Rodas4(), BDF()]

    /// The method whose ``ODEAlgorithm/identifier`` is `identifier` (case-insensitive); nil when none is.
    public static func named(_ identifier: String) -> (any ODEAlgorithm)? {
        let key = identifier.lowercased()
        return all.first { $0.identifier == key }
    }
}
