import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

@Suite struct PharmacodynamicTests {
    /// A constant concentration: the central compartment starts at Css·V and an infusion of
    /// CL·Css replaces what is cleared, so C(t) = Css exactly.
    func constantConcentrationProblem<M: PhysiologicalModel>(_ model: M, css: Double, response: Double?) throws -> ODEProblem<M> {
        let p = model.typicalParameters
        var y0 = model.initialState(parameters: p)
        y0[1] = css * p[2]
        if let response { y0[2] = response }
        let rate = p[1] * css
        return try model.problem(regimen: Regimen(parsing: "basal \(rate) mg/h"), hours: 120, initialState: y0)
    }

    @Test(arguments: IndirectResponse.Kind.allCases)
    func indirectResponsesApproachTheirClosedFormSteadyStates(_ kind: IndirectResponse.Kind) throws {
        let model = IndirectResponse(kind)
        let p = model.typicalParameters
        let (kin, kout, m, c50) = (p[5], p[6], p[7], p[8])
        let css = 5.0
        let drug = m * css / (c50 + css)
        // Dayneka, Garg and Jusko (1993): at constant C each model is linear in R with rate k and
        // steady state R_ss, so R(t) = R_ss + (R0 − R_ss)·e^(−kt) from R0 = kin/kout.
        let (k, rss): (Double, Double)
        switch kind {
        case .inhibitProduction: (k, rss) = (kout, kin * (1 - drug) / kout)
        case .inhibitLoss: (k, rss) = (kout * (1 - drug), kin / (kout * (1 - drug)))
        case .stimulateProduction: (k, rss) = (kout, kin * (1 + drug) / kout)
        case .stimulateLoss: (k, rss) = (kout * (1 + drug), kin / (kout * (1 + drug)))
        }
        let r0 = kin / kout
        let sol = try constantConcentrationProblem(model, css: css, response: nil).solve(using: .tsit5, options: tight)
        for t in [0.5, 2, 5, 12, 24, 48.0] {
            let y = try #require(sol(t))
            let out = model.observe(time: t, state: y, parameters: p)
            #expect(isRelativelyClose(out[0], css, tolerance: 1e-10))
            #expect(isRelativelyClose(out[1], rss + (r0 - rss) * exp(-k * t), tolerance: 1e-8), "\(kind) t = \(t)")
        }
        // After 120 h (≥ 30 time constants) the response is at its steady state.
        let end = try #require(sol(120))
        #expect(isRelativelyClose(end[2], rss, tolerance: 1e-8), "\(kind): R(120 h) = \(end[2]), R_ss = \(rss)")
        // Without drug the response rests at R0 = kin/kout.
        let rest = try model.problem(hours: 48).solve(using: .tsit5, options: tight)
        #expect(isRelativelyClose(rest.finalState[2], r0, tolerance: 1e-12))
    }

    @Test func effectCompartmentLagsAndEmaxSaturates() throws {
        let model = EffectCompartmentEmax()
        let p = model.typicalParameters
        let css = p[8]   // EC50: the direct effect is E0 + Emax/2
        let sol = try constantConcentrationProblem(model, css: css, response: 0).solve(using: .tsit5, options: tight)
        for t in [0.5, 1, 3, 8, 24.0] {
            let y = try #require(sol(t))
            let out = model.observe(time: t, state: y, parameters: p)
            // Ce′ = keo(C − Ce) at constant C: Ce = C(1 − e^(−keo t)) (Sheiner et al. 1979).
            let ce = css * (1 - exp(-p[5] * t))
            #expect(isRelativelyClose(out[1], ce, tolerance: 1e-8), "t = \(t)")
            #expect(isRelativelyClose(out[2], p[6] + p[7] / 2, tolerance: 1e-10))
            let expected = p[6] + p[7] * pow(ce, p[9]) / (pow(p[8], p[9]) + pow(ce, p[9]))
            #expect(isRelativelyClose(out[3], expected, tolerance: 1e-7))
        }
    }
}
