import TwinData

/// Whether a model's own covariate relations — its default allometry,
/// ``PhysiologicalModel/individualize(_:covariates:)`` — turn a patient's covariates into
/// parameters.
///
/// Off by default: covariates then serve only per-kg doses, and parameters are exactly the
/// typical (or given) values, so that a population model with its own covariate relations
/// (CL = θ·(CrCL/120)^0.8·(WT/70)^0.75) does not have them applied twice. Ask for
/// ``modelDefault`` to apply the model's (allometric weight scaling for the PK models: clearances
/// × (WT/70)^0.75, volumes × WT/70), and report what was applied with
/// ``PhysiologicalModel/covariateReport(_:covariates:)``.
///
/// ```swift
/// let p = try TwoCompartmentPK().resolveParameters(covariates: ["WT": Covariate(value: 35, unit: .kilogram)],
///                                                  covariateRelations: .modelDefault)
/// // CL = 5 · (35/70)^0.75 L/h, V1 = 20 · 35/70 L …
/// ```
public enum CovariateRelations: String, Sendable, Hashable, CaseIterable {
    /// No covariate relations: the parameters are the typical or given values (the default).
    case none
    /// The model's built-in relations (``PhysiologicalModel/individualize(_:covariates:)``).
    case modelDefault
}

extension PhysiologicalModel {
    /// One line saying which covariate relations were applied to these covariates:
    /// "allometry of pk-2cmt applied: WT 35 kg; CL, Q × (WT/70)^0.75, V1, V2 × WT/70 (…)",
    /// "none applied (pk-2cmt's allometry not asked for)", or "none (the model has none)".
    public func covariateReport(_ relations: CovariateRelations, covariates: [String: Covariate]) -> String {
        guard let description = defaultCovariateRelations else { return "none applied (\(name) has no built-in covariate relations)" }
        switch relations {
        case .none:
            return "none applied (\(name)'s default covariate relations, \(description), not asked for)"
        case .modelDefault:
            let used = covariates.keys.sorted().map { key in
                let c = covariates[key]
                return "\(key) \(c.map { "\($0.value)" } ?? "?")\(c?.unit.map { " \($0.symbol)" } ?? "")"
            }
            return "\(name)'s default covariate relations applied (\(description)) to " + (used.isEmpty ? "no covariates (parameters unchanged)" : used.joined(separator: ", "))
        }
    }
}
