import RealModule
import TwinData
import TwinODE

/// A three-element Windkessel arterial load driven by a time-varying elastance left ventricle,
/// time in seconds: pressure and flow waveforms, and per beat heart rate, stroke volume,
/// systolic, diastolic and mean arterial pressure.
///
/// ```
/// E(t)  = Emin + (Emax − Emin)·e(t mod T),  T = 60/HR
/// e(s)  = k·(s/τ1)^m1/(1 + (s/τ1)^m1) · 1/(1 + (s/τ2)^m2),  τ1 = 0.269T, τ2 = 0.452T,
///         m1 = 1.32, m2 = 27.4, k normalising max e to 1           (double-Hill elastance)
/// Plv   = E(t)·(Vlv − V0)                                            mmHg
/// Qmv   = max(Pfill − Plv, 0)/Rmv ;  Qao = max(Plv − Pc, 0)/(Rav + Zc)   (valves as diodes, mL/s)
/// Vlv′  = Qmv − Qao
/// Pc′   = (Qao − Pc/Rp)/C                                            (compliance pressure)
/// Pao   = Pc + Zc·Qao                                                (aortic pressure)
/// ```
///
/// The ventricle fills from a constant filling (left atrial) pressure Pfill and ejects into
/// the Windkessel: characteristic impedance Zc in series with the peripheral resistance Rp and
/// the arterial compliance C in parallel. From any start the waveform settles to a periodic
/// steady state within a few beats (time constant Rp·C ≈ 1.4 s).
///
/// References: Westerhof N, Lankhaar JW, Westerhof BE (2009) The arterial Windkessel. Med Biol
/// Eng Comput 47:131–141 (three-element Windkessel); Suga H, Sagawa K (1974) Instantaneous
/// pressure–volume relationships and their ratio in the excised, supported canine left ventricle.
/// Circ Res 35:117–126 (time-varying elastance); Stergiopulos N, Meister JJ, Westerhof N (1996)
/// Determinants of stroke volume and systolic and diastolic aortic pressure. Am J Physiol
/// 270:H2050–H2059 (the double-Hill elastance and its shape constants). Default values are
/// within the ranges of those papers, chosen by us to give a resting adult (≈ 116/73 mmHg,
/// stroke volume ≈ 70 mL at 75 beats/min).
public struct WindkesselHeart: PhysiologicalModel {
    public init() {}
    public var name: String { "windkessel" }
    public var title: String { "Three-element Windkessel driven by a time-varying elastance left ventricle" }
    public var reference: String { "Westerhof, Lankhaar & Westerhof (2009) Med Biol Eng Comput 47:131–141; Suga & Sagawa (1974) Circ Res 35:117–126; Stergiopulos, Meister & Westerhof (1996) Am J Physiol 270:H2050–H2059" }
    public var timeUnit: ModelTimeUnit { .second }
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 10 }
    public var isAutonomous: Bool { false }

    public var states: [ModelState] {
        [.init("Vlv", "mL", "left-ventricular volume"), .init("Pc", "mmHg", "pressure across the arterial compliance")]
    }
    public var parameters: [ModelParameter] {
        [.init("HR", "1/min", "heart rate", typical: 75, range: 20...250),
         .init("Emax", "mmHg/mL", "end-systolic (maximal) elastance", typical: 2.0, range: 0.1...20),
         .init("Emin", "mmHg/mL", "diastolic (minimal) elastance", typical: 0.06, range: 0.001...2),
         .init("V0", "mL", "unstressed ventricular volume", typical: 10, range: 0...200),
         .init("Pfill", "mmHg", "filling (left atrial) pressure", typical: 8, range: 0...50),
         .init("Rmv", "mmHg·s/mL", "mitral valve resistance", typical: 0.01, range: 1e-4...1),
         .init("Rav", "mmHg·s/mL", "aortic valve resistance", typical: 0.005, range: 1e-4...1),
         .init("Zc", "mmHg·s/mL", "characteristic impedance of the aorta", typical: 0.05, range: 1e-3...1),
         .init("Rp", "mmHg·s/mL", "peripheral resistance", typical: 1.05, range: 0.05...10),
         .init("C", "mL/mmHg", "arterial compliance", typical: 1.3, range: 0.05...10)]
    }
    public var inputs: [ModelInput] { [] }
    public var outputs: [ModelOutput] {
        [.init("Pao", "mmHg", "aortic pressure"), .init("Plv", "mmHg", "left-ventricular pressure"),
         .init("Vlv", "mL", "left-ventricular volume"), .init("Qao", "mL/s", "aortic flow")]
    }
    public func initialState(parameters: [Double]) -> [Double] { [120, 80] }

    /// k, so that the double-Hill shape peaks at 1 (found once by a grid and golden-section search).
    public static let elastanceNormalization: Double = {
        func shape(_ s: Double) -> Double {
            let a = Double.pow(s / 0.269, 1.32), b = Double.pow(s / 0.452, 27.4)
            return a / (1 + a) / (1 + b)
        }
        var best = 0.0, at = 0.0
        for i in 1...10_000 {
            let s = Double(i) / 10_000
            if shape(s) > best { best = shape(s); at = s }
        }
        var lo = max(at - 1e-4, 0), hi = at + 1e-4
        let g = (5.0.squareRoot() - 1) / 2
        for _ in 0..<80 {
            let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo)
            if shape(x1) < shape(x2) { lo = x1 } else { hi = x2 }
        }
        return 1 / shape(0.5 * (lo + hi))
    }()

    /// The elastance E(t) (mmHg/mL) for parameters p (any scalar type).
    @inlinable
    public static func elastance<S: ODEScalar>(t: S, heartRate: S, emax: S, emin: S, normalization: Double) -> S {
        let period = 60 / heartRate
        let cycles = S.floor(t / period)
        let phase = S.maximum((t - cycles * period) / period, S(1e-12))
        let rise = S.pow(phase / 0.269, S(1.32))
        let fall = S.pow(phase / 0.452, S(27.4))
        let e = S(normalization) * rise / (1 + rise) / (1 + fall)
        return emin + (emax - emin) * e
    }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let e = Self.elastance(t: t, heartRate: p[0], emax: p[1], emin: p[2], normalization: Self.elastanceNormalization)
        let plv = e * (y[0] - p[3])
        let mitral = S.maximum(p[4] - plv, 0) / p[5]
        let aortic = S.maximum(plv - y[1], 0) / (p[6] + p[7])
        dy[0] = mitral - aortic
        dy[1] = (aortic - y[1] / p[8]) / p[9]
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes no doses; change its parameters (HR = 90 beats/min, say) instead")
    }

    public func observe(time: Double, state: [Double], parameters p: [Double], into out: inout [Double]) {
        let e = Self.elastance(t: time, heartRate: p[0], emax: p[1], emin: p[2], normalization: Self.elastanceNormalization)
        let plv = e * (state[0] - p[3])
        let q = max(plv - state[1], 0) / (p[6] + p[7])
        out[0] = state[1] + p[7] * q
        out[1] = plv
        out[2] = state[0]
        out[3] = q
    }
}

