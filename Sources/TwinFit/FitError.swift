import TwinModels

/// Why a fit could not be set up or could not run, naming the subject, the record or the
/// parameter at fault. One subject's error never stops the fits of the others.
///
/// ```swift
/// do { _ = try fitter.fit(record) } catch { print(error) }   // e.g. "subject 7: no usable observations …"
/// ```
public enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The residual error model's standard deviations are not usable.
    case invalidErrorModel(String)
    /// A parameter name the model does not have (in `estimate` or `fix`).
    case unknownParameter(model: String, name: String, known: [String])
    /// A parameter is both estimated and fixed, or listed twice.
    case conflictingParameter(name: String, reason: String)
    /// A start or fixed value outside what the parameter or its transform admits.
    case invalidValue(name: String, value: Double, reason: String)
    /// The subject has no observation the fit can use.
    case noObservations(subject: String, reason: String)
    /// An observation the model or the error model cannot take (named by time and quantity).
    case unusableObservation(subject: String, time: Double, quantity: String, reason: String)
    /// The model cannot be set up for this subject (a dose it cannot take, a bad parameter).
    case model(subject: String, error: ModelError)
    /// The prediction cannot be evaluated at the start point.
    case notEvaluable(subject: String, reason: String)
    /// The population prior does not match the estimated parameters.
    case invalidPrior(String)
    /// The minimiser refused its options or start.
    case optimizer(String)

    public var description: String {
        switch self {
        case let .invalidErrorModel(reason): return reason
        case let .unknownParameter(model, name, known):
            return "model \(model) has no parameter '\(name)'; its parameters are \(known.joined(separator: ", "))"
        case let .conflictingParameter(name, reason): return "parameter \(name): \(reason)"
        case let .invalidValue(name, value, reason): return "parameter \(name) = \(value): \(reason)"
        case let .noObservations(subject, reason): return "subject \(subject): no usable observations (\(reason))"
        case let .unusableObservation(subject, time, quantity, reason):
            return "subject \(subject), observation \(quantity) at \(time) h: \(reason)"
        case let .model(subject, error): return "subject \(subject): \(error)"
        case let .notEvaluable(subject, reason): return "subject \(subject): the model cannot be evaluated at the start values (\(reason))"
        case let .invalidPrior(reason): return "population prior: \(reason)"
        case let .optimizer(reason): return "optimiser: \(reason)"
        }
    }
}
