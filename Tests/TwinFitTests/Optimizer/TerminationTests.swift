import Testing
import TwinFit

@Suite struct TerminationTests {
    @Test func rosenbrockAtTolerance1e15StopsWithinABoundedNumberOfIterations() throws {
        var objective = LeastSquaresObjective(MGH.rosenbrock)
        let fit = try TrustRegionMinimizer(options: tightOptions(1e-15, maximumIterations: 10_000)).minimize(&objective, from: [-1.2, 1])
        // SciPy's MINPACK needs 21 evaluations here (mgh_scipy.json); 100 trial steps is a generous
        // bound that an endless loop on rounding noise would exceed.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.iterations <= 100)
    }

    @Test(arguments: ["freudensteinRoth", "meyer"])
    func zeroTolerancesStillEndOnTheRoundingLimit(problem: String) throws {
        var objective = LeastSquaresObjective(problem == "meyer" ? MGH.meyer : MGH.freudensteinRoth)
        let start: [Double] = problem == "meyer" ? [0.02, 4000, 250] : [0.5, -2]
        let fit = try TrustRegionMinimizer(options: tightOptions(0, maximumIterations: 10_000)).minimize(&objective, from: start)
        // With every tolerance 0 only exact stationarity or the rounding limit can end the run;
        // a nonzero-residual minimum never gives an exactly zero gradient.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.stopReason == .roundingLimit || fit.stopReason == .gradientTolerance)
        #expect(fit.iterations <= 1000)
    }

    @Test func runsAreDeterministic() throws {
        var first = LeastSquaresObjective(MGH.meyer), second = LeastSquaresObjective(MGH.meyer)
        let minimizer = TrustRegionMinimizer(options: tightOptions())
        // Same input, same arithmetic in the same order: the results are identical, field by field.
        #expect(try minimizer.minimize(&first, from: [0.02, 4000, 250]) == minimizer.minimize(&second, from: [0.02, 4000, 250]))
    }

    @Test func budgetsEndTheRunWithoutConverging() throws {
        var objective = LeastSquaresObjective(MGH.rosenbrock)
        let fit = try TrustRegionMinimizer(options: TrustRegionOptions(maximumIterations: 3)).minimize(&objective, from: [-1.2, 1])
        #expect(fit.stopReason == .maximumIterations && !fit.converged && fit.iterations == 3)
        let byEvaluations = try TrustRegionMinimizer(options: TrustRegionOptions(maximumEvaluations: 2)).minimize(&objective, from: [-1.2, 1])
        #expect(byEvaluations.stopReason == .maximumEvaluations && byEvaluations.evaluations == 2)
        #expect(byEvaluations.summary.contains("did not converge (maximumEvaluations)"))
    }

    @Test func invalidInputIsATypedError() {
        var objective = LeastSquaresObjective(MGH.rosenbrock)
        #expect(throws: OptimizerError.invalidOption(name: "functionTolerance", value: "-1.0", requirement: "in [0, 1)")) {
            try TrustRegionMinimizer(options: TrustRegionOptions(functionTolerance: -1)).minimize(&objective, from: [0, 0])
        }
        #expect(throws: OptimizerError.dimensionMismatch(what: "start point", expected: 2, found: 3)) {
            try TrustRegionMinimizer().minimize(&objective, from: [0, 0, 0])
        }
        #expect(throws: OptimizerError.dimensionMismatch(what: "lower bounds", expected: 2, found: 1)) {
            try TrustRegionMinimizer(options: TrustRegionOptions(lower: [0])).minimize(&objective, from: [0, 0])
        }
        #expect(throws: OptimizerError.nonFiniteStart(index: 1, value: .infinity)) {
            try TrustRegionMinimizer().minimize(&objective, from: [0, .infinity])
        }
        #expect(throws: OptimizerError.self) {
            try TrustRegionMinimizer(options: TrustRegionOptions(lower: [1, 0], upper: [0, 1])).minimize(&objective, from: [0, 0])
        }
        let message = OptimizerError.startNotEvaluable(start: [1]).description
        #expect(message.contains("cannot be evaluated"))
    }

    @Test func multiStartKeepsTheBestRunAndReportsEveryStart() throws {
        var objective = LeastSquaresObjective(MGH.freudensteinRoth)
        let all = try TrustRegionMinimizer(options: tightOptions()).minimize(&objective, starts: [[0.5, -2], [.nan, 0], [5.5, 4.5]])
        // MGH: from (0.5, −2) the local minimum f = 48.98…; near (5, 4) the global minimum f = 0 at (5, 4).
        #expect(all.runs.count == 3 && all.bestIndex == 2)
        if case .nonFiniteStart(index: 0, _)? = all.runs[1].failure {} else {
            Issue.record("the NaN start should fail with nonFiniteStart, got \(String(describing: all.runs[1].failure))")
        }
        #expect(all.runs[1].result == nil)
        #expect(abs((all.runs[0].result?.objective ?? 0) - 48.984253679240034) <= 1e-9)
        #expect(all.best.objective <= 1e-20)
        #expect(abs(all.best.parameters[0] - 5) <= 1e-10 && abs(all.best.parameters[1] - 4) <= 1e-10)
    }
}
