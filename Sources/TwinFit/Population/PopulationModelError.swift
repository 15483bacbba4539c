/// Why a population model file cannot be read or used, naming the field, parameter, covariate
/// or record at fault.
///
/// ```swift
/// do { _ = try PopulationModel.decode(data) } catch { print(error) }
/// // "this file is schema v2; this MedTwin reads v1 and older"
/// ```
public enum PopulationModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not JSON; `location` is "line L, column C" where the parser says so.
    case malformedJSON(location: String?, reason: String)
    /// The JSON is not a population model ("kind" differs).
    case wrongKind(String)
    /// The file is a newer schema than this reader knows.
    case newerSchema(found: Int, supported: Int)
    /// A field is missing or has the wrong type or value; `path` is the JSON path (parameters[2].typical).
    case invalidField(path: String, reason: String)
    /// The model name is not in MedTwin's catalogue.
    case unknownModel(name: String, known: [String])
    /// A parameter the model does not have, used where a model parameter is required.
    case unknownParameter(model: String, name: String, known: [String])
    /// An output the model does not have, or an output without a residual error model.
    case unknownOutput(model: String, name: String, known: [String])
    /// A model output without a residual error model.
    case missingErrorModel(model: String, output: String)
    /// Ω (or one block of it) is not symmetric positive definite.
    case omegaNotPositiveDefinite(parameters: [String])
    /// Ω's blocks do not match the parameters with random effects.
    case invalidOmega(String)
    /// A θ, σ, covariate coefficient or bound that is not admissible.
    case invalidValue(name: String, value: Double, reason: String)
    /// The record lacks a covariate a relation needs.
    case missingCovariate(record: String, covariate: String, parameter: String)
    /// A covariate value (or its unit) the relation cannot take.
    case invalidCovariate(record: String, covariate: String, value: Double, reason: String)
    /// The population model is for another model than the one given.
    case modelMismatch(population: String, given: String)
    /// The parameterisation cannot be expressed as a fit of the model's own parameters.
    case unsupportedParameterization(String)
    /// The fit specification built from the population model was refused.
    case invalidSpecification(FitError)

    public var description: String {
        switch self {
        case .malformedJSON(let location, let reason):
            return "population model: malformed JSON" + (location.map { " at \($0)" } ?? "") + ": \(reason)"
        case .wrongKind(let kind):
            return "not a population model file: kind is \"\(kind)\", expected \"\(PopulationModel.kind)\""
        case .newerSchema(let found, let supported):
            return "this file is schema v\(found); this MedTwin reads v\(supported) and older"
        case .invalidField(let path, let reason):
            return "population model: \(path): \(reason)"
        case .unknownModel(let name, let known):
            return "unknown model \"\(name)\"; known models: \(known.joined(separator: ", "))"
        case .unknownParameter(let model, let name, let known):
            return "model \(model) has no parameter \"\(name)\"; its parameters: \(known.joined(separator: ", "))"
        case .unknownOutput(let model, let name, let known):
            return "model \(model) has no output \"\(name)\"; its outputs: \(known.joined(separator: ", "))"
        case .missingErrorModel(let model, let output):
            return "no residual error model for output \(output) of model \(model)"
        case .omegaNotPositiveDefinite(let parameters):
            return "Ω is not positive definite on \(parameters.joined(separator: ", "))"
        case .invalidOmega(let reason):
            return "Ω: \(reason)"
        case .invalidValue(let name, let value, let reason):
            return "\(name) = \(value): \(reason)"
        case .missingCovariate(let record, let covariate, let parameter):
            return "record \(record): covariate \(covariate), needed by the relation on \(parameter), is missing"
        case .invalidCovariate(let record, let covariate, let value, let reason):
            return "record \(record): covariate \(covariate) = \(value): \(reason)"
        case .modelMismatch(let population, let given):
            return "the population model is for model \(population), not \(given)"
        case .unsupportedParameterization(let reason):
            return "unsupported parameterisation: \(reason)"
        case .invalidSpecification(let error):
            return "fit specification from the population model: \(error)"
        }
    }
}
