import RealModule

/// The objective one subject's fit minimises, on the transformed scale u of the estimated
/// parameters (and the log of the residual standard deviations, when they are estimated):
///
///     OBJ(u) = Σᵢ [ln(2π) + ln Vᵢ + (yᵢ − fᵢ)²/Vᵢ]  −  2 Σ_censored ln Φ((LLOQᵢ − fᵢ)/√Vᵢ)  +  ηᵀΩ⁻¹η
///
/// — the −2 log-likelihood of the Gaussian residual error model (Vᵢ recomputed at every u for
/// proportional and combined error), Beal's M3 term for observations below the LLOQ, and, with
/// a ``ParameterPrior``, the prior term of NONMEM's POSTHOC (maximum a posteriori) step with
/// η = u − log θ (on each parameter's transformed scale). For ``ResidualErrorModel/exponential(_:)``
/// y and f are replaced by log y and log f (the likelihood of log y; the constant Σ 2 ln yᵢ that
/// turns it into one of y is left out).
///
/// The gradient is exact (given exact ∂f/∂p); the curvature is the expected Fisher information
/// of the Gaussian, 2·Σ[∇f∇fᵀ/V + ½·∇V∇Vᵀ/V²], plus λ(λ + z)·∇z∇zᵀ·2 for each M3 term
/// (λ = φ(z)/Φ(z), the exact second derivative of −ln Φ in z) and 2Ω⁻¹: positive
/// semi-definite, which the Levenberg–Marquardt / Fisher-scoring minimiser needs.
public struct FitObjective<Predictor: ObservationPredictor>: ScoringObjective {
    /// The measured values (the log of them for log-scale error), one per observation.
    public let measured: [Double]
    /// True where the observation is censored (BLQ, M3); `measured` then holds the LLOQ.
    public let censored: [Bool]
    /// The output of each observation (index into `errorModels`).
    public let outputs: [Int]
    /// The residual error model of each output.
    public private(set) var errorModels: [ResidualErrorModel]
    /// Whether the residual standard deviations are estimated (appended to u on the log scale).
    public let estimatesErrorModel: Bool
    /// The full physiological parameter vector; the estimated entries are replaced by x(u).
    public let base: [Double]
    /// The transform of each estimated parameter (in the order of the predictor's indices).
    public let transforms: [ParameterTransform]
    /// The prior, or nil for a plain (maximum-likelihood) fit.
    public let prior: ParameterPrior?
    private let priorMean: [Double]

    // Workspace, reused by every evaluation.
    private var parameters: [Double]
    private var f: [Double]
    private var jacobian: [Double]
    private var gradF: [Double]
    private var gradV: [Double]
    private var sdDerivatives: [Double]
    private let sdOffsets: [Int]

    /// The number of entries of u: estimated model parameters, then log standard deviations.
    public let parameterCount: Int
    // The predictor's parameter indices and dx/du of the estimated parameters at the last u.
    private let indices: [Int]
    private var naturalDerivatives: [Double]
    // Model parameters derived from estimated ones, and the predictor's Jacobian (columns for
    // the estimated parameters, then the derived ones) before it is folded into `jacobian`.
    private var derived: [ResolvedDerivedParameter] = []
    private var predictorJacobian: [Double] = []
    // The u of the last evaluation when it succeeded (empty otherwise): the point that
    // `predictions` and `errorModels` belong to.
    private var evaluatedAt: [Double] = []

    /// The model's predictions. Stored last: fields after a generic one would have their offsets
    /// looked up at run time in every unspecialised access.
    public var predictor: Predictor

