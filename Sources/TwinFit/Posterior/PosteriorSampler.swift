import Dispatch
import RealModule
import Synchronization
import TwinEnsemble
import TwinLinearAlgebra

/// Draws from one subject's posterior, exp(−½·OBJ(u)) on the transformed scale u of a
/// ``FitObjective`` (with its population prior: the MAP objective), starting from the MAP
/// estimate and its Laplace covariance.
///
/// - ``laplace(draws:seed:)``: the Gaussian approximation itself;
/// - ``importanceResampling(proposals:draws:seed:threads:degreesOfFreedom:)``: sampling–
///   importance–resampling (Rubin 1988; the recipe of the Tucuxi dosing software), which
///   corrects the Gaussian where the posterior is skewed;
/// - ``metropolis(draws:burnIn:thinning:seed:)``: random-walk Metropolis for posteriors the
///   Laplace approximation misrepresents (multimodal, strongly curved).
///
/// Every random number comes from TwinEnsemble's `MemberRandomStream(seed:member:)` with a
/// fixed member per proposal or chain step, so results are identical for any thread count.
///
/// ```swift
/// let sampler = try PosteriorSampler(objective: objective, mode: fit.convergence.parameters,
///                                    covariance: info.covariance!, names: ["CL", "V1"])
/// let sir = try sampler.importanceResampling(proposals: 100_000, draws: 10_000, seed: 7, threads: 2)
/// ```
///
/// References: Rubin DB (1988) Using the SIR algorithm to simulate posterior distributions.
/// Bayesian Statistics 3:395–402. Roberts GO, Gelman A, Gilks WR (1997) Weak convergence and
/// optimal scaling of random walk Metropolis algorithms. Ann Appl Probab 7:110–120 (the 2.38/√d
/// scale). Geyer CJ (1992) Practical Markov chain Monte Carlo. Stat Sci 7:473–483 (the initial
/// positive sequence estimator of the autocorrelation time). Kish L (1965) Survey Sampling
/// (effective sample size of weights).
public struct PosteriorSampler<Predictor: ObservationPredictor>: Sendable where Predictor: Sendable {
    /// The objective, −2·log posterior up to a constant.
    public let objective: FitObjective<Predictor>
    /// The MAP estimate on the transformed scale.
    public let mode: [Double]
    /// The Cholesky factor L (row-major, lower) of the Laplace covariance on the transformed scale.
    let factor: [Double]
    /// Parameter names for the sample.
    public let names: [String]

