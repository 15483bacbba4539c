import Foundation
import Testing
@testable import TwinFit
import TwinModels

/// A straight line through the origin and an intercept, f = p₀ + p₁·t, exactly linear in p:
/// the predictor for tests whose truth is a closed form.
struct LinearPredictor: ObservationPredictor {
    var times: [Double]
    var observationCount: Int { times.count }
    var parameterIndices: [Int] { [0, 1] }
    mutating func predict(_ parameters: [Double], values: inout [Double], jacobian: inout [Double]) -> Bool {
        for (i, t) in times.enumerated() {
            values[i] = parameters[0] + parameters[1] * t
            jacobian[2 * i] = 1
            jacobian[2 * i + 1] = t
        }
        return true
    }
}

/// f = A·e^(−k·t): nonlinear, positive, for checking derivatives of every error model.
struct DecayPredictor: ObservationPredictor {
    var times: [Double]
    var observationCount: Int { times.count }
    var parameterIndices: [Int] { [0, 1] }
    mutating func predict(_ parameters: [Double], values: inout [Double], jacobian: inout [Double]) -> Bool {
        for (i, t) in times.enumerated() {
            let e = exp(-parameters[1] * t)
            values[i] = parameters[0] * e
            jacobian[2 * i] = e
            jacobian[2 * i + 1] = -parameters[0] * t * e
        }
        return true
    }
}

@Suite struct FitObjectiveTests {
    static let times = [0.5, 1, 2, 4, 8, 12]
    static let measured = [9.1, 8.4, 6.6, 4.7, 2.1, 1.2]

    /// The objective's gradient equals central finite differences of the objective itself
    /// (step 1e-6, agreement 1e-6 relative), for every error model, with the standard deviations
    /// estimated, with an M3-censored observation and with a prior: the derivatives are the
    /// exact ones of the formula stated on FitObjective.
    @Test(arguments: [ResidualErrorModel.additive(0.4), .proportional(0.15), .combined(additive: 0.3, proportional: 0.1), .exponential(0.2)])
    func gradientMatchesFiniteDifferences(error: ResidualErrorModel) throws {
        let prior = try ParameterPrior(typical: [10, 0.2], omega: [0.09, 0.01, 0.01, 0.04])
        var censored = [Bool](repeating: false, count: 6)
        censored[5] = true   // below an LLOQ of 1.2 mg/L
        var objective = FitObjective(predictor: DecayPredictor(times: Self.times), measured: Self.measured, censored: censored,
                                     outputs: [Int](repeating: 0, count: 6), errorModels: [error], estimateErrorModel: true,
                                     base: [10, 0.2], transforms: [.log, .log], prior: prior)
        let n = objective.parameterCount
        let u = [log(9.5), log(0.18)] + error.standardDeviations.map { log($0 * 1.3) }
        var g = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n * n)
        var scratchG = g, scratchH = h
        _ = try #require(objective.evaluate(u, gradient: &g, curvature: &h))
        for a in 0..<n {
            var up = u, down = u
            up[a] += 1e-6; down[a] -= 1e-6
            let fu = try #require(objective.evaluate(up, gradient: &scratchG, curvature: &scratchH))
            let fd = try #require(objective.evaluate(down, gradient: &scratchG, curvature: &scratchH))
            let numeric = (fu - fd) / 2e-6
            #expect(abs(numeric - g[a]) <= 1e-6 * max(1, abs(g[a])), "∂/∂u\(a): \(g[a]) vs finite difference \(numeric)")
        }
        // The curvature is symmetric positive semi-definite (Fisher scoring needs it).
        for a in 0..<n { #expect(h[a * n + a] >= 0); for b in 0..<n { #expect(abs(h[a * n + b] - h[b * n + a]) <= 1e-12 * max(1, abs(h[a * n + b]))) } }
    }

