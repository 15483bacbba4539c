import TwinData
import TwinODE

/// Two-compartment pharmacokinetics with first-order absorption (lag, bioavailability),
/// zero-order infusion and first-order elimination, parameterised by clearances and volumes.
///
/// ```
/// depot′      = R_depot − ka·depot
/// central′    = F·ka·depot + R_central − (CL/V1)·central − (Q/V1)·central + (Q/V2)·peripheral
/// peripheral′ = (Q/V1)·central − (Q/V2)·peripheral
/// C           = central / V1
/// ```
///
/// **Records** (NONMEM ADVAN2/4/12 numbering, ``RecordMapping``): CMT 1 is the depot (oral, sc,
/// im, or no route: absorbed after tlag, scaled by F), CMT 2 the central compartment (IV; an IV
/// dose without a CMT goes there too); an IV dose into CMT 1 is refused. Concentrations are
/// observed in CMT 2 (or with no CMT), DVID 1.
///
/// **Covariates** only when asked (``CovariateRelations/modelDefault``): CL and Q × (WT/70)^0.75, V1 and V2 × WT/70.
///
/// References: Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed., ch. 2 (two-compartment
/// model, its bi-exponential closed forms). Defaults (ka 1 h⁻¹, CL 5 L/h, V1 20 L, Q 2 L/h,
/// V2 40 L) are those of MedTwin's reference PK workload (TwinWorkloads `TwoCompartmentOral`).
public struct TwoCompartmentPK: PhysiologicalModel {
    public init() {}
    public var name: String { "pk-2cmt" }
    public var title: String { "Two-compartment PK, first-order absorption, linear elimination" }
    public var reference: String { "Gibaldi & Perrier (1982) Pharmacokinetics, 2nd ed., ch. 2. " + PKDosing.allometryReference }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 9 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment"),
         .init("peripheral", "mg", "drug in the peripheral compartment")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 1, range: 1e-4...100),
         .init("CL", "L/h", "clearance", typical: 5, range: 1e-4...1e4),
         .init("V1", "L", "central volume", typical: 20, range: 1e-2...1e5),
         .init("Q", "L/h", "inter-compartmental clearance", typical: 2, range: 1e-6...1e4),
         .init("V2", "L", "peripheral volume", typical: 40, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] { [.init("C", "mg/L", "plasma concentration")] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let ka = p[0], k10 = p[1] / p[2], k12 = p[3] / p[2], k21 = p[3] / p[4], f = p[5]
        let absorbed = ka * y[0]
        let out = k12 * y[1], back = k21 * y[2]
        dy[0] = p[7] - absorbed
        dy[1] = f * absorbed + p[8] - k10 * y[1] - out + back
        dy[2] = out - back
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let ka = p[0], k10 = p[1] / p[2], k12 = p[3] / p[2], k21 = p[3] / p[4]
        J[0] = -ka; J[1] = p[5] * ka
        J[4] = -(k10 + k12); J[5] = k12
        J[7] = k21; J[8] = -k21
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 5, lag: 6)
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[1] / parameters[2]
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["CL", "Q"], volumes: ["V1", "V2"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1, 3], volumes: [2, 4])
    }
}
