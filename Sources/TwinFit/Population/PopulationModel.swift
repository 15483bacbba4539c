import Foundation
import TwinModels

/// A population model, schema v1: which model, which of its parameters vary between subjects and
/// how (θ, random effects, Ω, covariate relations, derived parameters), and the residual error
/// of each output. Bayesian individualisation uses it as the prior (``fitSpecification(model:record:)``);
/// the population fits of TwinFit II write it.
///
/// Stored as JSON with `"kind": "medtwin.population-model"` and `"schemaVersion": 1`; see
/// `Examples/populations/` for two published models. Units: hours, mg, L, mg/L, covariates in
/// the units each relation names.
///
/// ```swift
/// let population = try PopulationModel.decode(Data(contentsOf: url))
/// let p = try population.typicalParameters(for: record)     // [ka, CL, V1, Q, V2, F, tlag]
/// let spec = try population.fitSpecification(model: TwoCompartmentPK(), record: record)
/// ```
public struct PopulationModel: Sendable, Hashable, Codable {
    /// The file's `kind`.
    public static let kind = "medtwin.population-model"
    /// The schema version this MedTwin writes and the newest it reads.
    public static let schemaVersion = 1

    /// The schema version of this value (1).
    public var schemaVersion: Int
    /// A short name (vancomycin-goti2018).
    public var name: String
    /// The TwinModels catalogue name (pk-2cmt, pk-1cmt …).
    public var model: String
    /// Free description: population, assumptions, deviations from the source.
    public var description: String
    /// The source (citation, table).
    public var reference: String
    /// The population parameters, in Ω's order among those with random effects.
    public var parameters: [PopulationParameter]
    /// Model parameters computed from population parameters (V = CL/ke).
    public var derived: [DerivedParameter]
    /// Covariate relations, applied as factors on θ in this order.
    public var covariates: [CovariateRelation]
    /// Ω as blocks over the parameters with random effects.
    public var omega: [OmegaBlock]
    /// One residual error model per model output.
    public var errorModels: [OutputErrorModel]

    public init(name: String, model: String, description: String = "", reference: String = "",
                parameters: [PopulationParameter], derived: [DerivedParameter] = [],
                covariates: [CovariateRelation] = [], omega: [OmegaBlock], errorModels: [OutputErrorModel]) {
        schemaVersion = Self.schemaVersion
        self.name = name
        self.model = model
        self.description = description
        self.reference = reference
        self.parameters = parameters
        self.derived = derived
        self.covariates = covariates
        self.omega = omega
        self.errorModels = errorModels
    }

    enum CodingKeys: String, CodingKey {
        case kind, schemaVersion, name, model, description, reference, parameters, derived, covariates, omega, errorModels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        model = try c.decode(String.self, forKey: .model)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        reference = try c.decodeIfPresent(String.self, forKey: .reference) ?? ""
        parameters = try c.decode([PopulationParameter].self, forKey: .parameters)
        derived = try c.decodeIfPresent([DerivedParameter].self, forKey: .derived) ?? []
        covariates = try c.decodeIfPresent([CovariateRelation].self, forKey: .covariates) ?? []
        omega = try c.decodeIfPresent([OmegaBlock].self, forKey: .omega) ?? []
        errorModels = try c.decode([OutputErrorModel].self, forKey: .errorModels)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.kind, forKey: .kind)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(name, forKey: .name)
        try c.encode(model, forKey: .model)
        try c.encode(description, forKey: .description)
        try c.encode(reference, forKey: .reference)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(derived, forKey: .derived)
        try c.encode(covariates, forKey: .covariates)
        try c.encode(omega, forKey: .omega)
        try c.encode(errorModels, forKey: .errorModels)
    }

    /// Reads a population model from JSON and validates it (``validate()``).
    ///
    /// - Throws: ``PopulationModelError/malformedJSON(location:reason:)`` (with line and column
    ///   where the parser gives them), ``PopulationModelError/wrongKind(_:)``,
    ///   ``PopulationModelError/newerSchema(found:supported:)`` before anything else is read,
    ///   ``PopulationModelError/invalidField(path:reason:)``, and the validation errors.
    public static func decode(_ data: Data) throws(PopulationModelError) -> PopulationModel {
        switch DocumentHeaderProblem.check(data, kind: Self.kind, supported: Self.schemaVersion) {
        case nil: break
        case .json(.syntax(let location, let reason))?: throw .malformedJSON(location: location, reason: reason)
        case .json(.field(let path, let reason))?: throw .invalidField(path: path, reason: reason)
        case .wrongKind(let kind)?: throw .wrongKind(kind)
        case .newerSchema(let found, let supported)?: throw .newerSchema(found: found, supported: supported)
        }
        switch JSONDecodingFailure.decode(PopulationModel.self, from: data) {
        case .success(let population):
            try population.validate()
            return population
        case .failure(.syntax(let location, let reason)): throw .malformedJSON(location: location, reason: reason)
        case .failure(.field(let path, let reason)): throw .invalidField(path: path, reason: reason)
        }
    }

    /// The JSON text (sorted keys, pretty printed).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
