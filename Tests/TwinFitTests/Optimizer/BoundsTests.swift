import Testing
import TwinFit

/// Minima outside the box: the run must stop on the bound at the KKT point (projected gradient 0).
@Suite struct BoundsTests {
    /// r = (x − 3, y − 2 + ½(x − 3), z + 1); unconstrained minimum (3, 2, −1).
    static let coupled = ClosureResiduals(parameterCount: 3, residualCount: 3) { t, r, j in
        r[0] = t[0] - 3; r[1] = t[1] - 2 + 0.5 * (t[0] - 3); r[2] = t[2] + 1
        for k in 0..<9 { j[k] = 0 }
        j[0] = 1; j[3] = 0.5; j[4] = 1; j[8] = 1
        return true
    }

    @Test func stopsOnTheBoundsAtTheKKTPoint() throws {
        var options = exactOptions()
        options.lower = [0, -.infinity, 0]
        options.upper = [1, .infinity, 5]
        var objective = LeastSquaresObjective(Self.coupled)
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [0.5, 0, 3])
        // Analytic: x is held at its upper bound 1, z at its lower bound 0; then y minimises
        // (y − 2 + ½(1 − 3))² → y = 3; f = (1 − 3)² + 0 + (0 + 1)² = 5.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.parameters[0] == 1 && fit.parameters[2] == 0)     // projection lands exactly on the bound
        #expect(abs(fit.parameters[1] - 3) <= 1e-12)
        #expect(abs(fit.objective - 5) <= 1e-12)
        #expect(fit.activeBounds == [0, 2])
        // KKT: ∂f/∂x = 2(x − 3) + (y − 2 + ½(x − 3)) = −4 < 0 at the upper bound, ∂f/∂z = 2(z + 1) = 2 > 0
        // at the lower bound, ∂f/∂y = 0: the projected gradient vanishes.
        #expect(abs(fit.gradient[0] + 4) <= 1e-12 && abs(fit.gradient[2] - 2) <= 1e-12)
        #expect(fit.gradientNorm <= 1e-12)
    }

    @Test func boundedRosenbrockStopsOnTheUpperBoundOfX1() throws {
        var options = exactOptions()
        options.upper = [0.5, .infinity]
        var objective = LeastSquaresObjective(MGH.rosenbrock)
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [-1.2, 1])
        // Analytic: with x₁ = ½ the best x₂ is x₁² = ¼ and f = (1 − ½)² = ¼; ∂f/∂x₁ = −2(1 − x₁) = −1 < 0
        // pushes against the upper bound, so (½, ¼) is the KKT point.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.parameters[0] == 0.5)
        #expect(abs(fit.parameters[1] - 0.25) <= 1e-12)
        #expect(abs(fit.objective - 0.25) <= 1e-12)
        #expect(abs(fit.gradient[0] + 1) <= 1e-10)
        #expect(fit.activeBounds == [0])
    }

    @Test func aStartOutsideTheBoxIsProjectedIntoIt() throws {
        var options = exactOptions()
        options.lower = [2, 2, 2]
        var objective = LeastSquaresObjective(Self.coupled)
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [-10, -10, -10])
        // Analytic: x = 3, y = 2 are inside; z is held at 2; f = (2 + 1)² = 9.
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - 3) <= 1e-12 && abs(fit.parameters[1] - 2) <= 1e-12 && fit.parameters[2] == 2)
        #expect(abs(fit.objective - 9) <= 1e-12)
    }

    @Test func equalBoundsFixAParameter() throws {
        var options = exactOptions()
        options.lower = [2, -.infinity, -.infinity]
        options.upper = [2, .infinity, .infinity]
        var objective = LeastSquaresObjective(Self.coupled)
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [0, 0, 0])
        // Analytic: x = 2 fixed; y = 2 − ½(2 − 3) = 2.5, z = −1; f = (2 − 3)² = 1.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.parameters[0] == 2)
        #expect(abs(fit.parameters[1] - 2.5) <= 1e-12 && abs(fit.parameters[2] + 1) <= 1e-12)
        #expect(abs(fit.objective - 1) <= 1e-12)
    }
}
