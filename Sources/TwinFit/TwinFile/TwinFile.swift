import Foundation
import TwinData

/// A digital twin of one patient, schema v1: the model, the population model it was
/// individualised with (if any), the patient's record, the individual estimates, the posterior,
/// the objective, provenance, an optional filter state for sequential assimilation, and a
/// SHA-256 content hash.
///
/// Written as JSON with `"kind": "medtwin.twin"` and `"schemaVersion": 1`. The hash covers the
/// canonical form (``JSONValue/canonicalText``) of everything but the hash itself, so any
/// change to a value after writing is detected on reading. Readers accept v1 and older and
/// refuse newer schemas.
///
/// ```swift
/// var twin = TwinFile(model: "pk-2cmt", population: goti, record: patient, estimates: fit,
///                     posterior: nil, objective: fit.objective,
///                     provenance: TwinProvenance(medtwinVersion: "0.9.0", createdAt: now, commandLine: args))
/// let data = try twin.encode()
/// let back = try TwinFile.decode(data)
/// ```
public struct TwinFile: Sendable, Hashable, Codable {
    /// The file's `kind`.
    public static let kind = "medtwin.twin"
    /// The schema version this MedTwin writes and the newest it reads.
    public static let schemaVersion = 1

    /// The schema version of this value.
    public var schemaVersion: Int
    /// The TwinModels catalogue name.
    public var model: String
    /// The population model used as the prior, or nil.
    public var population: PopulationModel?
    /// The patient's record.
    public var record: PatientRecord
    /// The individual fit, or nil before one.
    public var estimates: IndividualFit?
    /// The posterior, or nil.
    public var posterior: TwinPosterior?
    /// The minimised objective (−2 log-likelihood, plus the prior term for MAP), or nil.
    public var objective: Double?
    /// Where the file came from.
    public var provenance: TwinProvenance
    /// Opaque state of a sequential filter (later issues), or nil.
    public var filterState: JSONValue?
    /// SHA-256 (hex) of the canonical content; set by ``encode()``, checked by ``decode(_:)``.
    public var contentHash: String

    public init(model: String, population: PopulationModel? = nil, record: PatientRecord, estimates: IndividualFit? = nil,
                posterior: TwinPosterior? = nil, objective: Double? = nil, provenance: TwinProvenance, filterState: JSONValue? = nil) {
        schemaVersion = Self.schemaVersion
        self.model = model
        self.population = population
        self.record = record
        self.estimates = estimates
        self.posterior = posterior
        self.objective = objective
        self.provenance = provenance
        self.filterState = filterState
        contentHash = ""
    }

    enum CodingKeys: String, CodingKey {
        case kind, schemaVersion, model, population, record, estimates, posterior, objective, provenance, filterState, contentHash
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        model = try c.decode(String.self, forKey: .model)
        population = try c.decodeIfPresent(PopulationModel.self, forKey: .population)
        record = try c.decode(PatientRecord.self, forKey: .record)
        estimates = try c.decodeIfPresent(IndividualFit.self, forKey: .estimates)
        posterior = try c.decodeIfPresent(TwinPosterior.self, forKey: .posterior)
        objective = try c.decodeIfPresent(Double.self, forKey: .objective)
        provenance = try c.decode(TwinProvenance.self, forKey: .provenance)
        filterState = try c.decodeIfPresent(JSONValue.self, forKey: .filterState)
        contentHash = try c.decode(String.self, forKey: .contentHash)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.kind, forKey: .kind)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(model, forKey: .model)
        try c.encodeIfPresent(population, forKey: .population)
        try c.encode(record, forKey: .record)
        try c.encodeIfPresent(estimates, forKey: .estimates)
        try c.encodeIfPresent(posterior, forKey: .posterior)
        try c.encodeIfPresent(objective, forKey: .objective)
        try c.encode(provenance, forKey: .provenance)
        try c.encodeIfPresent(filterState, forKey: .filterState)
        try c.encode(contentHash, forKey: .contentHash)
    }
}
