import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

@Suite struct CardiovascularTests {
    @Test func elastanceShapePeaksAtOne() {
        let k = WindkesselHeart.elastanceNormalization
        var peak = 0.0
        for i in 0...20_000 {
            let e = WindkesselHeart.elastance(t: Double(i) / 20_000 * 0.8, heartRate: 75.0, emax: 1.0, emin: 0.0, normalization: k)
            peak = max(peak, e)
        }
        // Stergiopulos et al. (1996): the double-Hill function is normalised to a maximum of 1.
        #expect(abs(peak - 1) < 1e-6, "peak \(peak)")
    }

    @Test func windkesselReachesAPhysiologicalPeriodicSteadyState() throws {
        let model = WindkesselHeart()
        let period = 0.8   // 75 beats/min
        let sim = try model.simulate(hours: 20 * period / 3600, solver: Tsitouras5(),
                                     options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-8), points: 2001)
        #expect(sim.status == .success)
        // Periodic: the state one beat apart agrees (the transient decays with Rp·C ≈ 1.4 s).
        let last = try #require(sim.solution(20 * period)), previous = try #require(sim.solution(19 * period))
        for i in 0..<2 { #expect(abs(last[i] - previous[i]) < 1e-3 * abs(last[i]), "state \(i): \(last[i]) vs \(previous[i])") }
        let summary = Dictionary(uniqueKeysWithValues: model.summary(of: sim).map { ($0.name, $0.value) })
        // A resting adult: systolic 90–140, diastolic 60–90 mmHg, stroke volume 50–100 mL (our defaults: ≈ 116/73, 70 mL).
        let sbp = try #require(summary["systolic pressure"]), dbp = try #require(summary["diastolic pressure"])
        let sv = try #require(summary["stroke volume"]), map = try #require(summary["mean arterial pressure"])
        #expect((90...140).contains(sbp), "SBP \(sbp)")
        #expect((60...90).contains(dbp), "DBP \(dbp)")
        #expect((50...100).contains(sv), "SV \(sv)")
        #expect(map > dbp && map < sbp)
        #expect(summary["heart rate"] == 75)
    }
}

@Suite struct OncologyTests {
    @Test(arguments: TumourGrowth.Growth.allCases)
    func untreatedTumoursFollowTheirClosedForms(_ growth: TumourGrowth.Growth) throws {
        let model = TumourGrowth(growth: growth, kill: .logKill)
        let p = model.typicalParameters
        let (a, k, v0) = (p[0], p[1], p[2])
        let sim = try model.simulate(hours: 365 * 24, options: tight, points: 53)
        for (t, v) in zip(sim.times, try #require(sim.series("volume"))) {
            // Gompertz: K·exp(ln(V0/K)·e^(−at)); logistic: K/(1 + (K/V0 − 1)e^(−at)) (Benzekry et al. 2014).
            let exact = growth == .gompertz ? k * exp(log(v0 / k) * exp(-a * t)) : k / (1 + (k / v0 - 1) * exp(-a * t))
            #expect(isRelativelyClose(v, exact, tolerance: 1e-8), "\(growth) day \(t)")
        }
    }

    @Test(arguments: [TumourGrowth.Kill.logKill, .nortonSimon])
    func chemotherapyShrinksTheTumour(_ kill: TumourGrowth.Kill) throws {
        let model = TumourGrowth(growth: .gompertz, kill: kill)
        let untreated = try model.simulate(hours: 60 * 24, points: 61)
        let treated = try model.simulate(regimen: Regimen(parsing: "2000 mg iv over 1h q168h x8"), hours: 60 * 24, points: 61)
        let v0 = try #require(untreated.series("volume")), v1 = try #require(treated.series("volume"))
        #expect(v1.last! < v0.last!, "\(kill): treated \(v1.last!) vs untreated \(v0.last!)")
    }
}

@Suite struct HospitalFlowTests {
    @Test func seirConservesThePopulationAndFillsBeds() throws {
        let model = SEIRHospital()
        let p = model.typicalParameters
        let sim = try model.simulate(hours: 365 * 24, options: ODEOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-6), points: 366)
        #expect(sim.status == .success)
        // The derivatives sum to zero, so S + E + I + H + U + R + D = N throughout.
        for state in sim.states { #expect(isRelativelyClose(state.reduce(0, +), p[0], tolerance: 1e-10)) }
        let ward = try #require(sim.series("ward")), icu = try #require(sim.series("icu"))
        #expect(ward.max()! > 100 && icu.max()! > 10 && ward.min()! >= 0 && icu.min()! >= -1e-9)
        // R0 = β/γ = 2.5: the final size z solves z = 1 − e^(−R0·z) (Kermack and McKendrick 1927), ≈ 0.8931.
        let z = 1 - sim.states.last![0] / p[0]
        var zExact = 0.9
        for _ in 0..<200 { zExact = 1 - exp(-2.5 * zExact) }
        #expect(abs(z - zExact) < 1e-3, "attack rate \(z) vs final-size \(zExact)")
    }
}
