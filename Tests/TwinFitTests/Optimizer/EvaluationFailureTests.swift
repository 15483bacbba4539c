import Testing
import TwinFit

/// Wraps a residual function and fails (returns false) on chosen evaluation numbers, or returns NaN.
struct FailingResiduals: ResidualFunction {
    var inner: ClosureResiduals
    let failOn: Set<Int>
    var nanInsteadOfFailure = false
    var count = 0
    var parameterCount: Int { inner.parameterCount }
    var residualCount: Int { inner.residualCount }

    mutating func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool {
        count += 1
        let ok = inner.evaluate(theta, residuals: &residuals, jacobian: &jacobian)
        guard failOn.contains(count) else { return ok }
        if nanInsteadOfFailure { residuals[0] = .nan; return true }
        return false
    }
}

@Suite struct EvaluationFailureTests {
    @Test func anUnevaluableStartThrowsATypedError() {
        var objective = LeastSquaresObjective(FailingResiduals(inner: MGH.rosenbrock, failOn: [1]))
        #expect(throws: OptimizerError.startNotEvaluable(start: [-1.2, 1])) {
            try TrustRegionMinimizer().minimize(&objective, from: [-1.2, 1])
        }
    }

    @Test func aNaNAtTheStartIsNotEvaluable() {
        var objective = LeastSquaresObjective(FailingResiduals(inner: MGH.rosenbrock, failOn: [1], nanInsteadOfFailure: true))
        #expect(throws: OptimizerError.startNotEvaluable(start: [-1.2, 1])) {
            try TrustRegionMinimizer().minimize(&objective, from: [-1.2, 1])
        }
    }

    @Test(arguments: [false, true])
    func failuresMidRunShrinkTheStepAndTheRunStillConverges(nan: Bool) throws {
        var objective = LeastSquaresObjective(FailingResiduals(inner: MGH.rosenbrock, failOn: [2, 3, 5, 9], nanInsteadOfFailure: nan))
        let fit = try TrustRegionMinimizer(options: tightOptions()).minimize(&objective, from: [-1.2, 1])
        // MGH: f* = 0 at (1, 1); the four failed trials are rejected steps, not errors.
        #expect(fit.converged, "\(fit.summary)")
        #expect(abs(fit.parameters[0] - 1) <= 1e-12 && abs(fit.parameters[1] - 1) <= 1e-12)
        #expect(fit.evaluations == objective.residualFunction.count)
    }

    @Test func aRegionThatCannotBeEvaluatedIsAvoided() throws {
        // r = x − 3 with the evaluation failing for x > 3.2, and a Gauss–Newton curvature understated
        // tenfold so that the first steps overshoot into the failing region.
        struct Understated: ScoringObjective {
            var parameterCount: Int { 1 }
            mutating func evaluate(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double? {
                guard theta[0] <= 3.2 else { return nil }
                gradient[0] = 2 * (theta[0] - 3); curvature[0] = 0.2
                return (theta[0] - 3) * (theta[0] - 3)
            }
        }
        var objective = Understated()
        let fit = try TrustRegionMinimizer(options: tightOptions()).minimize(&objective, from: [0])
        // Analytic: the minimum x = 3 lies inside the evaluable region.
        #expect(fit.converged, "\(fit.summary)")
        #expect(abs(fit.parameters[0] - 3) <= 1e-7)
    }
}
