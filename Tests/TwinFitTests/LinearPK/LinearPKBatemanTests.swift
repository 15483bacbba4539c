import Foundation
import Testing
import TwinFit
import _TwinTestSupport

@Suite("Closed-form linear PK: one compartment, first-order absorption")
struct LinearPKBatemanTests {
    let model: LinearPKModel

    init() throws { model = try LinearPKModel(compartments: 1) }

    @Test func oralSingleDoseIsTheBatemanFunction() throws {
        let (ka, cl, v, f) = (1.2, 3.0, 30.0, 0.8)
        let dose = 320.0
        let times: [Double] = [0, 0.25, 0.5, 1, 2, 4, 8, 12, 24, 48]
        let c = try LinearPKFixture.values(model, times, [try LinearPKDose(time: 0, amount: dose)], [ka, cl, v, f, 0])
        let k = cl / v
        for (t, value) in zip(times, c) {
            // Bateman function (Gibaldi & Perrier 1982, ch. 1): C = F·D·ka/(V(ka − k))·(e^(−kt) − e^(−ka t)).
            let exact = f * dose * ka / (v * (ka - k)) * (exp(-k * t) - exp(-ka * t))
            // ka/k = 12, so the textbook form has no cancellation: rounding-level agreement.
            #expect(abs(value - exact) <= 1e-13 * max(abs(exact), 1), "t = \(t)")
        }
    }

    @Test func lagTimeShiftsTheCurveAndNothingArrivesBeforeIt() throws {
        let p = LinearPKFixture.oneCompartment            // tlag = 0.4 h
        var noLag = p
        noLag[4] = 0
        let doses = [try LinearPKDose(time: 1, amount: 100)]
        let shifted = try LinearPKFixture.values(model, [1.2, 1.4, 3.4, 10.4], doses, p)
        let plain = try LinearPKFixture.values(model, [0, 1.0, 3.0, 10.0], doses, noLag)
        // Superposition truth: C_lag(t) = C_0(t − tlag); zero before the lagged start.
        #expect(shifted[0] == 0)
        for i in 1..<4 { #expect(isRelativelyClose(shifted[i], plain[i], tolerance: 1e-13)) }
    }

    @Test func equalAbsorptionAndEliminationRatesGiveTheLimitForm() throws {
        // ka = k = 0.1/h: the limit of the Bateman function, C = F·D·k·t·e^(−kt)/V (l'Hôpital).
        let p: [Double] = [0.1, 3, 30, 1, 0]
        let times: [Double] = [0.5, 2, 10, 30, 100]
        let c = try LinearPKFixture.values(model, times, [try LinearPKDose(time: 0, amount: 100)], p)
        for (t, value) in zip(times, c) {
            let exact = 100 * 0.1 * t * exp(-0.1 * t) / 30
            #expect(isRelativelyClose(value, exact, tolerance: 1e-14), "t = \(t)")
        }
    }

    @Test func nearEqualRatesAreContinuousAcrossTheSeriesThreshold() throws {
        // k = 0.1/h, t = 10 h: the series / difference switch is at |ka − k|·t/2 = 0.5, i.e. ka = 0.2.
        let times: [Double] = [10]
        let doses = [try LinearPKDose(time: 0, amount: 100)]
        let below: [Double] = [0.2 - 1e-12, 3, 30, 1, 0], above: [Double] = [0.2 + 1e-12, 3, 30, 1, 0]
        let cb = try LinearPKFixture.values(model, times, doses, below)[0]
        let ca = try LinearPKFixture.values(model, times, doses, above)[0]
        let gb = try LinearPKFixture.gradient(model, times, doses, below)
        let ga = try LinearPKFixture.gradient(model, times, doses, above)
        // Truth: C is smooth in ka, so C(ka + 1e-12) − C(ka − 1e-12) = ∂C/∂ka·2e-12 up to
        // O(1e-22); both branches carry ~1e-15 relative rounding. The gradients move by
        // ∂²C/∂ka∂p·2e-12 ≈ 1e-10 at most (C/ka² ≈ 55), so they agree to 1e-9.
        #expect(abs((ca - cb) - gb[0] * 2e-12) <= 1e-14 * abs(cb))
        for j in 0..<5 { #expect(isClose(ga[j], gb[j], tolerance: 1e-9), "parameter \(j)") }
        // The Bateman textbook form away from cancellation (ka − k = 0.1) as an independent check.
        let exact = 100 * 0.2 / (30 * 0.1) * (exp(-1.0) - exp(-2.0))
        #expect(isRelativelyClose(cb, exact, tolerance: 1e-8))
    }

    @Test func orderOfTimesAndDosesDoesNotMatter() throws {
        // Superposition is a sum over doses evaluated per time: any order gives the same numbers.
        let doses = try LinearPKFixture.mixedDoses()
        let times: [Double] = [1, 4, 9, 13.5, 20]
        let p = LinearPKFixture.oneCompartment
        let forward = try LinearPKFixture.gradient(model, times, doses, p)
        let backward = try LinearPKFixture.gradient(model, times.reversed(), doses.reversed(), p)
        for i in times.indices {
            for j in 0..<5 {
                #expect(isClose(forward[i * 5 + j], backward[(times.count - 1 - i) * 5 + j], tolerance: 1e-14))
            }
        }
    }
}
