import TwinData
import TwinODE

/// Bergman's minimal model of glucose–insulin dynamics, with the insulin kinetics of the
/// 1981 extension, time in minutes.
///
/// ```
/// G′ = −(p1 + X)·G + p1·Gb + R_G                      mg/dL/min   (glucose)
/// X′ = −p2·X + p3·(I − Ib)                            1/min²      (remote insulin action)
/// I′ = γ·max(G − h, 0)·t − n·(I − Ib) + R_I           µU/mL/min   (plasma insulin)
/// ```
///
/// At G = Gb, X = 0, I = Ib (with Gb ≤ h) every derivative is zero: the model rests at its
/// basal values. SG = p1 is glucose effectiveness and SI = p3/p2 insulin sensitivity. The
/// secretion term γ·(G − h)⁺·t is the published one for the frequently sampled intravenous
/// glucose tolerance test, with t the time since the glucose bolus (the simulation's time 0).
/// Glucose (g carbs or mg) enters G as an intravenous bolus or infusion, dose / (VG·BW);
/// insulin (U) enters I as dose·10⁶ / (VI·BW).
///
/// References: Bergman RN, Ider YZ, Bowden CR, Cobelli C (1979) Quantitative estimation of
/// insulin sensitivity. Am J Physiol 236:E667–E677 (glucose and remote insulin); Bergman RN,
/// Phillips LS, Cobelli C (1981) Physiologic evaluation of factors controlling glucose tolerance
/// in man. J Clin Invest 68:1456–1467 (insulin kinetics). Defaults are representative of a
/// healthy adult (SG ≈ 0.03 /min, SI ≈ 5·10⁻⁴ /min per µU/mL; Bergman RN (1989) Toward
/// physiological understanding of glucose tolerance: minimal-model approach. Diabetes
/// 38:1512–1527), not one published subject.
public struct BergmanMinimalModel: PhysiologicalModel {
    public init() {}
    public var name: String { "bergman-minimal" }
    public var title: String { "Bergman minimal model of glucose–insulin (IVGTT form)" }
    public var reference: String { "Bergman, Ider, Bowden & Cobelli (1979) Am J Physiol 236:E667–E677; Bergman, Phillips & Cobelli (1981) J Clin Invest 68:1456–1467" }
    public var timeUnit: ModelTimeUnit { .minute }
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 13 }
    public var isAutonomous: Bool { false }

    public var states: [ModelState] {
        [.init("G", "mg/dL", "plasma glucose"), .init("X", "1/min", "remote insulin action"), .init("I", "µU/mL", "plasma insulin")]
    }
    public var parameters: [ModelParameter] {
        [.init("p1", "1/min", "glucose effectiveness SG", typical: 0.03, range: 0...1),
         .init("p2", "1/min", "decay rate of remote insulin action", typical: 0.02, range: 1e-5...1),
         .init("p3", "1/min² per µU/mL", "gain of remote insulin action (SI = p3/p2)", typical: 1e-5, range: 0...1e-2),
         .init("Gb", "mg/dL", "basal glucose", typical: 90, range: 20...500),
         .init("Ib", "µU/mL", "basal insulin", typical: 7, range: 0...500),
         .init("n", "1/min", "insulin clearance rate", typical: 0.3, range: 1e-4...10),
         .init("gamma", "µU/mL/min² per mg/dL", "second-phase insulin secretion gain", typical: 0.004, range: 0...1),
         .init("h", "mg/dL", "glucose threshold of insulin secretion", typical: 90, range: 0...500),
         .init("VG", "dL/kg", "glucose distribution volume", typical: 1.7, range: 0.1...10),
         .init("VI", "mL/kg", "insulin distribution volume", typical: 120, range: 1...1000),
         .init("BW", "kg", "body weight", typical: 70, range: 1...400)]
    }
    public var inputs: [ModelInput] {
        [.init("R_G", "mg/dL/min", "intravenous glucose infusion"), .init("R_I", "µU/mL/min", "intravenous insulin infusion")]
    }
    public var outputs: [ModelOutput] {
        [.init("glucose", "mg/dL", "plasma glucose"), .init("insulin", "µU/mL", "plasma insulin"), .init("X", "1/min", "remote insulin action")]
    }

    public func initialState(parameters p: [Double]) -> [Double] { [p[3], 0, p[4]] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let g = y[0], x = y[1], i = y[2]
        dy[0] = -(p[0] + x) * g + p[0] * p[3] + p[11]
        dy[1] = -p[1] * x + p[2] * (i - p[4])
        dy[2] = p[6] * S.maximum(g - p[7], 0) * t - p[5] * (i - p[4]) + p[12]
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        J[0] = -(p[0] + y[1]); J[2] = y[0] > p[7] ? p[6] * t : 0
        J[3] = -y[0]; J[4] = -p[1]
        J[7] = p[2]; J[8] = -p[5]
        return true
    }

    /// CMT 1: glucose (g carbs or mg) into G; CMT 3: insulin (U) into I; any route (the model
    /// is intravenous). Outputs: glucose DVID 1, insulin DVID 2, X DVID 3 (or their names).
    public var recordMapping: RecordMapping {
        .plain(outputs: outputs,
               doses: [DoseCompartment(1, "glucose", state: 0, input: 0, routes: Route.allCases, amounts: [.carbohydrate, .mass]),
                       DoseCompartment(3, "insulin", state: 2, input: 1, routes: Route.allCases, amounts: [.insulin])],
               convention: "CMT k = state k (G, X, I); DVID k = output k")
    }
    public func doseEntry(for dose: Dose, parameters p: [Double]) throws(ModelError) -> DoseEntry {
        let glucoseVolume = p[8] * p[10], insulinVolume = p[9] * p[10]
        guard [.carbohydrate, .mass, .insulin].contains(dose.unit.dimension) else {
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes intravenous glucose (g carbs, mg) or insulin (U)")
        }
        let compartment = try doseCompartment(for: dose)
        let scale: Double
        switch dose.unit.dimension {
        case .carbohydrate: scale = 1000 / glucoseVolume
        case .mass: scale = 1 / glucoseVolume
        default: scale = 1e6 / insulinVolume
        }
        return DoseEntry(state: compartment.state, input: compartment.input, scale: scale)
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[0]; out[1] = state[2]; out[2] = state[1]
    }
    public var defaultCovariateRelations: String? { "body weight BW = WT" }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        var p = parameters
        if let w = covariates[CovariateName.weight]?.value, w > 0, w.isFinite { p[10] = w }
        return p
    }
}