    /// On a linear model with a Gaussian prior and known additive error the posterior is
    /// Gaussian and known in closed form (Gelman et al. 2013, Bayesian Data Analysis §14.8):
    /// precision P = XᵀX/σ² + Ω⁻¹, mean m = P⁻¹(Xᵀy/σ² + Ω⁻¹μ). The MAP estimate equals m and the
    /// Laplace covariance (curvature/2)⁻¹ equals P⁻¹.
    @Test func mapOnALinearGaussianModelIsTheClosedFormPosterior() throws {
        let sigma = 0.8
        let omega = [4.0, 0.5, 0.5, 1.0], mu = [1.0, 2.0]
        let prior = try ParameterPrior(typical: mu, omega: omega)
        var objective = FitObjective(predictor: LinearPredictor(times: Self.times), measured: Self.measured,
                                     censored: [Bool](repeating: false, count: 6), outputs: [Int](repeating: 0, count: 6),
                                     errorModels: [.additive(sigma)], estimateErrorModel: false, base: [0, 0],
                                     transforms: [.identity, .identity], prior: prior)
        var options = TrustRegionOptions(functionTolerance: 1e-15, stepTolerance: 1e-15, gradientTolerance: 1e-15)
        options.objectiveScaleFloor = 1
        let result = try TrustRegionMinimizer(options: options).minimize(&objective, from: [0, 0])
        // Closed form, written out for 2×2.
        let s2 = sigma * sigma
        var xtx = [0.0, 0, 0, 0], xty = [0.0, 0]
        for (t, y) in zip(Self.times, Self.measured) {
            xtx[0] += 1; xtx[1] += t; xtx[2] += t; xtx[3] += t * t
            xty[0] += y; xty[1] += t * y
        }
        let detO = omega[0] * omega[3] - omega[1] * omega[2]
        let oi = [omega[3] / detO, -omega[1] / detO, -omega[2] / detO, omega[0] / detO]
        let p = (0..<4).map { xtx[$0] / s2 + oi[$0] }
        let rhs = [xty[0] / s2 + oi[0] * mu[0] + oi[1] * mu[1], xty[1] / s2 + oi[2] * mu[0] + oi[3] * mu[1]]
        let detP = p[0] * p[3] - p[1] * p[2]
        let cov = [p[3] / detP, -p[1] / detP, -p[2] / detP, p[0] / detP]
        let mean = [cov[0] * rhs[0] + cov[1] * rhs[1], cov[2] * rhs[0] + cov[3] * rhs[1]]
        #expect(abs(result.parameters[0] - mean[0]) <= 1e-10 * max(1, abs(mean[0])))
        #expect(abs(result.parameters[1] - mean[1]) <= 1e-10 * max(1, abs(mean[1])))
        let info = try FisherInformation(curvature: result.curvature, parameterNames: ["a", "b"])
        let laplace = try #require(info.covariance)
        for i in 0..<4 { #expect(abs(laplace[i] - cov[i]) <= 1e-10 * abs(cov[0]), "covariance entry \(i)") }
    }

    /// With additive error and the standard deviation estimated, the −2 log-likelihood optimum
    /// has σ̂² = RSS/n (the maximum-likelihood variance, a closed form given the fitted line).
    @Test func estimatedAdditiveErrorIsTheMaximumLikelihoodVariance() throws {
        var objective = FitObjective(predictor: LinearPredictor(times: Self.times), measured: Self.measured,
                                     censored: [Bool](repeating: false, count: 6), outputs: [Int](repeating: 0, count: 6),
                                     errorModels: [.additive(1)], estimateErrorModel: true, base: [0, 0],
                                     transforms: [.identity, .identity], prior: nil)
        var options = TrustRegionOptions(functionTolerance: 1e-15, stepTolerance: 1e-15, gradientTolerance: 1e-15)
        options.objectiveScaleFloor = 1
        let result = try TrustRegionMinimizer(options: options).minimize(&objective, from: [0, 0, 0])
        let rss = zip(Self.times, Self.measured).reduce(0.0) { s, ty in
            let r = ty.1 - (result.parameters[0] + result.parameters[1] * ty.0); return s + r * r
        }
        let sigma2 = exp(2 * result.parameters[2])
        #expect(abs(sigma2 - rss / 6) <= 1e-9 * rss)
    }

    /// ln Φ and the inverse Mills ratio agree with their definitions where Φ is representable,
    /// and stay finite and continuous across the switch to the asymptotic form at z = −30.
    @Test func censoredLikelihoodIsAccurateInTheTail() {
        for z in [-5.0, -1, 0, 1, 3] {
            let (logPhi, lambda) = FitObjective<LinearPredictor>.logNormalCDFAndMillsRatio(z)
            let cdf = 0.5 * erfc(-z / sqrt(2))
            #expect(abs(logPhi - log(cdf)) <= 1e-13 * max(1, abs(log(cdf))))
            #expect(abs(lambda - exp(-z * z / 2) / sqrt(2 * Double.pi) / cdf) <= 1e-12 * max(1, lambda))
        }
        let below = FitObjective<LinearPredictor>.logNormalCDFAndMillsRatio(-30.0000001)
        let above = FitObjective<LinearPredictor>.logNormalCDFAndMillsRatio(-29.9999999)
        #expect(abs(below.0 - above.0) <= 1e-3 * abs(above.0))
        #expect(abs(below.1 - above.1) <= 1e-3 * above.1)
    }

    /// The observed information equals ½ of a second-order central difference of the objective's
    /// values (∂²f/∂uᵢ∂uⱼ ≈ [f(+,+) − f(+,−) − f(−,+) + f(−,−)]/4h², a formula that never calls the
    /// gradient the fitter differentiates), at the optimum of a nonlinear model with combined error
    /// and an M3 observation, to 1e-5 relative to the largest entry.
    @Test func observedInformationIsHalfTheHessianOfTheObjective() throws {
        var censored = [Bool](repeating: false, count: 6)
        censored[5] = true
        var objective = FitObjective(predictor: DecayPredictor(times: Self.times), measured: Self.measured, censored: censored,
                                     outputs: [Int](repeating: 0, count: 6), errorModels: [.combined(additive: 0.3, proportional: 0.1)],
                                     estimateErrorModel: true, base: [10, 0.2], transforms: [.log, .log], prior: nil)
        // At the optimum, where the Hessian is positive definite (information).
        let u = try TrustRegionMinimizer(options: TrustRegionOptions(objectiveScaleFloor: 1))
            .minimize(&objective, from: [log(9.5), log(0.18), log(0.35), log(0.12)]).parameters
        let info = try #require(IndividualFitter<TwoCompartmentPK>.observedInformation(objective, at: u, names: ["a", "b", "c", "d"]))
        var copy = objective
        var g = [Double](repeating: 0, count: 4), h = [Double](repeating: 0, count: 16)
        func f(_ v: [Double]) -> Double { copy.evaluate(v, gradient: &g, curvature: &h) ?? .nan }
        let step = 1e-3
        var largest = 0.0
        var numeric = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 {
            func at(_ si: Double, _ sj: Double) -> Double { var v = u; v[i] += si * step; v[j] += sj * step; return f(v) }
            numeric[i * 4 + j] = 0.5 * (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * step * step)
            largest = max(largest, abs(numeric[i * 4 + j]))
        } }
        for k in 0..<16 { #expect(abs(info.information[k] - numeric[k]) <= 1e-5 * largest, "entry \(k): \(info.information[k]) vs \(numeric[k])") }
    }
}
