import TwinData
import TwinODE

/// One-compartment pharmacokinetics with saturable (Michaelis–Menten) elimination and
/// first-order absorption.
///
/// ```
/// depot′   = R_depot − ka·depot
/// central′ = F·ka·depot + R_central − Vmax·C / (Km + C),   C = central / V
/// ```
///
/// **Records** (NONMEM ADVAN2/4/12 numbering, ``RecordMapping``): CMT 1 is the depot (oral, sc,
/// im, or no route: absorbed after tlag, scaled by F), CMT 2 the central compartment (IV; an IV
/// dose without a CMT goes there too); an IV dose into CMT 1 is refused. Concentrations are
/// observed in CMT 2 (or with no CMT), DVID 1.
///
/// **Covariates** only when asked (``CovariateRelations/modelDefault``): Vmax × (WT/70)^0.75 and V × WT/70.
///
/// References: Michaelis L, Menten ML (1913) Biochem Z 49:333–369; for drugs, Wagner JG (1973)
/// Properties of the Michaelis–Menten equation and its integrated form which are useful in
/// pharmacokinetics, J Pharmacokinet Biopharm 1:103–121. Defaults are of the order reported for
/// phenytoin in adults (Ludden TM et al. (1977) Individualization of phenytoin dosage regimens,
/// Clin Pharmacol Ther 21:287–293: Vmax ≈ 7 mg/kg/day, Km ≈ 4 mg/L; V ≈ 0.65 L/kg) at 70 kg.
public struct MichaelisMentenPK: PhysiologicalModel {
    public init() {}
    public var name: String { "pk-mm" }
    public var title: String { "One-compartment PK, Michaelis–Menten elimination (phenytoin defaults)" }
    public var reference: String { "Wagner (1973) J Pharmacokinet Biopharm 1:103–121; defaults of the order of phenytoin (Ludden et al. 1977, Clin Pharmacol Ther 21:287–293). " + PKDosing.allometryReference }
    public var timeUnit: ModelTimeUnit { .hour }
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 8 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("depot", "mg", "drug at the absorption site"), .init("central", "mg", "drug in the central compartment")]
    }
    public var parameters: [ModelParameter] {
        [.init("ka", "1/h", "first-order absorption rate constant", typical: 0.5, range: 1e-4...100),
         .init("Vmax", "mg/h", "maximal elimination rate", typical: 7.0 * 70 / 24, range: 1e-4...1e5),
         .init("Km", "mg/L", "concentration of half-maximal elimination", typical: 4, range: 1e-4...1e4),
         .init("V", "L", "volume of distribution", typical: 0.65 * 70, range: 1e-2...1e5),
         .init("F", "", "bioavailability of absorbed doses", typical: 1, range: 1e-6...1),
         .init("tlag", "h", "absorption lag time", typical: 0, range: 0...48)]
    }
    public var inputs: [ModelInput] {
        [.init("R_depot", "mg/h", "zero-order input into the depot"), .init("R_central", "mg/h", "IV infusion into the central compartment")]
    }
    public var outputs: [ModelOutput] { [.init("C", "mg/L", "plasma concentration")] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let absorbed = p[0] * y[0]
        let c = y[1] / p[3]
        dy[0] = p[6] - absorbed
        dy[1] = p[4] * absorbed + p[7] - p[1] * c / (p[2] + c)
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let c = y[1] / p[3], km = p[2]
        J[0] = -p[0]; J[1] = p[4] * p[0]
        // d/dA [Vmax·C/(Km + C)] = Vmax·Km / (Km + C)² / V
        J[3] = -p[1] * km / ((km + c) * (km + c)) / p[3]
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try PKDosing.entry(self, dose: dose, parameters: parameters, bioavailability: 4, lag: 5)
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[1] / parameters[3]
    }
    public var recordMapping: RecordMapping { .advan2(outputs: outputs) }
    public var defaultCovariateRelations: String? { PKDosing.allometryDescription(clearances: ["Vmax"], volumes: ["V"]) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        PKDosing.allometric(parameters, covariates: covariates, clearances: [1], volumes: [3])
    }
}
