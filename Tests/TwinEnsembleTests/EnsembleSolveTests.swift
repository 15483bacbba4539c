import Testing
import TwinEnsemble
import TwinODE
import TwinWorkloads

@Suite("Ensemble solve: members equal single-trajectory solves")
struct EnsembleSolveTests {
    static func problem(_ which: EnsembleBenchmarkProblem, count: Int, output: EnsembleOutput = .finalState) throws -> (EnsembleProblem<TwoCompartmentOral>, [Double]) {
        let rows = which.drawParameters(count: count, seed: 7)
        let np = which.parameterCount
        let y0 = which.initialState
        let problem = try EnsembleProblem(system: TwoCompartmentOral(), timeSpan: which.timeSpan, memberCount: count, output: output) { i, member in
            member.replace(initialState: y0, parameters: Array(rows[i * np ..< (i + 1) * np]), timeEvents: [])
        }
        return (problem, rows)
    }

    @Test("pk members match TwinODE's Tsit5 solve of the same patient within the tolerance")
    func pkMembersMatchSingleSolves() throws {
        let (problem, rows) = try Self.problem(.pk, count: 37)
        var sink = EnsembleCollector()
        let report = try problem.solve(using: .tsit5, options: EnsembleOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-9), sink: &sink)
        #expect(report.solvedCount == 37)
        for i in 0..<37 {
            let single = try ODEProblem(system: TwoCompartmentOral(), initialState: [100, 0, 0], timeSpan: (0, 48),
                                        parameters: Array(rows[i * 5 ..< i * 5 + 5]))
                .solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-9, save: .finalOnly))
            let final = try #require(sink.finalState(of: i))
            for k in 0..<3 {
                #expect(abs(final[k] - single.states.last![k]) <= 1e-5 * abs(single.states.last![k]) + 1e-8, "member \(i) state \(k)")
            }
        }
        print("steps/member", report.stepsPerMember)
    }
}
