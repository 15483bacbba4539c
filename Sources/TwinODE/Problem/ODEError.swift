/// A problem or option that cannot be solved as given, found before any work is done.
///
/// ```swift
/// do { _ = try ODEProblem(system: pk, initialState: [100], timeSpan: (0, -1), parameters: [5, 20]) }
/// catch let error as ODEError { print(error) }   // "time span: end -1.0 is not after start 0.0; …"
/// ```
public enum ODEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The end is not after the start, or either is NaN or infinite.
    case invalidTimeSpan(start: Double, end: Double)
    /// The initial state has the wrong length.
    case stateSizeMismatch(expected: Int, found: Int)
    /// The parameter vector has the wrong length.
    case parameterCountMismatch(expected: Int, found: Int)
    /// An initial state or parameter entry is NaN or infinite.
    case nonFiniteValue(what: String, index: Int, value: Double)
    /// A tolerance or step option is negative, zero where it must be positive, or NaN.
    case invalidOption(name: String, value: Double, requirement: String)
    /// Per-component absolute tolerances of the wrong length.
    case toleranceSizeMismatch(expected: Int, found: Int)
    /// Requested output times outside the time span or not increasing.
    case invalidSaveTimes(reason: String)
    /// An event that refers to a state or parameter the system does not have.
    case invalidEvent(reason: String)

    public var description: String {
        switch self {
        case let .invalidTimeSpan(start, end):
            return "time span: end \(end) is not after start \(start); give a finite span with end > start"
        case let .stateSizeMismatch(expected, found):
            return "initial state: the system has \(expected) states but \(found) values were given"
        case let .parameterCountMismatch(expected, found):
            return "parameters: the system reads \(expected) parameters but \(found) were given"
        case let .nonFiniteValue(what, index, value):
            return "\(what)[\(index)] is \(value); every initial state and parameter must be a finite number"
        case let .invalidOption(name, value, requirement):
            return "option \(name) = \(value): must be \(requirement)"
        case let .toleranceSizeMismatch(expected, found):
            return "absoluteTolerance: give one value or one per state (\(expected)), not \(found)"
        case let .invalidSaveTimes(reason):
            return "save times: \(reason)"
        case let .invalidEvent(reason):
            return "event: \(reason)"
        }
    }
}
