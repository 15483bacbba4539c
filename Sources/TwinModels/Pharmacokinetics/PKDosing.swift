import RealModule
import TwinData

/// Dose entry and covariate rules shared by the compartmental PK models, whose state vector is
/// [depot, central, peripheral …] (amounts, mg) and whose inputs are [depot rate, central rate]
/// (mg/h) — NONMEM's ADVAN numbering: CMT 1 is the depot, CMT 2 the central compartment.
enum PKDosing {
    /// IV (or CMT 2) doses go to the central compartment; every other route (oral, sc, im,
    /// unspecified, or CMT 1) to the depot, where absorption applies the lag time and the
    /// bioavailability. A dose that states its own bioavailability F_dose scales its amount by
    /// F_dose / F, so that the model's F in the right-hand side gives F_dose overall.
    static func entry<M: PhysiologicalModel>(_ model: M, dose: Dose, parameters: [Double], bioavailability f: Int, lag: Int) throws(ModelError) -> DoseEntry {
        try model.requireMass(dose)
        let central: Bool
        switch dose.compartment {
        case nil: central = dose.route == .intravenous
        case 1?: central = false
        case 2?: central = true
        case let c?:
            throw .unsupportedDose(model: model.name, dose: model.describe(dose),
                                   reason: "compartment \(c) takes no doses; use CMT 1 (depot, absorbed) or CMT 2 (central, IV)")
        }
        if central { return DoseEntry(state: 1, input: 1) }
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

    static let allometryReference = """
        Allometric weight scaling: Holford NHG (1996) A size standard for pharmacokinetics. Clin Pharmacokinet 30:329–332; \
        Anderson BJ, Holford NHG (2008) Mechanism-based concepts of size and maturity in pharmacokinetics. Annu Rev Pharmacol Toxicol 48:303–332.
        """
}
