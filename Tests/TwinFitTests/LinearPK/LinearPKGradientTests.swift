import Testing
import TwinFit

/// Analytic gradients against central finite differences of the closed-form values.
@Suite("Closed-form linear PK gradients")
struct LinearPKGradientTests {
    /// Times at least 0.05 h from every (lagged) dose start and infusion end of the doses used,
    /// so that the central differences (steps ≤ 1e-4) straddle no kink.
    static let times: [Double] = [0.7, 1.5, 3.2, 5.5, 6.3, 8.4, 9.5, 11, 12.9, 13.6, 16, 20, 30]

    /// |analytic − FD| ≤ 1e-6·max(|FD|, 1e-3·max|column|): the FD error is ≈ 2e-10 relative
    /// (rounding / 1e-6 step) plus O(h²); the floor covers entries that cross zero.
    func expectGradient(_ model: LinearPKModel, doses: [LinearPKDose], p: [Double], times: [Double] = Self.times) throws {
        let g = try LinearPKFixture.gradient(model, times, doses, p)
        let fd = try LinearPKFixture.finiteDifferences(model, times, doses, p)
        let names = model.parameterNames
        for j in p.indices {
            let column = times.indices.map { abs(fd[$0 * p.count + j]) }.max() ?? 0
            for i in times.indices {
                let (a, b) = (g[i * p.count + j], fd[i * p.count + j])
                #expect(abs(a - b) <= 1e-6 * max(abs(b), 1e-3 * column),
                        "\(model.compartments)-cmt ∂C/∂\(names[j]) at t = \(times[i]): \(a) vs FD \(b)")
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func mixedDoseGradientsMatchFiniteDifferences(compartments: Int) throws {
        let model = try LinearPKModel(compartments: compartments)
        try expectGradient(model, doses: try LinearPKFixture.mixedDoses(), p: LinearPKFixture.parameters(compartments: compartments))
    }

    @Test(arguments: [1, 2, 3])
    func steadyStateGradientsMatchFiniteDifferences(compartments: Int) throws {
        let model = try LinearPKModel(compartments: compartments)
        // Oral q12h with the model's lag, a 2-h depot input q24h, an additive 1-h IV infusion q8h
        // and an IV bolus q6h: every steady-state kernel, some evaluated before their lagged start.
        let doses = [try LinearPKDose(time: 0, amount: 100, steadyStateInterval: 12),
                     try LinearPKDose(time: 4, amount: 50, duration: 2, steadyStateInterval: 24, resetsToSteadyState: false),
                     try LinearPKDose(time: 7, amount: 60, target: .central, duration: 1, steadyStateInterval: 8, resetsToSteadyState: false),
                     try LinearPKDose(time: 12.5, amount: 30, target: .central, steadyStateInterval: 6, resetsToSteadyState: false)]
        try expectGradient(model, doses: doses, p: LinearPKFixture.parameters(compartments: compartments),
                           times: [0.2, 0.5, 3, 4.2, 5.5, 7.5, 8.3, 11, 12.6, 15, 30])
    }

    @Test func gradientAtEqualAbsorptionAndEliminationRates() throws {
        // ka = CL/V exactly: the limit form, differentiable like any other point.
        let model = try LinearPKModel(compartments: 1)
        try expectGradient(model, doses: try LinearPKFixture.mixedDoses(), p: [0.1, 3, 30, 0.8, 0.4])
    }

    @Test func gradientWhenAbsorptionMeetsADispositionRate() throws {
        // Two compartments with ka set to β (computed from the closed form of the roots).
        let (k10, k12, k21) = (4.0 / 20, 6.0 / 20, 6.0 / 40)
        let s = k10 + k12 + k21
        let beta = (s - (s * s - 4 * k10 * k21).squareRoot()) / 2
        let model = try LinearPKModel(compartments: 2)
        try expectGradient(model, doses: try LinearPKFixture.mixedDoses(), p: [beta, 4, 20, 6, 40, 0.7, 0.3])
    }

    @Test func gradientAtTheLaggedStartIsTheRightHandDerivative() throws {
        // At t = tlag exactly, ∂C/∂tlag = −dC/dt from the right: for an oral dose
        // −F·D·ka/V (the initial slope of the Bateman function, Gibaldi & Perrier 1982 ch. 1).
        let model = try LinearPKModel(compartments: 1)
        let p: [Double] = [1.2, 3, 30, 0.8, 0.4]
        let g = try LinearPKFixture.gradient(model, [0.4], [try LinearPKDose(time: 0, amount: 100)], p)
        #expect(abs(g[4] - -(0.8 * 100 * 1.2 / 30)) <= 1e-14)
    }
}
