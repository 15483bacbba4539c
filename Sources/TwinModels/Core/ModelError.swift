import TwinData
import TwinODE

/// Input that no model can be built or simulated from, found before any computation: an unknown
/// name, a parameter outside its physiological range, a dose the model has no way in for.
///
/// Every message names the value and says what to do instead, in the library's terms: it names
/// no command-line flag (the CLI adds its own hints).
///
/// ```swift
/// do { _ = try ModelCatalog.model(named: "one-cpt") }
/// catch { print(error) }   // "unknown model 'one-cpt'; known models: pk-1cmt, pk-2cmt, …"
/// ```
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No model of this name is in the catalogue.
    case unknownModel(name: String, known: [String])
    /// The model has no parameter of this name.
    case unknownParameter(model: String, name: String, known: [String])
    /// A parameter value outside the model's physiological bounds, or not finite.
    case parameterOutOfBounds(model: String, name: String, value: Double, lower: Double, upper: Double, unit: String)
    /// A parameter vector of the wrong length.
    case parameterCountMismatch(model: String, expected: Int, found: Int)
    /// An initial state of the wrong length.
    case stateCountMismatch(model: String, expected: Int, found: Int)
    /// The model has no subject (named parameter set) of this name.
    case unknownSubject(model: String, name: String, known: [String])
    /// A dose the model cannot take: wrong unit, route or compartment.
    case unsupportedDose(model: String, dose: String, reason: String)
    /// An observation whose output the model does not have, or whose output the record does
    /// not name (``PhysiologicalModel/outputIndex(for:)``); `observation` says which (time,
    /// quantity, CMT, DVID).
    case unmappedObservation(model: String, observation: String, reason: String)
    /// A simulation request that cannot be run (non-positive span, negative dose time …).
    case invalidRequest(model: String, reason: String)
    /// The steady state of a repeated regimen could not be found.
    case steadyStateNotFound(model: String, reason: String)
    /// The solver rejected the problem built from the model (an ``ODEError``).
    case problem(model: String, error: ODEError)

    public var description: String {
        switch self {
        case let .unknownModel(name, known):
            return "unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
        case let .unknownParameter(model, name, known):
            return "\(model): no parameter named '\(name)'; its parameters are \(known.joined(separator: ", "))"
        case let .parameterOutOfBounds(model, name, value, lower, upper, unit):
            let u = unit.isEmpty ? "" : " \(unit)"
            return "\(model): parameter \(name) = \(value)\(u) is outside its physiological range [\(lower), \(upper)]\(u); give a value in that range"
        case let .parameterCountMismatch(model, expected, found):
            return "\(model): expected \(expected) parameter values, found \(found); give one per parameter, in the order of the model's parameter list"
        case let .stateCountMismatch(model, expected, found):
            return "\(model): the model has \(expected) states but the initial state has \(found) values"
        case let .unknownSubject(model, name, known):
            return "\(model): no subject named '\(name)'; known subjects: \(known.joined(separator: ", "))"
        case let .unsupportedDose(model, dose, reason):
            return "\(model): cannot give \(dose): \(reason)"
        case let .unmappedObservation(model, observation, reason):
            return "\(model): observation \(observation) measures no output of the model: \(reason)"
        case let .invalidRequest(model, reason):
            return "\(model): \(reason)"
        case let .steadyStateNotFound(model, reason):
            return "\(model): steady state not found: \(reason); the model may have no periodic steady state for this regimen (is every state eliminated?)"
        case let .problem(model, error):
            return "\(model): \(error)"
        }
    }
}
