import TwinData
import TwinODE

/// An SEIR epidemic with hospital ward, ICU and length-of-stay compartments, time in days: the
/// twin of a hospital's catchment, whose ward and ICU occupancies are the beds it needs.
///
/// ```
/// S′ = −β·S·I/N
/// E′ = β·S·I/N − σ·E
/// I′ = σ·E − γ·I
/// H′ = ph·γ·I − H/LH                                   (ward beds)
/// U′ = pu·H/LH − U/LU                                  (ICU beds)
/// R′ = (1 − ph)·γ·I + (1 − pu)·H/LH + (1 − mu)·U/LU
/// D′ = mu·U/LU
/// ```
///
/// The seven compartments add up to N at all times (the derivatives sum to zero). Lengths of
/// stay are exponential with means LH and LU; R0 = β/γ.
///
/// References: Kermack WO, McKendrick AG (1927) A contribution to the mathematical theory of
/// epidemics. Proc R Soc Lond A 115:700–721; Anderson RM, May RM (1991) Infectious Diseases of
/// Humans, Oxford University Press (the SEIR form); the hospital and ICU compartments simplify
/// those of Moghadas SM et al. (2020) Projecting hospital utilization during the COVID-19
/// outbreaks in the United States. PNAS 117:9122–9126. Defaults are illustrative COVID-19-like
/// values: mean incubation 5.2 days (Li Q et al. (2020) N Engl J Med 382:1199–1207), R0 2.5.
public struct SEIRHospital: PhysiologicalModel {
    public init() {}
    public var name: String { "seir-hospital" }
    public var title: String { "SEIR epidemic with ward and ICU occupancy (hospital flow)" }
    public var reference: String { "Kermack & McKendrick (1927) Proc R Soc Lond A 115:700–721; Anderson & May (1991); Moghadas et al. (2020) PNAS 117:9122–9126" }
    public var timeUnit: ModelTimeUnit { .day }
    public var stateCount: Int { 7 }
    public var parameterCount: Int { 10 }
    public var isAutonomous: Bool { true }

    public var states: [ModelState] {
        [.init("S", "persons", "susceptible"), .init("E", "persons", "exposed, not yet infectious"),
         .init("I", "persons", "infectious"), .init("H", "persons", "in a ward bed"), .init("U", "persons", "in an ICU bed"),
         .init("R", "persons", "recovered"), .init("D", "persons", "died")]
    }
    public var parameters: [ModelParameter] {
        [.init("N", "persons", "population of the catchment", typical: 1e6, range: 1...1e10),
         .init("I0", "persons", "infectious at time 0", typical: 10, range: 0...1e10),
         .init("beta", "1/day", "transmission rate", typical: 0.5, range: 0...100),
         .init("sigma", "1/day", "rate of becoming infectious (1/incubation)", typical: 1 / 5.2, range: 1e-4...100),
         .init("gamma", "1/day", "recovery rate (1/infectious period)", typical: 0.2, range: 1e-4...100),
         .init("ph", "", "fraction of the infectious admitted to a ward", typical: 0.05, range: 0...1),
         .init("LH", "day", "mean ward length of stay", typical: 8, range: 0.01...365),
         .init("pu", "", "fraction of ward patients moved to ICU", typical: 0.2, range: 0...1),
         .init("LU", "day", "mean ICU length of stay", typical: 10, range: 0.01...365),
         .init("mu", "", "fraction of ICU patients who die", typical: 0.3, range: 0...1)]
    }
    public var inputs: [ModelInput] { [] }
    public var outputs: [ModelOutput] {
        [.init("ward", "beds", "ward bed occupancy H"), .init("icu", "beds", "ICU bed occupancy U"),
         .init("infectious", "persons", "infectious I"), .init("deaths", "persons", "cumulative deaths D")]
    }

    public func initialState(parameters p: [Double]) -> [Double] { [max(p[0] - p[1], 0), 0, p[1], 0, 0, 0, 0] }

    @inlinable
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let infection = p[2] * y[0] * y[2] / p[0]
        let onset = p[3] * y[1]
        let removal = p[4] * y[2]
        let wardExit = y[3] / p[6]
        let icuExit = y[4] / p[8]
        dy[0] = -infection
        dy[1] = infection - onset
        dy[2] = onset - removal
        dy[3] = p[5] * removal - wardExit
        dy[4] = p[7] * wardExit - icuExit
        dy[5] = (1 - p[5]) * removal + (1 - p[7]) * wardExit + (1 - p[9]) * icuExit
        dy[6] = p[9] * icuExit
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let b = p[2] / p[0], sigma = p[3], gamma = p[4], ph = p[5], lh = p[6], pu = p[7], lu = p[8], mu = p[9]
        J[0] = -b * y[2]; J[14] = -b * y[0]
        J[1] = b * y[2]; J[8] = -sigma; J[15] = b * y[0]
        J[9] = sigma; J[16] = -gamma
        J[17] = ph * gamma; J[24] = -1 / lh
        J[25] = pu / lh; J[32] = -1 / lu
        J[19] = (1 - ph) * gamma; J[26] = (1 - pu) / lh; J[33] = (1 - mu) / lu
        J[34] = mu / lu
        return true
    }

    public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        throw .unsupportedDose(model: name, dose: describe(dose), reason: "an epidemic model takes no doses; change its parameters (N, I0 or beta) instead")
    }
    public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[3]; out[1] = state[4]; out[2] = state[2]; out[3] = state[6]
    }
}