    /// An objective for `predictor`'s observations.
    ///
    /// - Parameters:
    ///   - measured: the observed values, natural scale; for censored ones the LLOQ.
    ///   - prior: the population prior on the estimated model parameters.
    public init(predictor: Predictor, measured: [Double], censored: [Bool], outputs: [Int], errorModels: [ResidualErrorModel],
                estimateErrorModel: Bool, base: [Double], transforms: [ParameterTransform], prior: ParameterPrior?) {
        self.predictor = predictor
        self.censored = censored
        self.outputs = outputs
        self.errorModels = errorModels
        self.estimatesErrorModel = estimateErrorModel
        self.base = base
        self.transforms = transforms
        self.prior = prior
        self.measured = zip(measured, outputs).map { y, k in errorModels[k].isLogScale ? Double.log(y) : y }
        priorMean = prior.map { p in zip(p.typical, transforms).map { x, t in t.transformed(from: x) ?? .nan } } ?? []
        var offsets: [Int] = []
        var count = transforms.count
        for model in errorModels {
            offsets.append(count)
            if estimateErrorModel { count += model.standardDeviationCount }
        }
        sdOffsets = offsets
        parameterCount = count
        parameters = base
        let m = predictor.observationCount
        f = [Double](repeating: 0, count: m)
        jacobian = [Double](repeating: 0, count: m * transforms.count)
        gradF = [Double](repeating: 0, count: count)
        gradV = [Double](repeating: 0, count: count)
        sdDerivatives = [Double](repeating: 0, count: 2)
        indices = predictor.parameterIndices
        naturalDerivatives = [Double](repeating: 0, count: transforms.count)
    }

    /// The natural parameter vector for u (the estimated entries replaced).
    public func naturalParameters(_ u: [Double]) -> [Double] {
        var p = base
        for k in transforms.indices { p[indices[k]] = transforms[k].natural(from: u[k]) }
        for relation in derived { p[relation.target] = relation.value { transforms[$0].natural(from: u[$0]) } }
        return p
    }

    /// Declares model parameters derived from the estimated ones; the predictor's parameter
    /// indices must be the estimated parameters' followed by these targets, in order.
    mutating func setDerived(_ relations: [ResolvedDerivedParameter]) {
        derived = relations
        predictorJacobian = relations.isEmpty ? [] : [Double](repeating: 0, count: f.count * indices.count)
    }

    /// Sets the derived parameters from the estimated ones in `parameters`, before a prediction.
    private mutating func applyDerived() {
        for relation in derived { parameters[relation.target] = relation.value { parameters[indices[$0]] } }
    }

    /// Folds the derived columns of the predictor's Jacobian into the estimated ones:
    /// ∂f/∂x_c += ∂f/∂x_t · power · x_t / x_c for each term of each derived x_t.
    private mutating func foldDerivedJacobian() {
        let k = transforms.count, stride = indices.count
        for i in 0..<f.count {
            for c in 0..<k { jacobian[i * k + c] = predictorJacobian[i * stride + c] }
            for (t, relation) in derived.enumerated() {
                let column = predictorJacobian[i * stride + k + t], xt = parameters[relation.target]
                for term in relation.terms {
                    jacobian[i * k + term.column] += column * term.power * xt / parameters[indices[term.column]]
                }
            }
        }
    }

    /// One prediction at the current `parameters` into `f` and `jacobian` (derived parameters
    /// applied and folded).
    private mutating func predictAtParameters() -> Bool {
        guard !derived.isEmpty else { return predictor.predict(parameters, values: &f, jacobian: &jacobian) }
        applyDerived()
        guard predictor.predict(parameters, values: &f, jacobian: &predictorJacobian) else { return false }
        foldDerivedJacobian()
        return true
    }

    /// The residual error models at u (the estimated standard deviations replaced).
    public func errorModels(at u: [Double]) -> [ResidualErrorModel] {
        guard estimatesErrorModel else { return errorModels }
        return errorModels.enumerated().map { k, model in
            var updated = model
            for s in 0..<model.standardDeviationCount {
                updated = updated.replacingStandardDeviation(s, with: Double.exp(u[sdOffsets[k] + s]))
            }
            return updated
        }
    }

    /// The predictions at the last evaluated point (natural scale).
    public var predictions: [Double] { f }