    /// A sampler around `mode` with Laplace covariance `covariance` (n × n row-major, the
    /// inverse of half the objective's curvature at the mode).
    ///
    /// - Throws: ``FitError/invalidPrior(_:)`` when the covariance is not positive definite.
    public init(objective: FitObjective<Predictor>, mode: [Double], covariance: [Double], names: [String]) throws(FitError) {
        let n = mode.count
        guard covariance.count == n * n, names.count == n else { throw .invalidPrior("posterior: \(n) parameters, \(covariance.count) covariance entries, \(names.count) names") }
        let matrix = Matrix<Double>(rows: n, columns: n) { i, j in covariance[i * n + j] }
        guard let cholesky = try? CholeskyFactorization(matrix) else {
            throw .invalidPrior("the Laplace covariance is not positive definite; the posterior cannot be sampled around the mode")
        }
        let lower = cholesky.lower
        var factor = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { factor[i * n + j] = lower[i, j] } }
        self.objective = objective
        self.mode = mode
        self.factor = factor
        self.names = names
    }

    /// `count` independent draws from the Laplace approximation N(mode, Σ).
    public func laplace(draws count: Int, seed: UInt64) -> PosteriorSample {
        let n = mode.count
        var rows: [[Double]] = []
        rows.reserveCapacity(count)
        var z = [Double](repeating: 0, count: n), u = mode
        for d in 0..<count {
            var stream = MemberRandomStream(seed: seed, member: d)
            for j in 0..<n { z[j] = stream.standardNormal() }
            displace(by: z, scale: 1, into: &u)
            rows.append(natural(u))
        }
        return PosteriorSample(parameterNames: names, draws: rows, method: .laplace, effectiveSampleSize: Double(count),
                               acceptanceRate: nil, seed: seed)
    }

    /// Sampling–importance–resampling: `proposals` draws from a multivariate Student-t with
    /// `degreesOfFreedom` around the mode with the Laplace covariance, weighted by
    /// posterior/proposal, then `draws` of them resampled systematically (with replacement).
    ///
    /// - Throws: ``FitError/notEvaluable(subject:reason:)`` when no proposal can be evaluated.
    public func importanceResampling(proposals: Int, draws count: Int, seed: UInt64, threads: Int = 1,
                                     degreesOfFreedom nu: Int = 5) throws(FitError) -> PosteriorSample {
        let (points, logQ) = proposalPoints(proposals, seed: seed, degreesOfFreedom: nu)
        let n = mode.count
        let objectives = Mutex([Double?](repeating: nil, count: proposals))
        let workers = max(1, min(threads, proposals))
        let chunk = (proposals + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var local = objective
            var gradient = [Double](repeating: 0, count: n), curvature = [Double](repeating: 0, count: n * n)
            let range = (w * chunk)..<min(proposals, (w + 1) * chunk)
            let values = range.map { local.evaluate(points[$0], gradient: &gradient, curvature: &curvature) }
            objectives.withLock { all in for (k, i) in range.enumerated() { all[i] = values[k] } }
        }
        return try resample(points, logQ: logQ, objectives: objectives.withLock { $0 }, draws: count, seed: seed)
    }

    /// Sampling–importance–resampling with the objective of every proposal computed by
    /// `objectives` in one batch (the ensemble engine for ODE models: ``EnsembleObjective``); the
    /// proposals and the resampling are those of
    /// ``importanceResampling(proposals:draws:seed:threads:degreesOfFreedom:)``.
    public func importanceResampling(proposals: Int, draws count: Int, seed: UInt64, degreesOfFreedom nu: Int = 5,
                                     objectives: ([[Double]]) -> [Double?]) throws(FitError) -> PosteriorSample {
        let (points, logQ) = proposalPoints(proposals, seed: seed, degreesOfFreedom: nu)
        return try resample(points, logQ: logQ, objectives: objectives(points), draws: count, seed: seed)
    }

    /// `count` draws from the multivariate Student-t with `nu` degrees of freedom around the mode
    /// with the Laplace covariance, proposal i from `MemberRandomStream(seed:member: i)`, and the
    /// log density of each up to a constant: −(ν + n)/2 · log(1 + Q/ν), Q the Mahalanobis distance².
    func proposalPoints(_ count: Int, seed: UInt64, degreesOfFreedom nu: Int) -> (points: [[Double]], logQ: [Double]) {
        let n = mode.count
        var points: [[Double]] = [], logQ: [Double] = []
        points.reserveCapacity(count); logQ.reserveCapacity(count)
        var z = [Double](repeating: 0, count: n), u = mode
        for i in 0..<count {
            var stream = MemberRandomStream(seed: seed, member: i)
            for j in 0..<n { z[j] = stream.standardNormal() }
            var chi2 = 0.0
            for _ in 0..<nu { let g = stream.standardNormal(); chi2 += g * g }
            let scale = (Double(nu) / chi2).squareRoot()
            displace(by: z, scale: scale, into: &u)
            var q = 0.0
            for j in 0..<n { q += z[j] * z[j] }
            q *= scale * scale
            points.append(u)
            logQ.append(-0.5 * Double(nu + n) * Double.log(onePlus: q / Double(nu)))
        }
        return (points, logQ)
    }

    /// Weights posterior/proposal (exp(−½·OBJ)/q; 0 where OBJ is nil) and `count` draws by
    /// systematic resampling: one uniform offset from `MemberRandomStream(seed:member: proposals)`,
    /// `count` equally spaced pointers.
    private func resample(_ points: [[Double]], logQ: [Double], objectives: [Double?], draws count: Int,
                          seed: UInt64) throws(FitError) -> PosteriorSample {
        let proposals = points.count
        let logW = (0..<proposals).map { i in objectives[i].map { -0.5 * $0 - logQ[i] } ?? -.infinity }
        guard let top = logW.max(), top > -.infinity else {
            throw .notEvaluable(subject: "", reason: "no SIR proposal could be evaluated")
        }
        var weights = logW.map { Double.exp($0 - top) }
        let total = weights.reduce(0, +)
        let ess = total * total / weights.reduce(0) { $0 + $1 * $1 }
        for i in weights.indices { weights[i] /= total }
        var stream = MemberRandomStream(seed: seed, member: proposals)
        let offset = stream.uniform() / Double(count)
        var rows: [[Double]] = []
        rows.reserveCapacity(count)
        var cumulative = weights[0], i = 0
        for k in 0..<count {
            let pointer = offset + Double(k) / Double(count)
            while cumulative < pointer && i < proposals - 1 { i += 1; cumulative += weights[i] }
            rows.append(natural(points[i]))
        }
        return PosteriorSample(parameterNames: names, draws: rows, method: .importanceResampling, effectiveSampleSize: ess,
                               acceptanceRate: nil, seed: seed)
    }

    /// Random-walk Metropolis from the mode: proposals u + (2.38/√n)·L·z, `burnIn` steps
    /// discarded, then every `thinning`-th state kept until `draws` are kept.
    public func metropolis(draws count: Int, burnIn: Int = 1000, thinning: Int = 1, seed: UInt64) -> PosteriorSample {
        let n = mode.count
        var local = objective
        var gradient = [Double](repeating: 0, count: n), curvature = [Double](repeating: 0, count: n * n)
        var current = mode
        var currentLog = local.evaluate(current, gradient: &gradient, curvature: &curvature).map { -0.5 * $0 } ?? -.infinity
        var z = [Double](repeating: 0, count: n), trial = mode
        let scale = 2.38 / Double(n).squareRoot()
        var accepted = 0, steps = 0
        var kept: [[Double]] = []
        kept.reserveCapacity(count)
        var chain: [[Double]] = []           // transformed scale, for the autocorrelation time
        chain.reserveCapacity(count)
        let total = burnIn + count * max(1, thinning)
        for step in 0..<total {
            var stream = MemberRandomStream(seed: seed, member: step)
            for j in 0..<n { z[j] = stream.standardNormal() }
            displace(from: current, by: z, scale: scale, into: &trial)
            let logTrial = local.evaluate(trial, gradient: &gradient, curvature: &curvature).map { -0.5 * $0 } ?? -.infinity
            if Double.log(stream.uniform()) < logTrial - currentLog {
                current = trial
                currentLog = logTrial
                if step >= burnIn { accepted += 1 }
            }
            if step >= burnIn {
                steps += 1
                if (step - burnIn) % max(1, thinning) == 0 {
                    kept.append(natural(current))
                    chain.append(current)
                }
            }
        }
        let times = (0..<n).map { j in Self.autocorrelationTime(chain.map { $0[j] }) }
        let ess = Double(kept.count) / (times.max() ?? 1)
        return PosteriorSample(parameterNames: names, draws: kept, method: .metropolis, effectiveSampleSize: ess,
                               acceptanceRate: Double(accepted) / Double(max(steps, 1)), seed: seed)
    }

    /// u = mode + scale·L·z.
    private func displace(by z: [Double], scale: Double, into u: inout [Double]) {
        displace(from: mode, by: z, scale: scale, into: &u)
    }

    private func displace(from origin: [Double], by z: [Double], scale: Double, into u: inout [Double]) {
        let n = origin.count
        for i in 0..<n {
            var s = 0.0
            for j in 0...i { s += factor[i * n + j] * z[j] }
            u[i] = origin[i] + scale * s
        }
    }

    /// The natural-scale values of u: the transforms of the model parameters, exp of the log
    /// standard deviations.
    func natural(_ u: [Double]) -> [Double] {
        let k = objective.transforms.count
        return u.indices.map { $0 < k ? objective.transforms[$0].natural(from: u[$0]) : Double.exp(u[$0]) }
    }

    /// The integrated autocorrelation time 1 + 2·Σρ_t, summed over Geyer's initial positive
    /// sequence (pairs ρ_{2m} + ρ_{2m+1} while positive).
    static func autocorrelationTime(_ x: [Double]) -> Double {
        let n = x.count
        guard n > 3 else { return 1 }
        let mean = x.reduce(0, +) / Double(n)
        var c0 = 0.0
        for v in x { c0 += (v - mean) * (v - mean) }
        guard c0 > 0 else { return 1 }
        func rho(_ t: Int) -> Double {
            var s = 0.0
            for i in 0..<(n - t) { s += (x[i] - mean) * (x[i + t] - mean) }
            return s / c0
        }
        var tau = 1.0, m = 0
        while 2 * m + 2 < n {
            let pair = rho(2 * m + 1) + rho(2 * m + 2)
            if pair <= 0 { break }
            tau += 2 * pair
            m += 1
        }
        return max(tau, 1)
    }
}
