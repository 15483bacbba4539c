import Testing
import TwinODE
import TwinWorkloads

/// Stiff test problems against reference end states computed offline by established solvers
/// (`Tests/Fixtures/ODE/make_references.py`: SciPy Radau/LSODA, SUNDIALS CVODE).
@Suite struct StiffReferenceTests {
    /// Weighted RMS error with weights atol + rtol·|reference|: ≤ 1 means "within rtol".
    static func weightedError(_ y: [Double], _ reference: [Double], rtol: Double, atol: Double) -> Double {
        var s = 0.0
        for (a, b) in zip(y, reference) { let r = (a - b) / (atol + rtol * abs(b)); s += r * r }
        return (s / Double(reference.count)).squareRoot()
    }

    static let stiffSolvers: [any ODEAlgorithm] = [Rodas4(), BDF()]

    @Test(arguments: ["Rodas4", "BDF"])
    func robertsonMatchesReferenceAt1e5And1e11(_ name: String) throws {
        let algorithm = Self.stiffSolvers.first { $0.name == name }!
        for (end, reference) in [(1e5, ODEReferenceValues.robertson1e5), (1e11, ODEReferenceValues.robertson1e11)] {
            let problem = try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, end), parameters: Robertson.typicalParameters)
            let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-14, save: .finalOnly))
            #expect(sol.status == .success, "\(name) to \(end): \(sol.status)")
            // Solved at rtol 1e-8: agree with the reference to 1e-5 relative (y₂ down to 1e-14 absolute).
            let error = Self.weightedError(sol.finalState, reference, rtol: 1e-5, atol: 1e-14)
            #expect(error <= 1, "\(name) to \(end): weighted error \(error), \(sol.finalState) vs \(reference)")
        }
    }

    @Test(arguments: ["Rodas4", "BDF"])
    func vanDerPolMatchesReference(_ name: String) throws {
        let algorithm = Self.stiffSolvers.first { $0.name == name }!
        let problem = try ODEProblem(system: VanDerPol(), initialState: [2, 0], timeSpan: (0, 3000), parameters: [1000])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10, save: .finalOnly))
        #expect(sol.status == .success, "\(name): \(sol.status)")
        // The phase along the limit cycle amplifies step errors (~1e3×, see the CVODE refinement in
        // references.json): agreement to 1e-4 relative at rtol 1e-8.
        let error = Self.weightedError(sol.finalState, ODEReferenceValues.vanDerPol3000, rtol: 1e-4, atol: 1e-8)
        #expect(error <= 1, "\(name): weighted error \(error), \(sol.finalState)")
    }

    @Test(arguments: ["Rodas4", "BDF"])
    func hiresMatchesReference(_ name: String) throws {
        let algorithm = Self.stiffSolvers.first { $0.name == name }!
        let problem = try ODEProblem(system: HIRES(), initialState: HIRES.initialState, timeSpan: (0, HIRES.end))
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-12, save: .finalOnly))
        #expect(sol.status == .success, "\(name): \(sol.status)")
        let error = Self.weightedError(sol.finalState, ODEReferenceValues.hires, rtol: 1e-5, atol: 1e-12)
        #expect(error <= 1, "\(name): weighted error \(error)")
    }

    @Test func finiteDifferenceJacobianGivesTheSameAnswerAsTheAnalyticOne() throws {
        for algorithm in Self.stiffSolvers {
            let problem = try ODEProblem(system: RobertsonWithoutJacobian(), initialState: [1, 0, 0], timeSpan: (0, 1e5), parameters: Robertson.typicalParameters)
            let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-14, save: .finalOnly))
            #expect(sol.status == .success)
            #expect(Self.weightedError(sol.finalState, ODEReferenceValues.robertson1e5, rtol: 1e-5, atol: 1e-14) <= 1, "\(algorithm.name)")
            #expect(sol.statistics.rightHandSideEvaluations > sol.statistics.jacobianEvaluations * 3)
        }
    }
}
