import Foundation
import Testing
@testable import TwinFit
import TwinModels

/// SIR and Metropolis draws reproduce a two-parameter posterior computed by brute force —
/// quadrature of exp(−½·OBJ) on a fine grid of (log A, log k) — within Monte Carlo error.
/// The posterior is that of f = A·e^(−k·t) with three proportional-error observations and a
/// log-normal prior: sparse data, a visibly non-Gaussian posterior in (A, k).
@Suite struct PosteriorSamplerTests {
    static let times = [1.0, 4, 10]
    static let measured = [7.2, 4.9, 2.1]

    static func objective() throws -> FitObjective<DecayPredictor> {
        let prior = try ParameterPrior(typical: [9, 0.12], omega: [0.25, 0, 0, 0.5])
        return FitObjective(predictor: DecayPredictor(times: times), measured: measured, censored: [false, false, false],
                            outputs: [0, 0, 0], errorModels: [.proportional(0.2)], estimateErrorModel: false,
                            base: [9, 0.12], transforms: [.log, .log], prior: prior)
    }

    /// The mode and Laplace covariance from the minimiser and the Fisher information.
    static func sampler() throws -> PosteriorSampler<DecayPredictor> {
        var objective = try objective()
        let result = try TrustRegionMinimizer(options: TrustRegionOptions(functionTolerance: 1e-14, stepTolerance: 1e-14,
                                                                          gradientTolerance: 1e-12, objectiveScaleFloor: 1))
            .minimize(&objective, from: [log(9), log(0.12)])
        let info = try FisherInformation(curvature: result.curvature, parameterNames: ["log A", "log k"])
        return try PosteriorSampler(objective: objective, mode: result.parameters, covariance: try #require(info.covariance), names: ["A", "k"])
    }

    /// Posterior mean, SD and 5/95 % quantiles of A and k by quadrature on a 401 × 401 grid
    /// over ±7 prior-scale SDs around the mode (midpoint rule; the mass outside is < 1e-10).
    static func quadrature(around mode: [Double]) throws -> (mean: [Double], sd: [Double], q05: [Double], q95: [Double]) {
        var objective = try objective()
        var g = [0.0, 0], h = [0.0, 0, 0, 0]
        let m = 401, half = [3.5, 4.9]
        var weight = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        var logs = [[Double]](repeating: [Double](repeating: -.infinity, count: m), count: m)
        func u(_ d: Int, _ i: Int) -> Double { mode[d] - half[d] + 2 * half[d] * (Double(i) + 0.5) / Double(m) }
        var top = -Double.infinity
        for i in 0..<m { for j in 0..<m {
            if let obj = objective.evaluate([u(0, i), u(1, j)], gradient: &g, curvature: &h) { logs[i][j] = -0.5 * obj; top = max(top, logs[i][j]) }
        } }
        var total = 0.0
        for i in 0..<m { for j in 0..<m { weight[i][j] = exp(logs[i][j] - top); total += weight[i][j] } }
        var mean = [0.0, 0], second = [0.0, 0]
        var marginal = [[Double]](repeating: [Double](repeating: 0, count: m), count: 2)
        for i in 0..<m { for j in 0..<m {
            let w = weight[i][j] / total, a = exp(u(0, i)), k = exp(u(1, j))
            mean[0] += w * a; mean[1] += w * k; second[0] += w * a * a; second[1] += w * k * k
            marginal[0][i] += w; marginal[1][j] += w
        } }
        func quantile(_ d: Int, _ p: Double) -> Double {
            var c = 0.0
            for i in 0..<m {
                let next = c + marginal[d][i]
                if next >= p {   // interpolate inside cell i on the log scale
                    let lo = u(d, i) - half[d] / Double(m), width = 2 * half[d] / Double(m)
                    return exp(lo + width * (p - c) / marginal[d][i])
                }
                c = next
            }
            return exp(u(d, m - 1))
        }
        let sd = (0..<2).map { (second[$0] - mean[$0] * mean[$0]).squareRoot() }
        return (mean, sd, [quantile(0, 0.05), quantile(1, 0.05)], [quantile(0, 0.95), quantile(1, 0.95)])
    }

    /// Means within 4.5 Monte Carlo standard errors (SD/√ESS), SDs and quantiles within 4.5 of
    /// their approximate standard errors (SD·√(1/(2·ESS)) and SD·√(p(1−p)/ESS)/φ-density scale,
    /// bounded here by 1.6·SD/√ESS for p = 0.05 of a near-normal marginal).
    static func check(_ sample: PosteriorSample, against truth: (mean: [Double], sd: [Double], q05: [Double], q95: [Double])) {
        let ess = sample.effectiveSampleSize
        let mean = sample.mean, sd = sample.standardDeviation, q05 = sample.quantile(0.05), q95 = sample.quantile(0.95)
        for d in 0..<2 {
            let se = truth.sd[d] / ess.squareRoot()
            #expect(abs(mean[d] - truth.mean[d]) <= 4.5 * se, "\(sample.method) mean[\(d)] \(mean[d]) vs \(truth.mean[d]) (ESS \(ess))")
            #expect(abs(sd[d] - truth.sd[d]) <= 4.5 * truth.sd[d] / (2 * ess).squareRoot(), "\(sample.method) sd[\(d)] \(sd[d]) vs \(truth.sd[d])")
            #expect(abs(q05[d] - truth.q05[d]) <= 4.5 * 1.6 * se, "\(sample.method) q05[\(d)] \(q05[d]) vs \(truth.q05[d])")
            #expect(abs(q95[d] - truth.q95[d]) <= 4.5 * 1.6 * se * 1.5, "\(sample.method) q95[\(d)] \(q95[d]) vs \(truth.q95[d])")
        }
    }

    @Test func importanceResamplingMatchesQuadrature() throws {
        let sampler = try Self.sampler()
        let truth = try Self.quadrature(around: sampler.mode)
        let sample = try sampler.importanceResampling(proposals: 40_000, draws: 4_000, seed: 11, threads: 2)
        #expect(sample.draws.count == 4_000)
        #expect(sample.effectiveSampleSize > 5_000)   // a t proposal around a near-Gaussian posterior
        // The resampled draws carry at most the information of min(ESS, draws).
        let effective = PosteriorSample(parameterNames: sample.parameterNames, draws: sample.draws, method: sample.method,
                                        effectiveSampleSize: min(sample.effectiveSampleSize, Double(sample.draws.count)),
                                        acceptanceRate: nil, seed: 11)
        Self.check(effective, against: truth)
    }

    @Test func metropolisMatchesQuadrature() throws {
        let sampler = try Self.sampler()
        let truth = try Self.quadrature(around: sampler.mode)
        let sample = sampler.metropolis(draws: 20_000, burnIn: 1_000, seed: 5)
        let rate = try #require(sample.acceptanceRate)
        #expect(rate > 0.2 && rate < 0.7)            // near the 2-d optimum of Roberts et al. (≈ 0.35)
        Self.check(sample, against: truth)
    }

    @Test func samplesAreTheSameForAnyThreadCount() throws {
        let sampler = try Self.sampler()
        let one = try sampler.importanceResampling(proposals: 5_000, draws: 500, seed: 3, threads: 1)
        let two = try sampler.importanceResampling(proposals: 5_000, draws: 500, seed: 3, threads: 2)
        #expect(one == two)
    }

    /// The Laplace draws have the covariance they were drawn from (on the log scale) to Monte
    /// Carlo error: a check of the Cholesky displacement.
    @Test func laplaceDrawsHaveTheLaplaceCovariance() throws {
        let sampler = try Self.sampler()
        let sample = sampler.laplace(draws: 20_000, seed: 9)
        let logs = sample.draws.map { $0.map { log($0) } }
        let mean = (0..<2).map { d in logs.reduce(0) { $0 + $1[d] } / Double(logs.count) }
        for d in 0..<2 { #expect(abs(mean[d] - sampler.mode[d]) < 0.05) }
    }
}

/// SIR of an ODE model runs its proposals through the ensemble engine; its objectives equal the
/// closed form's for the same proposals (the lane solves at rtol 1e-10 against the exact closed
/// form), so the two posteriors of the bundled vancomycin patient agree to well within Monte
/// Carlo error.
@Suite struct EnsembleSIRTests {
    @Test func ensembleObjectivesEqualTheClosedFormsAndThePosteriorsAgree() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        let record = try PopulationFixtures.patient()
        var closed = try goti.fitSpecification(model: TwoCompartmentPK(), record: record)
        closed.options = TrustRegionOptions(objectiveScaleFloor: 1)
        var ode = closed
        ode.preferClosedForm = false
        ode.relativeTolerance = 1e-10
        ode.absoluteTolerance = 1e-12
        let fit = try IndividualFitter(specification: closed).fit(record)
        let method = PosteriorMethod.importanceResampling(proposals: 800, draws: 300)
        let a = try IndividualFitter(specification: closed).posterior(record, fit: fit, method: method, seed: 5)
        let b = try IndividualFitter(specification: ode).posterior(record, fit: fit, method: method, seed: 5, threads: 2)
        // Same proposals, weights equal to ~1e-9: the same draws but for pointers on a knife edge.
        let same = zip(a.draws, b.draws).filter { $0 == $1 }.count
        #expect(same >= 295, "\(same) of 300 draws identical")
        for j in 0..<3 {
            #expect(abs(a.mean[j] - b.mean[j]) <= 0.01 * a.standardDeviation[j], "parameter \(j): \(a.mean[j]) vs \(b.mean[j])")
        }
        #expect(abs(a.effectiveSampleSize - b.effectiveSampleSize) <= 1e-4 * a.effectiveSampleSize)
    }
}
