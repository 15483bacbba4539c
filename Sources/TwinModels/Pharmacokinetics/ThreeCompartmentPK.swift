import TwinData
import TwinODE

/// Three-compartment pharmacokinetics (central, shallow and deep peripheral) with first-order
/// absorption, zero-order infusion and first-order elimination, parameterised by clearances and
/// volumes.
///
/// ```
/// depot′   = R_depot − ka·depot
/// central′ = F·ka·depot + R_central − (CL + Q2 + Q3)/V1·central + (Q2/V2)·p2 + (Q3/V3)·p3
/// p2′      = (Q2/V1)·central − (Q2/V2)·p2
/// p3′      = (Q3/V1)·central − (Q3/V3)·p3
/// C        = central / V1
/// ```
///
/// References: Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed., ch. 2 (mammillary
/// models). Defaults are propofol's (Schnider TW et al. (1998) The influence of method of
/// administration and covariates on the pharmacokinetics of propofol in adult volunteers.
/// Anesthesiology 88:1170–1182) at its reference covariates (53 years, 77 kg, 177 cm): V1 4.27 L,
/// V2 18.9 L, V3 238 L, CL 1.89, Q2 1.29, Q3 0.836 L/min — here in L/h.
///
/// **Records** (NONMEM ADVAN2/4/12 numbering, ``RecordMapping``): CMT 1 is the depot (oral, sc,
/// im, or no route: absorbed after tlag, scaled by F), CMT 2 the central compartment (IV; an IV
/// dose without a CMT goes there too); an IV dose into CMT 1 is refused. Concentrations are
/// observed in CMT 2 (or with no CMT), DVID 1.
///
/// **Covariates** only when asked (``CovariateRelations/modelDefault``): CL, Q2, Q3 × (WT/70)^0.75 and V1, V2, V3 × WT/70 — allometry, not Schnider's covariate model.
public struct ThreeCompartmentPK: PhysiologicalModel {
    public init() {}
    public var name: String { "pk-3cmt" }
    public var title: String { "Three-compartment PK (propofol defaults), linear elimination" }
    public var reference: String { "Gibaldi & Perrier (1982); defaults: Schnider et al. (1998) Anesthesiology 88:1170–1182. " + PKDosing.allometryReference }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 4 }
    public var parameterCount: Int { 11 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment"),
         .init("shallow", "mg", "drug in the shallow peripheral compartment"), .init("deep", "mg", "drug in the deep peripheral compartment")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 1, range: 1e-4...100),
         .init("CL", "L/h", "clearance", typical: 1.89 * 60, range: 1e-4...1e4),
         .init("V1", "L", "central volume", typical: 4.27, range: 1e-2...1e5),
         .init("Q2", "L/h", "clearance to the shallow compartment", typical: 1.29 * 60, range: 1e-6...1e4),
         .init("V2", "L", "shallow peripheral volume", typical: 18.9, range: 1e-2...1e5),
         .init("Q3", "L/h", "clearance to the deep compartment", typical: 0.836 * 60, range: 1e-6...1e4),
         .init("V3", "L", "deep peripheral volume", typical: 238, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] { [.init("C", "mg/L", "plasma concentration")] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let ka = p[0], v1 = p[2]
        let k10 = p[1] / v1, k12 = p[3] / v1, k21 = p[3] / p[4], k13 = p[5] / v1, k31 = p[5] / p[6]
        let absorbed = ka * y[0]
        let to2 = k12 * y[1], from2 = k21 * y[2]
        let to3 = k13 * y[1], from3 = k31 * y[3]
        dy[0] = p[9] - absorbed
        dy[1] = p[7] * absorbed + p[10] - k10 * y[1] - to2 + from2 - to3 + from3
        dy[2] = to2 - from2
        dy[3] = to3 - from3
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let v1 = p[2]
        let k10 = p[1] / v1, k12 = p[3] / v1, k21 = p[3] / p[4], k13 = p[5] / v1, k31 = p[5] / p[6]
        J[0] = -p[0]; J[1] = p[7] * p[0]
        J[5] = -(k10 + k12 + k13); J[6] = k12; J[7] = k13
        J[9] = k21; J[10] = -k21
        J[13] = k31; J[15] = -k31
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 7, lag: 8)
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[1] / parameters[2]
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["CL", "Q2", "Q3"], volumes: ["V1", "V2", "V3"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1, 3, 5], volumes: [2, 4, 6])
    }
}
