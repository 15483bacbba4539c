import Testing
import TwinODE
import TwinWorkloads

/// Decisions on relative, not absolute, scales (issue 12): step-size floors relative to the time
/// span and t, an initial step that a problem with tiny per-component tolerances can start with,
/// and finite-difference Jacobian increments scaled by the error weights.
@Suite struct RelativeScaleTests {
    /// Per-component absolute tolerances atol = rtol·(1e-14, 1e-18, 1e-6), as issue 12 sets them
    /// (each about rtol times the size its component reaches near t = 10¹¹, so that y₂ ≈ 1e-13 is
    /// resolved to rtol relative).
    static func bariAbsoluteTolerances(_ rtol: Double) -> [Double] { [rtol * 1e-14, rtol * 1e-18, rtol * 1e-6] }

    /// The accuracy asked of a solve at `rtol` against the reference: 1e-3 relative at rtol 1e-6,
    /// 1e-6 at rtol 1e-10 (global error is a few hundred to a thousand times the local tolerance
    /// over 11 decades of time for these methods).
    static func expectedAccuracy(_ rtol: Double) -> Double { rtol >= 1e-6 ? 1e-3 : 1e-6 }

    /// Whether `y` is within `relative` of the reference per component; y₂ (≈ 8e-14) is compared
    /// with an absolute floor of 1e-12·max|y| (issue 12).
    static func expectMatchesBari(_ y: [Double], relative: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let floorY2 = 1e-12 * (y.map(abs).max() ?? 1)
        for k in 0..<3 {
            let allowed = k == 1 ? max(relative * abs(BariReferenceValues.rober1e11[k]), floorY2) : relative * abs(BariReferenceValues.rober1e11[k])
            #expect(abs(y[k] - BariReferenceValues.rober1e11[k]) <= allowed,
                    "\(label) y\(k + 1) = \(y[k]), reference \(BariReferenceValues.rober1e11[k]) (relative error \(abs(y[k] - BariReferenceValues.rober1e11[k]) / BariReferenceValues.rober1e11[k]))",
                    sourceLocation: sourceLocation)
        }
    }

    static func solve(_ solver: String, analytic: Bool, rtol: Double) throws -> ODESolution {
        let algorithm: any ODEAlgorithm = solver == "Rodas4" ? Rodas4() : BDF()
        // No initial step given: the solver must find one itself.
        let options = ODEOptions(relativeTolerance: rtol, absoluteTolerances: bariAbsoluteTolerances(rtol), save: .finalOnly,
                                 denseOutput: false)
        if analytic {
            return try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, 1e11), parameters: Robertson.typicalParameters)
                .solve(using: algorithm, options: options)
        }
        return try ODEProblem(system: RobertsonWithoutJacobian(), initialState: [1, 0, 0], timeSpan: (0, 1e11), parameters: Robertson.typicalParameters)
            .solve(using: algorithm, options: options)
    }

    @Test("Robertson with per-component tolerances down to 1e-28 starts at t = 0 and matches the Bari reference at 1e11, analytic and finite-difference Jacobians alike",
          arguments: ["Rodas4", "BDF"], [1e-6, 1e-10])
    func robertsonWithBariTolerancesStartsAndMatchesReference(_ solver: String, _ rtol: Double) throws {
        let analytic = try Self.solve(solver, analytic: true, rtol: rtol)
        let differenced = try Self.solve(solver, analytic: false, rtol: rtol)
        for (sol, kind) in [(analytic, "analytic"), (differenced, "finite-difference")] {
            let label = "\(solver) rtol \(rtol) \(kind) J"
            #expect(sol.status == .success, "\(label): \(sol.status)")
            #expect(sol.finalTime == 1e11, "\(label)")
            Self.expectMatchesBari(sol.finalState, relative: Self.expectedAccuracy(rtol), label)
        }
        // Weighted increments keep the differenced Jacobian good to about √ε relative, so the
        // steps match the analytic run's: allow twice as many (issue 12's bound).
        let analyticSteps = analytic.statistics.acceptedSteps + analytic.statistics.rejectedSteps
        let differencedSteps = differenced.statistics.acceptedSteps + differenced.statistics.rejectedSteps
        print("\(solver) rtol \(rtol): steps (accepted + rejected) analytic J \(analyticSteps), differenced J \(differencedSteps); f evaluations \(analytic.statistics.rightHandSideEvaluations) / \(differenced.statistics.rightHandSideEvaluations)")
        #expect(differencedSteps <= 2 * analyticSteps, "\(solver) rtol \(rtol): \(differencedSteps) steps with a differenced J, \(analyticSteps) with the analytic one")
    }

    @Test("A problem on a 1e-16 time axis is solved, not skipped as already finished", arguments: ["Tsit5", "Rodas4", "BDF"])
    func shortSpanIsSolvedNotSkipped(_ solver: String) throws {
        // y′ = −k·y with k = 1e17 on [0, 1e-16]: y(end) = e⁻¹⁰ (closed form). The old floor
        // 4ε·max(|t|, 1) ≈ 9e-16 exceeded the whole span, so the solver "landed" at once with y = 1.
        let algorithm: any ODEAlgorithm = solver == "Tsit5" ? Tsitouras5() : solver == "Rodas4" ? Rodas4() as any ODEAlgorithm : BDF()
        let k = 1e17
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 10 / k), parameters: [k])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-14, save: .finalOnly))
        #expect(sol.status == .success, "\(solver): \(sol.status)")
        #expect(sol.statistics.acceptedSteps > 10, "\(solver)")
        // Solved at rtol 1e-8: within 1e-5 relative of the closed form (global error over ~10 decay times).
        let exact = 4.539992976248485e-5   // e⁻¹⁰
        #expect(abs(sol.finalState[0] - exact) <= 1e-5 * exact, "\(solver): \(sol.finalState[0])")
    }

    /// y′ = 1 from y = 0, but the model cannot be evaluated (recoverably) once y > 0, so it cannot
    /// leave its start: every trial step fails and shrinks until the floor stops it.
    struct UndefinedAfterStart: ODESystem {
        var stateCount: Int { 1 }
        var parameterCount: Int { 0 }
        var isAutonomous: Bool { true }
        // Analytic (zero) Jacobian: differencing would step into y > 0 and end the solve there.
        func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
            if y[0].primal > 0 { throw .recoverable("undefined for y > 0") }
            dy[0] = 1
        }
        func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) -> Bool {
            jacobian[0] = 0
            return true
        }
    }

    @Test("A solve that cannot leave t = 0 still ends with stepSizeTooSmall, after a bounded number of tries, well before maxSteps",
          arguments: ["Tsit5", "Rodas4"])
    func floorStillCatchesAFailureAtTheStart(_ solver: String) throws {
        let algorithm: any ODEAlgorithm = solver == "Tsit5" ? Tsitouras5() : Rodas4()
        let problem = try ODEProblem(system: UndefinedAfterStart(), initialState: [0], timeSpan: (0, 1e11))
        let sol = try problem.solve(using: algorithm, options: ODEOptions(maxSteps: 100_000))
        guard case let .stepSizeTooSmall(time, step) = sol.status else { Issue.record("\(solver): \(sol.status)"); return }
        #expect(time == 0)
        // The floor at t = 0 is 4ε·ε·10¹¹ ≈ 2e-20; quartering from an initial step ≤ 10¹¹ reaches it in
        // at most log₄(10¹¹/2e-20) ≈ 52 tries.
        #expect(step > 0 && step <= 4 * Double.ulpOfOne * Double.ulpOfOne * 1e11)
        #expect(sol.statistics.rejectedSteps <= 60, "\(solver): \(sol.statistics.rejectedSteps) tries")
    }

    @Test("Failure advice fits the solver: an explicit method is told to try a stiff one; a stiff one is told to check its Jacobian and the model")
    func adviceFitsTheSolver() throws {
        let tooSmall = ODEStatus.stepSizeTooSmall(time: 0, step: 1e-20)
        #expect(tooSmall.advice(for: Tsitouras5()).contains("stiff solver"))
        let stiff = tooSmall.advice(for: Rodas4())
        #expect(!stiff.contains("try a stiff solver"))
        #expect(stiff.contains("Jacobian"))
        #expect(ODEStatus.tooManySteps(time: 1, steps: 10).advice(for: BDF()).contains("maxSteps"))
        #expect(!ODEStatus.tooManySteps(time: 1, steps: 10).advice(for: BDF()).contains("try a stiff solver"))
        // The solution knows its solver: its status description carries the fitting advice.
        let problem = try ODEProblem(system: UndefinedAfterStart(), initialState: [0], timeSpan: (0, 1))
        let sol = try problem.solve(using: Rodas4())
        #expect(sol.statusDescription.contains("Jacobian"), "\(sol.statusDescription)")
        #expect(!sol.statusDescription.contains("try a stiff solver"))
    }
}
