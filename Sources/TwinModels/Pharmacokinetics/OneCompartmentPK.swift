import TwinData
import TwinODE

/// One-compartment pharmacokinetics with first-order absorption (lag time, bioavailability),
/// zero-order infusion and first-order elimination, parameterised by clearance and volume.
///
/// ```
/// depot′   = R_depot − ka·depot                               mg/h
/// central′ = F·ka·depot + R_central − (CL/V)·central          mg/h
/// C        = central / V                                      mg/L
/// ```
///
/// **Records** (NONMEM ADVAN2/4/12 numbering, ``RecordMapping``): CMT 1 is the depot (oral, sc,
/// im, or no route: absorbed after tlag, scaled by F), CMT 2 the central compartment (IV; an IV
/// dose without a CMT goes there too); an IV dose into CMT 1 is refused. Concentrations are
/// observed in CMT 2 (or with no CMT), DVID 1.
///
/// **Covariates** only when asked (``CovariateRelations/modelDefault``): CL × (WT/70)^0.75 and V × WT/70.
///
/// References: Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed., Marcel Dekker, ch. 1–2
/// (the equations and their closed forms). Default values are of the order reported for
/// theophylline in adults (Boeckmann AJ, Sheiner LB, Beal SL (1994) NONMEM Users Guide Part V,
/// the THEOPP example: ka ≈ 1.5 h⁻¹, CL ≈ 0.04 L/h/kg, V ≈ 0.5 L/kg at 70 kg).
public struct OneCompartmentPK: PhysiologicalModel {
    public init() {}
    public var name: String { "pk-1cmt" }
    public var title: String { "One-compartment PK, first-order absorption, linear elimination" }
    public var reference: String { "Gibaldi & Perrier (1982) Pharmacokinetics, 2nd ed.; defaults of the order of theophylline (Boeckmann, Sheiner & Beal 1994, NONMEM Users Guide V). " + PKDosing.allometryReference }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 7 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 1.5, range: 1e-4...100),
         .init("CL", "L/h", "clearance", typical: 2.8, range: 1e-4...1e4),
         .init("V", "L", "volume of distribution", typical: 35, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] { [.init("C", "mg/L", "plasma concentration")] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let ka = p[0], k = p[1] / p[2], f = p[3]
        let absorbed = ka * y[0]
        dy[0] = p[5] - absorbed
        dy[1] = f * absorbed + p[6] - k * y[1]
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        J[0] = -p[0]; J[1] = p[3] * p[0]
        J[3] = -p[1] / p[2]
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 3, lag: 4)
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[1] / parameters[2]
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["CL"], volumes: ["V"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1], volumes: [2])
    }
}
