import RealModule
import TwinData

/// Dose entry and covariate rules shared by the compartmental PK models, whose state vector is
/// [depot, central, peripheral …] (amounts, mg) and whose inputs are [depot rate, central rate]
/// (mg/h) — NONMEM's ADVAN numbering: CMT 1 is the depot, CMT 2 the central compartment.
enum PKDosing {
    /// The dose compartment comes from the model's ``PhysiologicalModel/recordMapping``
    /// (``RecordMapping/advan2(outputs:)``, via ``PhysiologicalModel/doseCompartment(for:)``):
    /// CMT 2, or an IV dose without a CMT, goes to the central compartment; CMT 1, or an oral,
    /// sc, im or unspecified route without a CMT, to the depot, where absorption applies the lag
    /// time and the bioavailability; an IV dose into CMT 1 is refused. A dose that states its
    /// own bioavailability F_dose scales its amount by F_dose / F, so that the model's F in the
    /// right-hand side gives F_dose overall.
    static func entry<M: PhysiologicalModel>(_ model: M, dose: Dose, parameters: [Double], bioavailability f: Int, lag: Int) throws(ModelError) -> DoseEntry {
        try model.requireMass(dose)
        let compartment = try model.doseCompartment(for: dose)
        if compartment.state != 0 { return DoseEntry(state: compartment.state, input: compartment.input) }
        let modelF = parameters[f]
        let scale = dose.bioavailability.map { $0 / modelF } ?? 1
        // The record's lag is in hours; the model's lag parameter in model time.
        let lagHours = dose.lag ?? model.timeUnit.toHours(parameters[lag])
        guard scale.isFinite, scale >= 0, lagHours >= 0 else {
            throw .unsupportedDose(model: model.name, dose: model.describe(dose), reason: "its bioavailability must be in [0, 1] and its lag ≥ 0")
        }
        return DoseEntry(state: 0, input: 0, scale: scale, lagHours: lagHours)
    }

    /// Allometric scaling to body weight (Holford 1996; Anderson and Holford 2008): clearances
    /// × (WT/70)^0.75, volumes × WT/70. Parameters not listed are unchanged.
    static func allometric(_ p: [Double], covariates: [String: Covariate], clearances: [Int], volumes: [Int]) -> [Double] {
        guard let weight = covariates[CovariateName.weight]?.value, weight > 0, weight.isFinite else { return p }
        var q = p
        let ratio = weight / 70
        let clearanceFactor = Double.pow(ratio, 0.75)
        for i in clearances { q[i] *= clearanceFactor }
        for i in volumes { q[i] *= ratio }
        return q
    }

    /// The words for ``PhysiologicalModel/defaultCovariateRelations``.
    static func allometryDescription(clearances: [String], volumes: [String]) -> String {
        "\(clearances.joined(separator: ", ")) × (WT/70)^0.75, \(volumes.joined(separator: ", ")) × WT/70 (allometry; Holford 1996, Anderson & Holford 2008)"
    }

    static let allometryReference = """
        Allometric weight scaling: Holford NHG (1996) A size standard for pharmacokinetics. Clin Pharmacokinet 30:329–332; \
        Anderson BJ, Holford NHG (2008) Mechanism-based concepts of size and maturity in pharmacokinetics. Annu Rev Pharmacol Toxicol 48:303–332.
        """
}
