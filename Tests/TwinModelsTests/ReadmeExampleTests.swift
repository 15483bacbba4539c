import Testing
import TwinData
import TwinLinearAlgebra
import TwinModels
import TwinODE
import TwinWorkloads

/// The README's "API in a few lines" compiles and runs as written (with the umbrella's modules).
@Suite struct ReadmeExampleTests {
    @Test func readmeSnippetRuns() throws {
        let regimen = try Regimen(parsing: "100 mg po q12h x5")                          // TwinData
        let sim = try TwoCompartmentPK().simulate(regimen: regimen, hours: 72)           // TwinModels → TwinODE (Tsit5)
        #expect(sim.status == .success)
        #expect(!sim.outputs.isEmpty && sim.values.count == sim.times.count)
        let problem = try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, 1e5), parameters: [0.04, 3e7, 1e4])
        let sol = try problem.solve(using: .rodas4, options: ODEOptions(relativeTolerance: 1e-8))   // any ODESystem, stiff or not
        #expect(sol.status == .success)
        let x = try LUFactorization(Matrix<Double>(rows: [[4, 1], [1, 3]])).solve([1, 2])          // OpenBLAS/LAPACK underneath
        // [[4, 1], [1, 3]]·x = [1, 2] ⇒ x = [1/11, 7/11] by Cramer's rule.
        #expect(abs(x[0] - 1.0 / 11) < 1e-15 && abs(x[1] - 7.0 / 11) < 1e-15)
    }
}
