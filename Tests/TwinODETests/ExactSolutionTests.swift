import Foundation
import Testing
import TwinLinearAlgebra
import TwinODE
import TwinWorkloads
import _TwinTestSupport

/// Problems with closed-form solutions, solved adaptively by every algorithm.
@Suite struct ExactSolutionTests {
    static let algorithms: [any ODEAlgorithm] = [DormandPrince5(), Tsitouras5(), Rodas4(), BDF()]

    @Test(arguments: algorithms.map(\.name))
    func exponentialDecayMatchesClosedForm(_ name: String) throws {
        let algorithm = Self.algorithms.first { $0.name == name }!
        // y′ = −0.7·y, y(0) = 2: y(t) = 2·e^(−0.7t) exactly.
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [2], timeSpan: (0, 10), parameters: [0.7])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(sol.status == .success)
        for (t, y) in zip(sol.times, sol.states) {
            // Global error stays within a modest multiple of the tolerance (rtol 1e-10).
            #expect(isClose(y[0], 2 * exp(-0.7 * t), tolerance: 1e-8), "\(name) t=\(t)")
        }
        #expect(sol.finalTime == 10)
    }

    @Test(arguments: ["DP5", "Tsit5"])
    func harmonicOscillatorStaysInPhaseOverManyPeriods(_ name: String) throws {
        let algorithm = Self.algorithms.first { $0.name == name }!
        // ω = 2: y = (cos 2t, −2 sin 2t); 20 periods (period π).
        let end = 20 * Double.pi
        let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, end), parameters: [2])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, save: .finalOnly))
        #expect(sol.status == .success)
        // Phase and amplitude errors accumulate linearly in time: 20 periods at rtol 1e-10 stay below 1e-7.
        #expect(abs(sol.finalState[0] - cos(2 * end)) < 1e-7)
        #expect(abs(sol.finalState[1] + 2 * sin(2 * end)) < 2e-7)
    }

    @Test(arguments: algorithms.map(\.name))
    func linearSystemMatchesMatrixExponential(_ name: String) throws {
        let algorithm = Self.algorithms.first { $0.name == name }!
        // A = −(M·Mᵀ + I)/2 for a random M: symmetric negative definite, eigenvalues spread over a
        // decade. Exact: y(t) = V·diag(e^(λt))·Vᵀ·y₀ from the eigendecomposition A = V Λ Vᵀ.
        let n = 5
        var a = LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 3).gram()
        for i in 0..<n { a[i, i] += 1 }
        a = a * -0.5
        let eig = try SymmetricEigendecomposition(a)
        let y0: [Double] = [1, -1, 0.5, 2, 0]
        let t = 3.0
        let v = eig.eigenvectors
        let coefficients = try v.multiplied(by: y0, transposingSelf: true)
        let scaled = zip(coefficients, eig.eigenvalues).map { $0 * exp($1 * t) }
        let exact = try v * scaled
        let problem = try ODEProblem(system: LinearSystem(columnMajor: a.elements, order: n), initialState: y0, timeSpan: (0, t))
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, save: .finalOnly))
        #expect(sol.status == .success)
        #expect(relativeError(sol.finalState, exact) < 1e-8, "\(name): \(sol.finalState) vs \(exact)")
    }
}