extension WindkesselHeart {
    /// Beat-to-beat numbers of the last complete beat on the output grid: heart rate, stroke
    /// volume (end-diastolic − end-systolic volume), ejection fraction, systolic, diastolic and
    /// (time-averaged) mean arterial pressure, cardiac output.
    public func summary(of simulation: ModelSimulation) -> [ModelSummaryValue] {
        guard let hr = simulation.parameters.first, hr > 0, let last = simulation.times.last else { return [] }
        let period = 60 / hr
        let start = last - period
        let beat = simulation.times.indices.filter { simulation.times[$0] >= start - 1e-12 }
        guard start >= 0, beat.count >= 3 else { return [] }
        let pao = beat.map { simulation.values[$0][0] }
        let vlv = beat.map { simulation.values[$0][2] }
        // Mean pressure by the trapezoidal rule over the beat.
        var area = 0.0
        for j in 1..<beat.count {
            area += 0.5 * (pao[j] + pao[j - 1]) * (simulation.times[beat[j]] - simulation.times[beat[j - 1]])
        }
        let span = simulation.times[beat[beat.count - 1]] - simulation.times[beat[0]]
        let edv = vlv.max() ?? 0, esv = vlv.min() ?? 0
        let sv = edv - esv
        return [ModelSummaryValue("heart rate", hr, "1/min"), ModelSummaryValue("stroke volume", sv, "mL"),
                ModelSummaryValue("ejection fraction", edv > 0 ? sv / edv : 0, ""),
                ModelSummaryValue("systolic pressure", pao.max() ?? 0, "mmHg"), ModelSummaryValue("diastolic pressure", pao.min() ?? 0, "mmHg"),
                ModelSummaryValue("mean arterial pressure", span > 0 ? area / span : 0, "mmHg"),
                ModelSummaryValue("cardiac output", sv * hr / 1000, "L/min")]
    }
}