    /// OBJ(u) into the return value, ∇OBJ into `gradient` and the Fisher-scoring curvature into
    /// `curvature` (row-major), or nil when the model cannot be evaluated at u.
    public mutating func evaluate(_ u: [Double], gradient: inout [Double], curvature: inout [Double]) -> Double? {
        let n = parameterCount, k = transforms.count
        guard u.count == n, u.allSatisfy(\.isFinite) else { return nil }
        precondition(gradient.count >= n && curvature.count >= n * n, "FitObjective.evaluate: gradient or curvature too short")
        evaluatedAt = []
        for c in 0..<k {
            let x = transforms[c].natural(from: u[c])
            parameters[indices[c]] = x
            // dx/du, once per evaluation (for the log scale x itself: no second exp).
            if case .log = transforms[c] { naturalDerivatives[c] = x } else { naturalDerivatives[c] = transforms[c].derivative(at: u[c]) }
        }
        if estimatesErrorModel {
            for k in errorModels.indices {
                for s in 0..<errorModels[k].standardDeviationCount {
                    errorModels[k] = errorModels[k].replacingStandardDeviation(s, with: Double.exp(u[sdOffsets[k] + s]))
                }
            }
        }
        guard predictAtParameters() else { return nil }
        // The workspace moves into locals for the loop (uniquely owned there: no copy, and no
        // uniqueness check of a stored property per write); `defer` puts it back on every exit.
        var gradF = self.gradF, gradV = self.gradV, sdDerivatives = self.sdDerivatives
        self.gradF = []; self.gradV = []; self.sdDerivatives = []
        defer { self.gradF = gradF; self.gradV = gradV; self.sdDerivatives = sdDerivatives }
        var objective = 0.0
        let log2pi = Double.log(2 * Double.pi)
        let m = f.count
        precondition(gradF.count == n && gradV.count == n, "FitObjective.evaluate: workspace of the wrong size")
        let completed = gradient.withUnsafeMutableBufferPointer { gradient in curvature.withUnsafeMutableBufferPointer { curvature in
            gradF.withUnsafeMutableBufferPointer { gradF in gradV.withUnsafeMutableBufferPointer { gradV in
            // Safe: gradient, gradF and gradV hold ≥ n entries and curvature ≥ n·n (the
            // preconditions), and every index below is a or a·n + b with a, b < n.
            for i in 0..<n { gradient[i] = 0 }
            for i in 0..<(n * n) { curvature[i] = 0 }
            // Additive and exponential error give every observation of an output the same variance:
            // V, ln V and ∂V/∂log s are then computed once per output (`cachedOutput`).
            var cachedOutput = -1, cachedVariance = 0.0, cachedLogVariance = 0.0
            for i in 0..<m {
                let output = outputs[i]
                let model = errorModels[output]
                let prediction = f[i]
                var fi = prediction
                // ∂f/∂u for the model parameters (chain rule through the transforms).
                var chain = 1.0
                if model.isLogScale {
                    guard fi > 0 else { return false }
                    chain = 1 / fi
                    fi = Double.log(fi)
                }
                let row = i * k
                for c in 0..<k { gradF[c] = jacobian[row + c] * naturalDerivatives[c] * chain }
                // The variance at the natural-scale prediction (constant for log-scale error).
                let v: Double, logV: Double
                if output == cachedOutput {
                    v = cachedVariance
                    logV = cachedLogVariance
                } else {
                    v = model.variance(prediction: prediction)
                    guard v > 0, v.isFinite else { return false }
                    logV = Double.log(v)
                    if estimatesErrorModel { model.varianceLogScaleDerivatives(prediction: prediction, into: &sdDerivatives) }
                    switch model {
                    case .additive, .exponential: (cachedOutput, cachedVariance, cachedLogVariance) = (output, v, logV)
                    case .proportional, .combined: cachedOutput = -1
                    }
                }
                let dvdf = model.varianceDerivative(prediction: prediction)
                // The curvature's upper triangle only; mirrored below.
                if censored[i] {
                    // ∇V: dV/df·∇f for the model parameters, ∂V/∂log s for this output's SDs.
                    for c in k..<n { gradF[c] = 0; gradV[c] = 0 }
                    for c in 0..<k { gradV[c] = dvdf * gradF[c] }
                    if estimatesErrorModel {
                        for s in 0..<model.standardDeviationCount { gradV[sdOffsets[output] + s] = sdDerivatives[s] }
                    }
                    // −2 ln Φ(z), z = (LLOQ − f)/√V.
                    let sd = v.squareRoot()
                    let z = (measured[i] - fi) / sd
                    let (logPhi, lambda) = Self.logNormalCDFAndMillsRatio(z)
                    objective += -2 * logPhi
                    let curvatureWeight = 2 * lambda * (lambda + z)
                    for a in 0..<n {
                        let dza = -gradF[a] / sd - z / (2 * v) * gradV[a]
                        gradient[a] += -2 * lambda * dza
                        for b in a..<n {
                            let dzb = -gradF[b] / sd - z / (2 * v) * gradV[b]
                            curvature[a * n + b] += curvatureWeight * dza * dzb
                        }
                    }
                } else {
                    let r = measured[i] - fi
                    objective += log2pi + logV + r * r / v
                    let a1 = 1 / v - r * r / (v * v)
                    let twoROverV = 2 * r / v, inverseV2 = 1 / (v * v)
                    // ∇V = (dV/df·∇f, ∂V/∂log s): the model block of ∇f∇fᵀ·2/V + ∇V∇Vᵀ/V² is
                    // (2/V + (dV/df)²/V²)·∇f∇fᵀ, the rest involves this output's SDs only.
                    let modelWeight = 2 / v + dvdf * dvdf * inverseV2
                    let gradientWeight = a1 * dvdf - twoROverV
                    for a in 0..<k {
                        let gfa = gradF[a]
                        gradient[a] += gradientWeight * gfa
                        let wa = modelWeight * gfa
                        for b in a..<k { curvature[a * n + b] += wa * gradF[b] }
                    }
                    if estimatesErrorModel {
                        let offset = sdOffsets[output], count = model.standardDeviationCount
                        for s in 0..<count {
                            let g = sdDerivatives[s], j = offset + s
                            gradient[j] += a1 * g
                            let cross = dvdf * inverseV2 * g
                            for a in 0..<k { curvature[a * n + j] += cross * gradF[a] }
                            for s2 in s..<count { curvature[j * n + offset + s2] += inverseV2 * g * sdDerivatives[s2] }
                        }
                    }
                }
            }
            return true
        } } } }
        guard completed else { return nil }
        for a in 0..<n { for b in (a + 1)..<n { curvature[b * n + a] = curvature[a * n + b] } }
        if let prior {
            for a in 0..<k {
                var s = 0.0
                for b in 0..<k { s += prior.precision[a * k + b] * (u[b] - priorMean[b]) }
                objective += (u[a] - priorMean[a]) * s
                gradient[a] += 2 * s
                for b in 0..<k { curvature[a * n + b] += 2 * prior.precision[a * k + b] }
            }
        }
        guard objective.isFinite else { return nil }
        evaluatedAt = u
        return objective
    }

