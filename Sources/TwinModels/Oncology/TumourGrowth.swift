import RealModule
import TwinData
import TwinODE

/// Tumour growth (Gompertz or logistic) with chemotherapy cell kill driven by one-compartment
/// IV pharmacokinetics (log-kill or Norton–Simon), time in days.
///
/// ```
/// A′ = R − (CL/Vd)·A,   C = A/Vd                          drug, mg and mg/L
/// g(V) = a·V·ln(K/V)            (Gompertz)
/// g(V) = a·V·(1 − V/K)          (logistic)
/// V′ = g(V) − k·C·V             (log-kill: a fixed fraction killed per unit exposure)
/// V′ = g(V)·(1 − k·C)           (Norton–Simon: kill proportional to the growth rate)
/// ```
///
/// Without drug the volume follows the closed forms V(t) = K·exp(ln(V0/K)·e^(−at)) (Gompertz)
/// and V(t) = K / (1 + (K/V0 − 1)·e^(−at)) (logistic).
///
/// References: Laird AK (1964) Dynamics of tumour growth. Br J Cancer 18:490–502 (Gompertz
/// growth); Benzekry S et al. (2014) Classical mathematical models for description and
/// prediction of experimental tumor growth. PLoS Comput Biol 10:e1003800 (Gompertz and logistic
/// forms used here); Skipper HE, Schabel FM, Wilcox WS (1964) Experimental evaluation of
/// potential anticancer agents XIII. Cancer Chemother Rep 35:1–111 (log-kill); Norton L, Simon R
/// (1977) Tumor size, sensitivity to therapy, and design of treatment schedules. Cancer Treat
/// Rep 61:1307–1317 (Norton–Simon). Default values are illustrative, not one published fit.
public struct TumourGrowth: PhysiologicalModel {
    /// The unperturbed growth law.
    public enum Growth: String, Sendable, Hashable, CaseIterable { case gompertz, logistic }
    /// How the drug kills.
    public enum Kill: String, Sendable, Hashable, CaseIterable { case logKill = "log-kill", nortonSimon = "norton-simon" }

    public let growth: Growth
    public let kill: Kill
    public init(growth: Growth, kill: Kill) {
        self.growth = growth
        self.kill = kill
    }

    public var name: String { "tumor-\(growth.rawValue)" + (kill == .logKill ? "" : "-ns") }
    public var title: String {
        "\(growth == .gompertz ? "Gompertz" : "Logistic") tumour growth with \(kill == .logKill ? "log-kill" : "Norton–Simon") chemotherapy"
    }
    public var reference: String {
        (growth == .gompertz ? "Laird (1964) Br J Cancer 18:490–502; " : "") + "Benzekry et al. (2014) PLoS Comput Biol 10:e1003800; "
            + (kill == .logKill ? "Skipper, Schabel & Wilcox (1964) Cancer Chemother Rep 35:1–111" : "Norton & Simon (1977) Cancer Treat Rep 61:1307–1317")
    }
    public var timeUnit: ModelTimeUnit { .day }
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 7 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] { [.init("A", "mg", "drug in the body"), .init("V", "mm³", "tumour volume")] }
    public var parameters: [ModelParameter] {
        [.init("a", "1/day", "growth rate constant", typical: growth == .gompertz ? 0.05 : 0.2, range: 1e-6...10),
         .init("K", "mm³", "carrying capacity (largest volume)", typical: 1e6, range: 1...1e9),
         .init("V0", "mm³", "tumour volume at time 0", typical: 1000, range: 1e-6...1e9),
         .init("k", "L/mg/day", "kill rate per unit concentration", typical: kill == .logKill ? 0.5 : 0.2, range: 0...1e4),
         .init("CL", "L/day", "drug clearance", typical: 100, range: 1e-3...1e6),
         .init("Vd", "L", "drug volume of distribution", typical: 50, range: 1e-2...1e5)]
    }
    public var inputs: [ModelInput] { [.init("R", "mg/day", "IV infusion")] }
    public var outputs: [ModelOutput] { [.init("volume", "mm³", "tumour volume"), .init("C", "mg/L", "drug concentration")] }

    public func initialState(parameters p: [Double]) -> [Double] { [0, p[2]] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let a = p[0], capacity = p[1], k = p[3]
        let c = y[0] / p[5]
        let v = y[1]
        let g: S
        switch growth {
        case .gompertz: g = a * v * S.log(capacity / S.maximum(v, S(1e-300)))
        case .logistic: g = a * v * (1 - v / capacity)
        }
        dy[0] = p[6] - p[4] / p[5] * y[0]
        switch kill {
        case .logKill: dy[1] = g - k * c * v
        case .nortonSimon: dy[1] = g * (1 - k * c)
        }
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let a = p[0], capacity = p[1], k = p[3], vd = p[5]
        let c = y[0] / vd, v = max(y[1], 1e-300)
        let g: Double, dg: Double
        switch growth {
        case .gompertz: g = a * v * Double.log(capacity / v); dg = a * (Double.log(capacity / v) - 1)
        case .logistic: g = a * v * (1 - v / capacity); dg = a * (1 - 2 * v / capacity)
        }
        J[0] = -p[4] / vd
        switch kill {
        case .logKill: J[1] = -k * v / vd; J[3] = dg - k * c
        case .nortonSimon: J[1] = -k * g / vd; J[3] = (1 - k * c) * dg
        }
        return true
    }

    /// CMT 1: the drug in the body (state A), any route (doses are IV-like: no absorption).
    /// Outputs: volume DVID 1, C DVID 2 (or their names).
    public var recordMapping: RecordMapping {
        .plain(outputs: outputs, doses: [DoseCompartment(1, "drug", state: 0, input: 0, routes: Route.allCases)],
               convention: "CMT 1 = state 1 (the drug amount A); DVID k = output k")
    }
    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try requireMass(dose)
        let compartment = try doseCompartment(for: dose)
        return DoseEntry(state: compartment.state, input: compartment.input)
    }
    public func observe(time: Double, state: [Double], parameters p: [Double], into out: inout [Double]) {
        out[0] = state[1]
        out[1] = state[0] / p[5]
    }
}
