import RealModule
import TwinData
import TwinODE

/// A PK/PD link: one-compartment PK with first-order absorption driving a direct sigmoid Emax
/// effect and, through an effect compartment, a delayed one.
///
/// ```
/// depot′   = R_depot − ka·depot
/// central′ = F·ka·depot + R_central − (CL/V)·central,        C = central / V
/// Ce′      = keo·(C − Ce)                                       (effect compartment, mg/L)
/// E(x)     = E0 + Emax·x^γ / (EC50^γ + x^γ)                     (sigmoid Emax, Hill)
/// outputs: C, Ce, E_direct = E(C), E_effect = E(Ce)
/// ```
///
/// **Records** as ``OneCompartmentPK`` (CMT 1 depot, CMT 2 central, NONMEM ADVAN2 numbering):
/// C is observed in CMT 2 or as DVID 1; Ce, E_direct, E_effect are DVID 2, 3, 4 (or their
/// names). Allometry (CL × (WT/70)^0.75, V × WT/70) only when asked
/// (``CovariateRelations/modelDefault``).
///
/// References: Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J (1979) Simultaneous modeling
/// of pharmacokinetics and pharmacodynamics: application to d-tubocurarine. Clin Pharmacol Ther
/// 25:358–371 (the effect compartment); Holford NHG, Sheiner LB (1981) Understanding the
/// dose-effect relationship. Clin Pharmacokinet 6:429–453 (the sigmoid Emax model). PK defaults
/// as ``OneCompartmentPK``; PD defaults are illustrative (EC50 5 mg/L, Hill 2, keo 0.5 h⁻¹).
public struct EffectCompartmentEmax: PhysiologicalModel {
    public init() {}
    public var name: String { "pkpd-emax" }
    public var title: String { "PK/PD link: direct and effect-compartment sigmoid Emax" }
    public var reference: String { "Sheiner et al. (1979) Clin Pharmacol Ther 25:358–371; Holford & Sheiner (1981) Clin Pharmacokinet 6:429–453" }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 12 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment"),
         .init("Ce", "mg/L", "effect-site concentration")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 1.5, range: 1e-4...100),
         .init("CL", "L/h", "clearance", typical: 2.8, range: 1e-4...1e4),
         .init("V", "L", "volume of distribution", typical: 35, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48),
         .init("keo", "1/h", "effect-site equilibration rate constant", typical: 0.5, range: 1e-4...1e3),
         .init("E0", "", "baseline effect", typical: 0, range: -1e6...1e6),
         .init("Emax", "", "maximal drug effect", typical: 100, range: -1e6...1e6),
         .init("EC50", "mg/L", "concentration of half-maximal effect", typical: 5, range: 1e-6...1e6),
         .init("gamma", "", "Hill coefficient", typical: 2, range: 0.1...10)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] {
        [.init("C", "mg/L", "plasma concentration"), .init("Ce", "mg/L", "effect-site concentration"),
         .init("E_direct", "", "effect of the plasma concentration (direct Emax)"),
         .init("E_effect", "", "effect of the effect-site concentration")]
    }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let absorbed = p[0] * y[0]
        let c = y[1] / p[2]
        dy[0] = p[10] - absorbed
        dy[1] = p[3] * absorbed + p[11] - p[1] * c
        dy[2] = p[5] * (c - y[2])
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        J[0] = -p[0]; J[1] = p[3] * p[0]
        J[4] = -p[1] / p[2]; J[5] = p[5] / p[2]
        J[8] = -p[5]
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 3, lag: 4)
    }

    /// E0 + Emax·x^γ / (EC50^γ + x^γ), for x ≥ 0.
    public static func sigmoidEmax(_ x: Double, e0: Double, emax: Double, ec50: Double, hill: Double) -> Double {
        let xg = Double.pow(max(x, 0), hill), cg = Double.pow(ec50, hill)
        return e0 + emax * xg / (cg + xg)
    }

    public func observe(time: Double, state: [Double], parameters p: [Double], into out: inout [Double]) {
        let c = state[1] / p[2]
        out[0] = c
        out[1] = state[2]
        out[2] = Self.sigmoidEmax(c, e0: p[6], emax: p[7], ec50: p[8], hill: p[9])
        out[3] = Self.sigmoidEmax(state[2], e0: p[6], emax: p[7], ec50: p[8], hill: p[9])
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["CL"], volumes: ["V"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1], volumes: [2])
    }
}