    /// Whether the last evaluation succeeded at exactly `u`, so that ``predictions`` and
    /// ``errorModels`` belong to it.
    func isEvaluated(at u: [Double]) -> Bool { !evaluatedAt.isEmpty && evaluatedAt == u }

    /// Start values for the estimated log standard deviations: for each output, the value that
    /// maximises the likelihood at the model parameters of `u` with the others held (the
    /// root-mean-square residual on the error model's scale: |y − f| for additive, |y − f|/f for
    /// proportional, |log y − log f| for exponential; for combined error half the variance to
    /// each part). A start far from these makes the first steps trade the model parameters for a
    /// huge standard deviation, from which Fisher scoring climbs back only slowly. Returns `u`
    /// unchanged when the error model is not estimated or the model cannot be evaluated.
    public mutating func withProfiledStandardDeviations(_ u: [Double]) -> [Double] {
        guard estimatesErrorModel else { return u }
        evaluatedAt = []
        for c in transforms.indices { parameters[indices[c]] = transforms[c].natural(from: u[c]) }
        guard predictAtParameters() else { return u }
        var sums = [Double](repeating: 0, count: errorModels.count), counts = sums
        for i in 0..<f.count where !censored[i] {
            let k = outputs[i]
            let r: Double
            switch errorModels[k] {
            case .additive, .combined: r = measured[i] - f[i]
            case .proportional: guard f[i] != 0 else { continue }; r = (measured[i] - f[i]) / f[i]
            case .exponential: guard f[i] > 0 else { continue }; r = measured[i] - Double.log(f[i])
            }
            sums[k] += r * r
            counts[k] += 1
        }
        var v = u
        for (k, model) in errorModels.enumerated() where counts[k] > 0 {
            let meanSquare = sums[k] / counts[k]
            guard meanSquare > 0, meanSquare.isFinite else { continue }
            let offset = sdOffsets[k]
            switch model {
            case .additive, .proportional, .exponential:
                v[offset] = 0.5 * Double.log(meanSquare)
            case .combined:
                // Half the mean square to a², half to (b·f̄)² with f̄ the mean prediction.
                var meanPrediction = 0.0, n = 0.0
                for i in 0..<f.count where outputs[i] == k && !censored[i] { meanPrediction += abs(f[i]); n += 1 }
                meanPrediction /= max(n, 1)
                v[offset] = 0.5 * Double.log(meanSquare / 2)
                if meanPrediction > 0 { v[offset + 1] = 0.5 * Double.log(meanSquare / 2) - Double.log(meanPrediction) }
            }
        }
        return v
    }

