/// Why ``TrustRegionMinimizer`` refused to run. A run that starts always returns an
/// ``OptimizationResult`` (its ``StopReason`` says how it ended); these errors are about the input.
public enum OptimizerError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// An option is out of its range (`name`, the value given, what is allowed).
    case invalidOption(name: String, value: String, requirement: String)
    /// A vector has the wrong length (`what`, expected and found counts).
    case dimensionMismatch(what: String, expected: Int, found: Int)
    /// The objective reports no parameters.
    case noParameters
    /// Start component `index` is NaN or infinite.
    case nonFiniteStart(index: Int, value: Double)
    /// The objective cannot be evaluated at the (box-projected) start point.
    case startNotEvaluable(start: [Double])
    /// A multi-start was given no start points.
    case noStartPoints
    /// Every start of a multi-start failed; the first failure is given.
    case allStartsFailed(count: Int, first: String)

    public var description: String {
        switch self {
        case let .invalidOption(name, value, requirement):
            return "trust-region option \(name) = \(value) is invalid: it must be \(requirement)"
        case let .dimensionMismatch(what, expected, found):
            return "\(what) has \(found) entries but the objective has \(expected) parameters"
        case .noParameters:
            return "the objective has no parameters to optimise (parameterCount must be at least 1)"
        case let .nonFiniteStart(index, value):
            return "start point component \(index) is \(value); every start component must be finite"
        case let .startNotEvaluable(start):
            return "the objective cannot be evaluated at the start point \(start) (it returned nil or a non-finite value); choose another start"
        case .noStartPoints:
            return "multi-start was given no start points; pass at least one"
        case let .allStartsFailed(count, first):
            return "all \(count) start points failed; the first: \(first)"
        }
    }
}
