import Testing
import TwinEnsemble
import TwinODE
import TwinWorkloads

/// The lane engine's step floor, initial step and differenced Jacobians are relative to the
/// problem, as TwinODE's (issue 12).
@Suite struct EnsembleRelativeScaleTests {
    /// Per-component absolute tolerances rtol·(1e-14, 1e-18, 1e-6), as issue 12 sets them.
    static func bariOptions(_ rtol: Double) -> EnsembleOptions {
        EnsembleOptions(relativeTolerance: rtol, absoluteTolerances: [rtol * 1e-14, rtol * 1e-18, rtol * 1e-6])
    }

    /// Solves `count` members with the typical parameters on [0, end]; the report and the sink.
    static func solve<S: ODESystem>(_ system: S, count: Int, end: Double, options: EnsembleOptions,
                                    strategy: EnsembleStrategy = .serial,
                                    parameters: @escaping @Sendable (Int) -> [Double] = { _ in Robertson.typicalParameters })
        throws -> (EnsembleReport, EnsembleCollector) {
        let problem = try EnsembleProblem(system: system, timeSpan: (0, end), memberCount: count) { i, member in
            member.replace(initialState: [1, 0, 0], parameters: parameters(i), timeEvents: [])
        }
        var sink = EnsembleCollector()
        let report = try problem.solve(using: .rodas4, options: options, strategy: strategy, sink: &sink)
        return (report, sink)
    }

    @Test("Rodas4 lanes solve Robertson with per-component tolerances down to 1e-28 from t = 0 and match the Bari reference at 1e11, analytic and differenced Jacobians alike",
          arguments: [1e-6, 1e-10])
    func robertsonWithBariTolerancesInLanes(_ rtol: Double) throws {
        // rtol 1e-10 takes ~12 000 Rodas4 steps per member: about 10 s of one core in a debug build.
        try Self.checkRobertsonInLanes(rtol)
    }

    static func checkRobertsonInLanes(_ rtol: Double) throws {
        // 3 members in lanes of 2 (kept small: a debug build runs lanes slowly): the last one rides
        // with an idle lane. (Lane width does not change the bits: see the test below.)
        var options = Self.bariOptions(rtol)
        options.laneWidth = 2
        let (analyticReport, analytic) = try Self.solve(Robertson(), count: 3, end: 1e11, options: options)
        let (differencedReport, differenced) = try Self.solve(RobertsonWithoutJacobian(), count: 3, end: 1e11, options: options)
        // 1e-3 relative at rtol 1e-6, 1e-6 at rtol 1e-10 (issue 12); y₂ with an absolute floor of 1e-12·max|y|.
        let relative = rtol >= 1e-6 ? 1e-3 : 1e-6
        for (sink, kind) in [(analytic, "analytic"), (differenced, "differenced")] {
            for i in 0..<3 {
                #expect(sink.status(of: i) == .solved, "\(kind) member \(i): \(String(describing: sink.status(of: i)))")
                let y = try #require(sink.finalState(of: i))
                let floorY2 = 1e-12 * (y.map(abs).max() ?? 1)
                for k in 0..<3 {
                    let allowed = k == 1 ? max(relative * BariReferenceValues.rober1e11[k], floorY2) : relative * BariReferenceValues.rober1e11[k]
                    #expect(abs(y[k] - BariReferenceValues.rober1e11[k]) <= allowed, "rtol \(rtol) \(kind) member \(i) y\(k + 1) = \(y[k])")
                }
            }
        }
        print("lanes rtol \(rtol): steps per member analytic J \(analyticReport.stepsPerMember), differenced J \(differencedReport.stepsPerMember)")
        #expect(differencedReport.totalSteps <= 2 * analyticReport.totalSteps,
                "\(differencedReport.totalSteps) steps with a differenced J, \(analyticReport.totalSteps) with the analytic one")
    }

    @Test("Differenced-Jacobian Rodas4 lanes give the same bits for 1 and 2 threads and lane widths 8, 4 and 2")
    func differencedLanesAreBitIdenticalAcrossThreadsAndWidths() throws {
        let rows = EnsembleBenchmarkProblem.rober.drawParameters(count: 24, seed: 11)
        func run(threads: Int, lanes: Int) throws -> [[Double]] {
            var options = Self.bariOptions(1e-6)
            options.laneWidth = lanes
            options.chunkSize = 8
            let (_, sink) = try Self.solve(RobertsonWithoutJacobian(), count: 24, end: 1e5, options: options,
                                           strategy: threads > 1 ? .threads(threads) : .serial) { i in Array(rows[i * 3 ..< i * 3 + 3]) }
            return (0..<24).map { sink.finalState(of: $0) ?? [] }
        }
        let reference = try run(threads: 1, lanes: 8)
        #expect(reference.allSatisfy { $0.count == 3 })
        for (threads, lanes) in [(2, 8), (1, 4), (2, 2)] {
            #expect(try run(threads: threads, lanes: lanes) == reference, "\(threads) threads, \(lanes) lanes")
        }
    }

    @Test("Per-state absolute tolerances are validated like ODEOptions': one per state or one for all, each ≥ 0 and finite")
    func perStateTolerancesAreValidated() throws {
        let problem = try EnsembleProblem(system: Robertson(), timeSpan: (0, 1), memberCount: 1) { _, member in
            member.replace(initialState: [1, 0, 0], parameters: Robertson.typicalParameters, timeEvents: [])
        }
        var sink = DiscardingSink()
        #expect(throws: EnsembleError.self) {
            try problem.solve(using: .rodas4, options: EnsembleOptions(absoluteTolerances: [1e-9, 1e-9]), sink: &sink)
        }
        #expect(throws: EnsembleError.self) {
            try problem.solve(using: .rodas4, options: EnsembleOptions(absoluteTolerances: [1e-9, -1, 1e-9]), sink: &sink)
        }
        let report = try problem.solve(using: .rodas4, options: EnsembleOptions(absoluteTolerances: [1e-12, 1e-16, 1e-8]), sink: &sink)
        #expect(report.solvedCount == 1)
    }

    @Test("A member on a 1e-16 time axis is solved, not skipped as already finished")
    func shortSpanIsSolvedInLanes() throws {
        // y′ = −k·y, k = 1e17 on [0, 1e-16]: y(end) = e⁻¹⁰ (closed form). The old lane floor
        // 4ε·max(|t|, 1) ≈ 9e-16 exceeded the span, so a lane "landed" at once with y = 1.
        let k = 1e17
        let problem = try EnsembleProblem(system: ExponentialDecay(), timeSpan: (0, 10 / k), memberCount: 3) { _, member in
            member.replace(initialState: [1], parameters: [k], timeEvents: [])
        }
        for algorithm in [Tsitouras5() as any ODEAlgorithm, Rodas4()] {
            var sink = EnsembleCollector()
            let report = try problem.solve(using: algorithm, options: EnsembleOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-14), sink: &sink)
            #expect(report.solvedCount == 3)
            #expect(report.stepsPerMember > 10, "\(algorithm)")
            let y = try #require(sink.finalState(of: 0))
            // rtol 1e-8: within 1e-5 relative of e⁻¹⁰ (global error over ~10 decay times).
            let exact = 4.539992976248485e-5
            #expect(abs(y[0] - exact) <= 1e-5 * exact, "\(algorithm): \(y[0])")
        }
    }
}
