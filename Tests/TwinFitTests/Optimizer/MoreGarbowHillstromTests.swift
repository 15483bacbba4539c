import Testing
import TwinFit

/// Moré, Garbow & Hillstrom (1981) problems at their standard starts. Expected values: the paper's
/// published minima, cross-checked with SciPy's MINPACK (Tests/Fixtures/Optimizer/mgh_scipy.py →
/// mgh_scipy.json, scipy 1.17.1, `least_squares(method='lm')` at ftol = xtol = gtol = 1e-15).
@Suite struct MoreGarbowHillstromTests {
    let minimizer = TrustRegionMinimizer(options: tightOptions())

    @Test func rosenbrockReachesTheZeroResidualMinimumAtOneOne() throws {
        var objective = LeastSquaresObjective(MGH.rosenbrock)
        let fit = try minimizer.minimize(&objective, from: [-1.2, 1])
        #expect(fit.converged)
        // MGH: f* = 0 at (1, 1); SciPy: x = (1, 1), f = 0. A zero-residual minimum is reached to rounding.
        #expect(fit.objective <= 1e-28)
        #expect(abs(fit.parameters[0] - 1) <= 1e-13 && abs(fit.parameters[1] - 1) <= 1e-13)
    }

    @Test func freudensteinRothStopsAtThePublishedLocalMinimum() throws {
        var objective = LeastSquaresObjective(MGH.freudensteinRoth)
        let fit = try minimizer.minimize(&objective, from: [0.5, -2])
        #expect(fit.converged)
        // MGH: local minimum f = 48.9842… ; SciPy: f = 48.984253679240034 at (11.412779033665695, −0.8968052497392033).
        // f agrees to rounding of f (relative 1e-13); x is determined to √(ε)-level only where f is flat, so 1e-7.
        #expect(abs(fit.objective - 48.984253679240034) <= 1e-13 * 48.98)
        #expect(abs(fit.parameters[0] - 11.412779033665695) <= 1e-7 * 11.41)
        #expect(abs(fit.parameters[1] + 0.8968052497392033) <= 1e-7)
    }

    @Test func powellSingularStopsCleanlyAtTheSingularMinimum() throws {
        var objective = LeastSquaresObjective(MGH.powellSingular)
        let fit = try minimizer.minimize(&objective, from: [3, -1, 0, 1])
        // MGH: f* = 0 at the origin, where J is singular, so convergence is only linear (SciPy's
        // QR-based MINPACK reaches f = 9.6e-65, |x| ≈ 7e-17). It must stop on a convergence test,
        // not a budget: here the lower-bound rule f ≤ ε²·f(start) = ε²·215 ≈ 1.1e-29; since r₃, r₄
        // are quadratic in x, f ~ |x|⁴ and |x| is then about 1e-7.
        #expect(fit.converged, "\(fit.summary)")
        #expect(fit.stopReason == .lowerBoundReached)
        #expect(fit.objective <= 1.1e-29)
        #expect(fit.parameters.allSatisfy { abs($0) <= 1e-6 })
    }

    @Test func meyerReachesThePublishedMinimum() throws {
        var objective = LeastSquaresObjective(MGH.meyer)
        let fit = try minimizer.minimize(&objective, from: [0.02, 4000, 250])
        #expect(fit.converged, "\(fit.summary)")
        // MGH: f* = 87.9458… ; SciPy: f = 87.9458551704644 at (0.005609636476948012, 6181.346345409383, 345.2236345945465).
        // The problem is very ill-conditioned (κ(J) ≈ 1e9 at scale), so x agrees to 1e-6 relative; f to 1e-10.
        #expect(abs(fit.objective - 87.9458551704644) <= 1e-10 * 87.95)
        let reference = [0.005609636476948012, 6181.346345409383, 345.2236345945465]
        for k in 0..<3 { #expect(abs(fit.parameters[k] - reference[k]) <= 1e-6 * abs(reference[k])) }
    }

    @Test func box3DReachesTheZeroResidualMinimum() throws {
        var objective = LeastSquaresObjective(MGH.box3d)
        let fit = try minimizer.minimize(&objective, from: [0, 10, 20])
        #expect(fit.converged)
        // MGH: f* = 0 at (1, 10, 1) (among others); SciPy from this start: (1, 10, 1), f = 0.
        #expect(fit.objective <= 1e-28)
        let reference = [1.0, 10, 1]
        for k in 0..<3 { #expect(abs(fit.parameters[k] - reference[k]) <= 1e-10 * reference[k]) }
    }

    @Test func brownBadlyScaledReachesTheMinimumDespiteTwelveOrdersOfScale() throws {
        var objective = LeastSquaresObjective(MGH.brownBadlyScaled)
        let fit = try minimizer.minimize(&objective, from: [1, 1])
        #expect(fit.converged)
        // MGH: f* = 0 at (10⁶, 2·10⁻⁶); SciPy: the same, f = 0. ulp(10⁶) ≈ 1.2e-10, so r₁² (and f)
        // cannot reliably go below ~1e-20 in double precision: bound 1e-18.
        #expect(fit.objective <= 1e-18)
        #expect(abs(fit.parameters[0] - 1e6) <= 1e-12 * 1e6)
        #expect(abs(fit.parameters[1] - 2e-6) <= 1e-12 * 2e-6)
    }
}