    /// OBJ(u) for predictions `predictions` made elsewhere (the ensemble engine's, for a batch of
    /// u): the same −2 log L, M3 and prior terms as ``evaluate(_:gradient:curvature:)``, without
    /// derivatives; nil for a non-finite or unusable prediction.
    public func value(_ u: [Double], predictions: [Double]) -> Double? {
        guard u.count == parameterCount, predictions.count == measured.count else { return nil }
        let models = errorModels(at: u)
        var objective = 0.0
        let log2pi = Double.log(2 * Double.pi)
        for i in 0..<predictions.count {
            let model = models[outputs[i]]
            var fi = predictions[i]
            guard fi.isFinite else { return nil }
            let v = model.variance(prediction: fi)
            guard v > 0, v.isFinite else { return nil }
            if model.isLogScale {
                guard fi > 0 else { return nil }
                fi = Double.log(fi)
            }
            if censored[i] {
                objective += -2 * Self.logNormalCDFAndMillsRatio((measured[i] - fi) / v.squareRoot()).0
            } else {
                let r = measured[i] - fi
                objective += log2pi + Double.log(v) + r * r / v
            }
        }
        if let prior {
            let k = transforms.count
            for a in 0..<k {
                var s = 0.0
                for b in 0..<k { s += prior.precision[a * k + b] * (u[b] - priorMean[b]) }
                objective += (u[a] - priorMean[a]) * s
            }
        }
        return objective.isFinite ? objective : nil
    }

    /// ln Φ(z) and the inverse Mills ratio λ = φ(z)/Φ(z), accurate far into the lower tail
    /// (Φ by erfc; for z < −30 the asymptotic λ ≈ −z·(1 + 1/z²)⁻¹ and ln Φ ≈ ln φ(z) − ln(−z)).
    static func logNormalCDFAndMillsRatio(_ z: Double) -> (Double, Double) {
        let logPhiDensity = -0.5 * z * z - 0.5 * Double.log(2 * Double.pi)
        if z < -30 {
            return (logPhiDensity - Double.log(-z), -z / (1 - 1 / (z * z)))
        }
        let cdf = 0.5 * Double.erfc(-z / 2.0.squareRoot())
        return (Double.log(cdf), Double.exp(logPhiDensity) / cdf)
    }
}

extension FitObjective: Sendable where Predictor: Sendable {}
