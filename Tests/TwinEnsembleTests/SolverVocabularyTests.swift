import Testing
import TwinEnsemble
import TwinODE
import TwinWorkloads

/// One vocabulary for both executors: the same algorithm values, the same options value checked by
/// the same routine, and typed errors for what only the lanes cannot do.
@Suite("Solver vocabulary: single and ensemble solves share algorithms and options")
struct SolverVocabularyTests {
    static func pk(count: Int) throws -> (EnsembleProblem<TwoCompartmentOral>, [Double]) {
        let which = EnsembleBenchmarkProblem.pk
        let rows = which.drawParameters(count: count, seed: 11)
        let np = which.parameterCount, y0 = which.initialState
        let problem = try EnsembleProblem(system: TwoCompartmentOral(), timeSpan: which.timeSpan, memberCount: count) { i, member in
            member.replace(initialState: y0, parameters: Array(rows[i * np ..< (i + 1) * np]), timeEvents: [])
        }
        return (problem, rows)
    }

    @Test("The ensemble rejects BDF with a typed error naming the methods it runs")
    func ensembleRejectsBDF() throws {
        let (problem, _) = try Self.pk(count: 2)
        var sink = DiscardingSink()
        #expect(throws: EnsembleError.unsupportedAlgorithm(name: "BDF", supported: ["tsit5", "dp5", "rodas4"])) {
            try problem.solve(using: .bdf, sink: &sink)
        }
        #expect(throws: EnsembleError.self) { try EnsembleAlgorithms.check(BDF(maxOrder: 2)) }
        try EnsembleAlgorithms.check(.rodas4)
        #expect(EnsembleAlgorithms.supported.map(\.identifier) == ["tsit5", "dp5", "rodas4"])
    }

    @Test("Algorithms are found by their identifier, the names the CLI takes")
    func algorithmsByIdentifier() {
        #expect(ODEAlgorithms.all.map(\.identifier) == ["tsit5", "dp5", "rodas4", "bdf"])
        #expect(ODEAlgorithms.named("Rodas4")?.name == "Rodas4")
        #expect(ODEAlgorithms.named("dp5")?.name == "DP5")
        #expect(ODEAlgorithms.named("radau") == nil)
    }

    @Test("Invalid options fail the same check in both executors: the ensemble wraps TwinODE's error")
    func sameValidationForBoth() throws {
        let (problem, rows) = try Self.pk(count: 2)
        let single = try ODEProblem(system: TwoCompartmentOral(), initialState: [100, 0, 0], timeSpan: (0, 48),
                                    parameters: Array(rows[0 ..< 5]))
        var sink = DiscardingSink()
        for bad in [ODEOptions(relativeTolerance: -1e-6, absoluteTolerance: 1e-9, save: .finalOnly, denseOutput: false),
                    ODEOptions(relativeTolerance: 0, absoluteTolerances: [1e-9, 0, 1e-9], save: .finalOnly, denseOutput: false),
                    ODEOptions(relativeTolerance: 1e-6, absoluteTolerances: [1e-9, 1e-9], save: .finalOnly, denseOutput: false),
                    ODEOptions(save: .finalOnly, denseOutput: false, maxStep: -1)] {
            var singleError: ODEError?
            do { _ = try single.solve(using: .tsit5, options: bad) } catch let error as ODEError { singleError = error }
            let expected = try #require(singleError, "the single solve must reject \(bad)")
            #expect(throws: EnsembleError.invalidOptions(expected)) {
                try problem.solve(options: EnsembleOptions(solver: bad), sink: &sink)
            }
        }
    }

    @Test("rtol = 0 with every atol > 0 (pure absolute control) is accepted by both, and they agree")
    func zeroRelativeToleranceIsAbsoluteControl() throws {
        let count = 9
        let (problem, rows) = try Self.pk(count: count)
        let options = ODEOptions(relativeTolerance: 0, absoluteTolerance: 1e-7, save: .finalOnly, denseOutput: false)
        var sink = EnsembleCollector()
        for algorithm in [Tsitouras5() as any ODEAlgorithm, Rodas4()] {
            let report = try problem.solve(using: algorithm, options: EnsembleOptions(solver: options), sink: &sink)
            #expect(report.solvedCount == count)
            for i in 0..<count {
                let single = try ODEProblem(system: TwoCompartmentOral(), initialState: [100, 0, 0], timeSpan: (0, 48),
                                            parameters: Array(rows[i * 5 ..< i * 5 + 5])).solve(using: algorithm, options: options)
                #expect(single.status == .success)
                let final = try #require(sink.finalState(of: i))
                let reference = try #require(single.states.last)
                // Both meet an absolute 1e-7 per step; over ~tens of steps the two (whose first steps
                // differ by LaneMath's 1e-7 in the initial-step estimate) stay within 100× of it.
                for k in 0..<3 { #expect(abs(final[k] - reference[k]) <= 1e-5, "\(algorithm.name) member \(i) state \(k)") }
            }
        }
    }

    @Test("Options the lanes cannot honour are rejected with a typed error, not ignored")
    func unsupportedOptionsAreRejected() throws {
        let (problem, _) = try Self.pk(count: 2)
        var sink = DiscardingSink()
        var options = EnsembleOptions()
        options.solver.save = .everyStep
        #expect { try problem.solve(options: options, sink: &sink) } throws: { error in
            guard case EnsembleError.unsupportedOption(name: "save", _)? = error as? EnsembleError else { return false }
            return true
        }
        options = EnsembleOptions()
        options.solver.fixedStep = 0.1
        #expect { try problem.solve(options: options, sink: &sink) } throws: { error in
            guard case EnsembleError.unsupportedOption(name: "fixedStep", _)? = error as? EnsembleError else { return false }
            return true
        }
        // The default single-solve options keep every step with dense output: the ensemble says so.
        #expect(throws: EnsembleError.self) { try problem.solve(options: EnsembleOptions(solver: ODEOptions()), sink: &sink) }
    }

    @Test("A Jacobian is analytic by being implemented: no flag, and a system without one is differenced in both executors")
    func jacobianPresenceIsItsReturnValue() throws {
        #expect(Robertson().providesJacobian)
        #expect(!RobertsonWithoutJacobian().providesJacobian)
        let single = try ODEProblem(system: RobertsonWithoutJacobian(), initialState: [1, 0, 0], timeSpan: (0, 40),
                                    parameters: Robertson.typicalParameters)
            .solve(using: .rodas4, options: ODEOptions(relativeTolerance: 1e-6, absoluteTolerances: [1e-8, 1e-14, 1e-8], save: .finalOnly))
        #expect(single.status == .success)
        #expect(single.statistics.jacobianEvaluations > 0)
    }
}
