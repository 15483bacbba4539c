import Foundation
import Testing
import TwinODE
import TwinWorkloads
import _TwinTestSupport

/// Dense output is a polynomial per step of the method's interpolation order p: evaluated
/// between mesh points its error is O(hᵖ⁺¹); halving h must divide it by about 2ᵖ⁺¹.
@Suite struct DenseOutputTests {
    /// Largest dense-output error at the quarter and three-quarter points of every step, fixed step h.
    static func denseError(_ algorithm: some ODEAlgorithm, steps: Int) throws -> Double {
        let h = 2 / Double(steps)
        let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, 2), parameters: [1])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(fixedStep: h))
        var worst = 0.0
        for k in 0..<steps {
            for fraction in [0.25, 0.75] {
                let t = (Double(k) + fraction) * h
                let y = try #require(sol(t))
                worst = max(worst, hypot(y[0] - cos(t), y[1] + sin(t)))
            }
        }
        return worst
    }

    @Test(arguments: [("DP5", 4.0), ("Tsit5", 4.0), ("Rodas4", 3.0)])
    func denseOutputConvergesAtTheInterpolationOrder(_ name: String, _ interpolationOrder: Double) throws {
        let algorithm: any ODEAlgorithm = [DormandPrince5(), Tsitouras5(), Rodas4()].first { $0.name == name }!
        let ns = [16, 32, 64]
        let errors = try ns.map { try Self.denseError(algorithm, steps: $0) }
        let order = ConvergenceOrderTests.slope(ns.map { 2 / Double($0) }, errors)
        // Local interpolation error O(h^(p+1)) (the global error of these methods is smaller).
        #expect(order >= interpolationOrder + 1 - 0.2, "\(name): dense order \(order), errors \(errors)")
    }

    @Test func denseOutputIsContinuousAndMatchesSavedStates() throws {
        let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, 5), parameters: [1])
        for algorithm in [Tsitouras5() as any ODEAlgorithm, Rodas4(), BDF()] {
            let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
            for (t, y) in zip(sol.times, sol.states) {
                let interpolated = try #require(sol(t))
                #expect(relativeError(interpolated, y) < 1e-12, "\(algorithm.name) at \(t)")
            }
            // Between steps the dense output is as accurate as the solution (rtol 1e-8).
            let y = try #require(sol(2.345))
            #expect(abs(y[0] - cos(2.345)) < 1e-6, "\(algorithm.name)")
            #expect(sol(5.5) == nil)
        }
    }

    @Test func saveTimesAreInterpolatedExactlyWhereAsked() throws {
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 10), parameters: [0.3])
        let times: [Double] = [0, 0.5, 1, 2.25, 7, 10]
        let sol = try problem.solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-12, save: .times(times)))
        #expect(sol.times == times)
        for (t, y) in zip(sol.times, sol.states) { #expect(isClose(y[0], exp(-0.3 * t), tolerance: 1e-8)) }
    }
}
