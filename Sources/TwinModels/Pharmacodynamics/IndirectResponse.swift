import TwinData
import TwinODE

/// The four basic indirect-response models, driven by one-compartment PK with first-order
/// absorption: the drug inhibits or stimulates the production (kin) or the loss (kout) of a
/// response R.
///
/// ```
/// C = central / V,  I(C) = Imax·C/(IC50 + C),  S(C) = Emax·C/(EC50 + C)
/// I   (inhibition of production):  R′ = kin·(1 − I(C)) − kout·R
/// II  (inhibition of loss):        R′ = kin − kout·(1 − I(C))·R
/// III (stimulation of production): R′ = kin·(1 + S(C)) − kout·R
/// IV  (stimulation of loss):       R′ = kin − kout·(1 + S(C))·R
/// R(0) = R0 = kin/kout
/// ```
///
/// **Records** as ``OneCompartmentPK`` (CMT 1 depot, CMT 2 central, NONMEM ADVAN2 numbering):
/// C is observed in CMT 2 or as DVID 1, the response R as DVID 2 (or by its name). Allometry
/// (CL × (WT/70)^0.75, V × WT/70) only when asked (``CovariateRelations/modelDefault``).
///
/// At a constant concentration C the response settles at R_ss = kin·(1 − I(C))/kout (I),
/// kin/(kout·(1 − I(C))) (II), kin·(1 + S(C))/kout (III), kin/(kout·(1 + S(C))) (IV).
///
/// References: Dayneka NL, Garg V, Jusko WJ (1993) Comparison of four basic models of indirect
/// pharmacodynamic responses. J Pharmacokinet Biopharm 21:457–478 (equations; the PD defaults
/// kin 10 /h, kout 0.5 /h, IC50/EC50 5 mg/L are illustrative). PK defaults as ``OneCompartmentPK``.
public struct IndirectResponse: PhysiologicalModel {
    /// Which of the four models.
    public enum Kind: Int, Sendable, Hashable, CaseIterable {
        case inhibitProduction = 1, inhibitLoss, stimulateProduction, stimulateLoss
    }
    public let kind: Kind
    public init(_ kind: Kind) { self.kind = kind }

    public var name: String { "pkpd-idr\(kind.rawValue)" }
    public var title: String {
        switch kind {
        case .inhibitProduction: return "Indirect response I: inhibition of production (kin)"
        case .inhibitLoss: return "Indirect response II: inhibition of loss (kout)"
        case .stimulateProduction: return "Indirect response III: stimulation of production (kin)"
        case .stimulateLoss: return "Indirect response IV: stimulation of loss (kout)"
        }
    }
    public var reference: String { "Dayneka, Garg & Jusko (1993) J Pharmacokinet Biopharm 21:457–478" }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 11 }
    public var isAutonomous: Bool { true }
    var inhibits: Bool { kind == .inhibitProduction || kind == .inhibitLoss }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment"),
         .init("R", "", "response")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 1.5, range: 1e-4...100),
         .init("CL", "L/h", "clearance", typical: 2.8, range: 1e-4...1e4),
         .init("V", "L", "volume of distribution", typical: 35, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48),
         .init("kin", "1/h", "zero-order production rate of the response (response units/h)", typical: 10, range: 1e-8...1e8),
         .init("kout", "1/h", "first-order loss rate constant of the response", typical: 0.5, range: 1e-6...1e4),
         inhibits ? .init("Imax", "", "maximal fractional inhibition", typical: 1, range: 0...1)
                  : .init("Emax", "", "maximal fractional stimulation", typical: 2, range: 0...1e4),
         inhibits ? .init("IC50", "mg/L", "concentration of half-maximal inhibition", typical: 5, range: 1e-8...1e6)
                  : .init("EC50", "mg/L", "concentration of half-maximal stimulation", typical: 5, range: 1e-8...1e6)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] { [.init("C", "mg/L", "plasma concentration"), .init("R", "", "response")] }

    public func initialState(parameters p: [Double]) -> [Double] { [0, 0, p[5] / p[6]] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let absorbed = p[0] * y[0]
        let c = y[1] / p[2]
        let kin = p[5], kout = p[6]
        let drug = p[7] * c / (p[8] + c)
        dy[0] = p[9] - absorbed
        dy[1] = p[3] * absorbed + p[10] - p[1] * c
        switch kind {
        case .inhibitProduction: dy[2] = kin * (1 - drug) - kout * y[2]
        case .inhibitLoss: dy[2] = kin - kout * (1 - drug) * y[2]
        case .stimulateProduction: dy[2] = kin * (1 + drug) - kout * y[2]
        case .stimulateLoss: dy[2] = kin - kout * (1 + drug) * y[2]
        }
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let v = p[2], c = y[1] / v, kin = p[5], kout = p[6], m = p[7], c50 = p[8]
        let drug = m * c / (c50 + c)
        let dDrug = m * c50 / ((c50 + c) * (c50 + c)) / v        // ∂drug/∂central
        J[0] = -p[0]; J[1] = p[3] * p[0]
        J[4] = -p[1] / v
        switch kind {
        case .inhibitProduction: J[5] = -kin * dDrug; J[8] = -kout
        case .inhibitLoss: J[5] = kout * dDrug * y[2]; J[8] = -kout * (1 - drug)
        case .stimulateProduction: J[5] = kin * dDrug; J[8] = -kout
        case .stimulateLoss: J[5] = -kout * dDrug * y[2]; J[8] = -kout * (1 + drug)
        }
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 3, lag: 4)
    }
    public func observe(time: Double, state: [Double], parameters p: [Double], into out: inout [Double]) {
        out[0] = state[1] / p[2]
        out[1] = state[2]
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["CL"], volumes: ["V"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1], volumes: [2])
    }
}
