import Foundation
import Testing
import TwinFit

/// Gaussian −2 log-likelihood (constants dropped) in (m, s = ln σ²):
/// f = Σ [s + (yᵢ − m)²·e^(−s)], with the expected Fisher information as curvature:
/// 2·I = diag(2n·e^(−s), n) (I_mm = n/σ², I_ss = n/2 for the log-variance, I_ms = 0).
struct GaussianLikelihood: ScoringObjective {
    let y: [Double]
    var parameterCount: Int { 2 }

    mutating func evaluate(_ theta: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double? {
        let (m, s) = (theta[0], theta[1])
        let w = exp(-s)
        var rss = 0.0, sum = 0.0
        for v in y { rss += (v - m) * (v - m); sum += v - m }
        let n = Double(y.count)
        gradient[0] = -2 * sum * w
        gradient[1] = n - rss * w
        curvature[0] = 2 * n * w; curvature[1] = 0; curvature[2] = 0; curvature[3] = n
        return n * s + rss * w
    }
}

@Suite struct ScoringObjectiveTests {
    static let y: [Double] = [4.1, 5.3, 3.8, 6.2, 5.0, 4.4, 5.9, 4.7]

    @Test func gaussianMinus2LLReachesTheAnalyticMaximumLikelihood() throws {
        var options = tightOptions()
        options.objectiveScaleFloor = 1        // −2 log L may pass through 0
        var objective = GaussianLikelihood(y: Self.y)
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [0, 3])
        // Analytic MLE: m = ȳ, σ² = RSS/n (divisor n, not n − 1); f* = n·ln(RSS/n) + n.
        let n = Double(Self.y.count)
        let mean = Self.y.reduce(0, +) / n
        let variance = Self.y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        #expect(fit.converged, "\(fit.summary)")
        #expect(abs(fit.parameters[0] - mean) <= 1e-12 * mean)
        #expect(abs(exp(fit.parameters[1]) - variance) <= 1e-12 * variance)
        #expect(abs(fit.objective - (n * log(variance) + n)) <= 1e-12 * n)
    }

    @Test func fisherInformationFromTheScoringCurvatureGivesTheTextbookStandardError() throws {
        var objective = GaussianLikelihood(y: Self.y)
        var options = tightOptions()
        options.objectiveScaleFloor = 1
        let fit = try TrustRegionMinimizer(options: options).minimize(&objective, from: [5, 0])
        let info = try FisherInformation(curvature: fit.curvature, parameterNames: ["m", "ln σ²"])
        // Closed form: SE(m̂) = σ̂/√n and SE(ln σ̂²) = √(2/n) for the normal MLE.
        let n = Double(Self.y.count), sigma = exp(fit.parameters[1] / 2)
        let se = try #require(info.standardErrors)
        #expect(abs(se[0] - sigma / n.squareRoot()) <= 1e-12 * se[0])
        #expect(abs(se[1] - (2 / n).squareRoot()) <= 1e-12 * se[1])
        #expect(info.identifiability.isIdentifiable)
    }
}
