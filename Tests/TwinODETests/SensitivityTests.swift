import Foundation
import Testing
import TwinODE
import TwinWorkloads
import _TwinTestSupport

@Suite struct SensitivityTests {
    @Test(arguments: ["Tsit5", "Rodas4", "BDF"])
    func exponentialDecaySensitivityMatchesClosedForm(_ name: String) throws {
        let algorithm: any ODEAlgorithm = [Tsitouras5() as any ODEAlgorithm, Rodas4(), BDF()].first { $0.name == name }!
        // y = 2e^(−kt) ⇒ ∂y/∂k = −2t·e^(−kt).
        let k = 0.7
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [2], timeSpan: (0, 3), parameters: [k])
        let result = try problem.solveWithSensitivities(using: algorithm, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(result.solution.status == .success)
        #expect(result.solution.stateCount == 1)
        for (t, s) in zip(result.solution.times, result.sensitivities) where t > 0 {
            #expect(isRelativelyClose(s[0][0], -2 * t * exp(-k * t), tolerance: 1e-7), "\(name) t=\(t)")
        }
        #expect(isRelativelyClose(result.finalSensitivities[0][0], -6 * exp(-3 * k), tolerance: 1e-7))
    }

    @Test func pkSensitivitiesMatchCentralFiniteDifferences() throws {
        // ∂(central amount)/∂p for all five PK parameters with 3 doses, against central
        // differences of tight-tolerance solves, δ = 1e-4·p (truncation error ~δ² ≈ 1e-8 relative).
        let p = TwoCompartmentOral.typicalParameters
        let doses = [0.0, 12, 24].map { TimeEvent(time: $0, action: .addToState(state: 0, amount: 100)) }
        func problem(_ params: [Double]) throws -> ODEProblem<TwoCompartmentOral> {
            try ODEProblem(system: TwoCompartmentOral(), initialState: [0, 0, 0], timeSpan: (0, 36), parameters: params, timeEvents: doses)
        }
        let options = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-12, save: .times([6, 18, 30, 36]))
        let result = try problem(p).solveWithSensitivities(using: .tsit5, options: options)
        #expect(result.sensitivities.count == 4)
        for j in 0..<5 {
            let delta = 1e-4 * p[j]
            var up = p, down = p
            up[j] += delta
            down[j] -= delta
            let solUp = try problem(up).solve(using: .tsit5, options: options)
            let solDown = try problem(down).solve(using: .tsit5, options: options)
            for s in 0..<4 {
                for i in 0..<3 {
                    let fd = (solUp.state(at: s)[i] - solDown.state(at: s)[i]) / (2 * delta)
                    let exact = result.sensitivities[s][i][j]
                    #expect(abs(exact - fd) <= 1e-5 * max(abs(fd), 1e-3), "∂y\(i)/∂p\(j) at save \(s): \(exact) vs \(fd)")
                }
            }
        }
    }

    @Test func tooManyOrUnknownParametersAreRejected() throws {
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [2], timeSpan: (0, 3), parameters: [0.7])
        #expect(throws: ODEError.self) { try problem.solveWithSensitivities(using: .tsit5, parameters: [1]) }
    }

    @Test func dualNumbersDifferentiateElementaryFunctions() {
        // d/dx [x·e^x + log x + √x + x^2.5 + tanh x] at x = 1.3, by hand.
        let x = Dual(1.3, seed: 0)
        let f = x * Dual.exp(x) + Dual.log(x) + Dual.sqrt(x) + Dual.pow(x, Dual(2.5)) + Dual.tanh(x)
        let v = 1.3
        let expected = exp(v) * (1 + v) + 1 / v + 0.5 / v.squareRoot() + 2.5 * pow(v, 1.5) + (1 - tanh(v) * tanh(v))
        #expect(isRelativelyClose(f.partials[0], expected, tolerance: 1e-14))
        #expect(Dual.pow(x, 3).partials[0] == 3 * v * v)
        #expect((Dual(1) / x).partials[0] == -1 / (v * v))
    }
}
