import TwinData

/// How to draw from a subject's posterior after its MAP fit.
public enum PosteriorMethod: Sendable, Hashable {
    /// Independent draws from the Laplace approximation at the mode.
    case laplace(draws: Int)
    /// Sampling–importance–resampling: `proposals` Student-t proposals, `draws` resampled.
    case importanceResampling(proposals: Int, draws: Int)
    /// Random-walk Metropolis: `draws` kept after `burnIn` steps.
    case metropolis(draws: Int, burnIn: Int)
}

extension IndividualFitter {
    /// Draws from the posterior of `record`'s parameters around its fit `fit` (the mode and
    /// Laplace covariance of ``IndividualFit/convergence`` and ``IndividualFit/information``),
    /// on the same objective the fit minimised — with a population prior, the Bayesian posterior
    /// of the individual parameters. On the ODE path, SIR evaluates all its proposals together
    /// through TwinEnsemble's lane engine (``EnsembleObjective``).
    ///
    /// ```swift
    /// let fit = try fitter.fit(record)
    /// let sample = try fitter.posterior(record, fit: fit, method: .importanceResampling(proposals: 10_000, draws: 1_000), seed: 1)
    /// ```
    ///
    /// - Throws: ``FitError/invalidPrior(_:)`` when the fit's information matrix is singular (no
    ///   Laplace covariance to start from), and the errors of ``fit(_:)`` for the record.
    public func posterior(_ record: PatientRecord, fit: IndividualFit, method: PosteriorMethod, seed: UInt64,
                          threads: Int = 1) throws(FitError) -> PosteriorSample {
        guard let covariance = fit.information?.covariance else {
            throw .invalidPrior("subject \(record.id): the information matrix at the estimate is singular, so the posterior has no Laplace covariance to sample around")
        }
        let names = fit.parameterNames + (specification.estimateErrorModel ? fit.errorModels.flatMap(\.parameterNames) : [])
        let prepared = try prepare(record)
        switch prepared.objective {
        case .closedForm(let objective):
            return try draw(PosteriorSampler(objective: objective, mode: fit.convergence.parameters, covariance: covariance, names: names),
                            method: method, seed: seed, threads: threads)
        case .ode(let objective):
            let sampler = try PosteriorSampler(objective: objective, mode: fit.convergence.parameters, covariance: covariance, names: names)
            // SIR of an ODE model: every proposal's ODEs at once through the ensemble engine.
            if case let .importanceResampling(proposals, draws) = method {
                var batch = EnsembleObjective(model: specification.model, record: record, observations: prepared.data.observations,
                                              outputs: prepared.data.outputs, objective: objective, threads: threads)
                batch.relativeTolerance = specification.relativeTolerance
                batch.absoluteTolerance = specification.absoluteTolerance
                return try sampler.importanceResampling(proposals: proposals, draws: draws, seed: seed) { batch.evaluate($0) }
            }
            return try draw(sampler, method: method, seed: seed, threads: threads)
        }
    }

    private func draw<P: ObservationPredictor & Sendable>(_ sampler: PosteriorSampler<P>, method: PosteriorMethod, seed: UInt64, threads: Int) throws(FitError) -> PosteriorSample {
        switch method {
        case .laplace(let draws):
            return sampler.laplace(draws: draws, seed: seed)
        case .importanceResampling(let proposals, let draws):
            return try sampler.importanceResampling(proposals: proposals, draws: draws, seed: seed, threads: threads)
        case .metropolis(let draws, let burnIn):
            return sampler.metropolis(draws: draws, burnIn: burnIn, seed: seed)
        }
    }
}
