import Foundation
import Testing
@testable import TwinODE
import TwinWorkloads
import _TwinTestSupport

/// The empirical order of each method with fixed steps: halve h, fit the slope of log(error)
/// against log(h), expect the method's order within 0.2 (OrdinaryDiffEq's convergence tests).
@Suite struct ConvergenceOrderTests {
    /// Least-squares slope of log(errors) against log(steps).
    static func slope(_ steps: [Double], _ errors: [Double]) -> Double {
        let x = steps.map(log), y = errors.map(log)
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxy / sxx
    }

    /// Error at t = 2 of the harmonic oscillator (ω = 1) with fixed steps 2/N.
    static func endError(_ algorithm: some ODEAlgorithm, steps: Int) throws -> Double {
        let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, 2), parameters: [1])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(save: .finalOnly, denseOutput: false, fixedStep: 2 / Double(steps)))
        #expect(sol.status == .success)
        #expect(sol.statistics.acceptedSteps == steps)
        return hypot(sol.finalState[0] - cos(2.0), sol.finalState[1] + sin(2.0))
    }

    @Test func dormandPrinceAndTsitourasAreFifthOrder() throws {
        for algorithm in [DormandPrince5() as any ODEAlgorithm, Tsitouras5()] {
            let ns = [8, 16, 32, 64]
            let errors = try ns.map { try Self.endError(algorithm, steps: $0) }
            let order = Self.slope(ns.map { 2 / Double($0) }, errors)
            #expect(abs(order - 5) <= 0.2, "\(algorithm.name): order \(order), errors \(errors)")
        }
    }

    @Test func rodas4IsFourthOrder() throws {
        let ns = [16, 32, 64, 128]
        let errors = try ns.map { try Self.endError(Rodas4(), steps: $0) }
        let order = Self.slope(ns.map { 2 / Double($0) }, errors)
        #expect(abs(order - 4) <= 0.2, "Rodas4: order \(order), errors \(errors)")
    }

    @Test(arguments: 1...5)
    func bdfOfOrderKIsKthOrder(_ k: Int) throws {
        // Fixed order k and fixed step h, started from exact past values y(−jh), j = 0 … k, so that
        // no start-up phase at lower order pollutes the measurement.
        let ns = k >= 4 ? [40, 80, 160, 320] : [20, 40, 80, 160]
        var errors: [Double] = []
        for n in ns {
            let h = 2 / Double(n)
            let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, 2), parameters: [1])
            let options = ODEOptions(save: .finalOnly, denseOutput: false, fixedStep: h)
            let history = (0...k).map { j -> [Double] in let t = -Double(j) * h; return [cos(t), -sin(t)] }
            let context = SolverContext(problem: problem, options: options)
            let stepper = BDFStepper(context: context, maxOrder: k, options: options, t0: 0, y0: [1, 0], tEnd: 2, startingHistory: history)
            while stepper.t < 2 {
                #expect(stepper.step(limit: 2) == nil)
            }
            errors.append(hypot(stepper.y[0] - cos(2.0), stepper.y[1] + sin(2.0)))
        }
        let order = Self.slope(ns.map { 2 / Double($0) }, errors)
        #expect(abs(order - Double(k)) <= 0.2, "BDF\(k): order \(order), errors \(errors)")
    }

    @Test(arguments: ["DP5", "Tsit5", "Rodas4", "BDF"])
    func adaptiveErrorShrinksWithTolerance(_ name: String) throws {
        let algorithm: any ODEAlgorithm = [DormandPrince5(), Tsitouras5(), Rodas4(), BDF()].first { $0.name == name }!
        // y′ = −0.7 y on [0, 10]; the global error must fall as rtol falls by 100×.
        var previous = Double.infinity
        for rtol in [1e-4, 1e-6, 1e-8] {
            let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 10), parameters: [0.7])
            let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: rtol, absoluteTolerance: rtol * 1e-3, save: .finalOnly))
            let error = abs(sol.finalState[0] - exp(-7.0)) / exp(-7.0)
            #expect(error < previous, "\(name) rtol \(rtol): \(error) not below \(previous)")
            #expect(error < 100 * rtol, "\(name) rtol \(rtol): error \(error)")
            previous = error
        }
    }
}
