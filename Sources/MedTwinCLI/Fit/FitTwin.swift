import ArgumentParser
import Foundation
import MedTwin

/// `medtwin fit --write-twin`: one patient's twin file — the model, the population model, the
/// record, the fit, posterior draws around it, provenance and a content hash (TwinFit's schema v1).
enum FitTwin {
    /// How the posterior draws are made (--posterior).
    enum Sampler: String, ExpressibleByArgument, CaseIterable, Sendable {
        case sir, mcmc, laplace
    }

    /// The posterior sample of `subject`'s fit: `draws` draws by `sampler` (SIR from 10 × `draws`
    /// Student-t proposals; Metropolis after 1,000 burn-in steps), on `threads` threads.
    static func posterior<M: PhysiologicalModel>(_ model: M, settings: FitSettings, subject: SubjectFit, sampler: Sampler,
                                                 draws: Int, seed: UInt64) throws -> PosteriorSample {
        let spec: FitSpecification<M>
        if let population = settings.population {
            spec = try FitEngine.populationSpecification(model, population: population, settings: settings, record: subject.record)
        } else {
            spec = try FitEngine.specification(model, settings: settings)
        }
        let method: PosteriorMethod = switch sampler {
        case .sir: .importanceResampling(proposals: 10 * draws, draws: draws)
        case .mcmc: .metropolis(draws: draws, burnIn: 1_000)
        case .laplace: .laplace(draws: draws)
        }
        return try IndividualFitter(specification: spec).posterior(subject.record, fit: subject.fit, method: method, seed: seed,
                                                                   threads: settings.threads)
    }

    /// The twin file of `subject`, encoded (sorted keys, content hash set).
    static func document(model: AnyPhysiologicalModel, settings: FitSettings, subject: SubjectFit, sample: PosteriorSample,
                         provenance: FitReport.Provenance) throws -> String {
        let k = sample.parameterNames.count
        let mean = sample.mean
        var covariance = [Double](repeating: 0, count: k * k)
        if sample.draws.count > 1 {
            for row in sample.draws {
                for i in 0..<k { for j in 0..<k { covariance[i * k + j] += (row[i] - mean[i]) * (row[j] - mean[j]) } }
            }
            for i in covariance.indices { covariance[i] /= Double(sample.draws.count - 1) }
        }
        let posterior = TwinPosterior(parameterNames: sample.parameterNames, mean: mean, covariance: covariance, draws: sample.draws,
                                      scale: "natural", method: sample.method.rawValue)
        let twin = TwinFile(model: model.name, population: settings.population, record: subject.record, estimates: subject.fit,
                            posterior: posterior, objective: subject.fit.objective,
                            provenance: TwinProvenance(medtwinVersion: EngineInfo.version, createdAt: provenance.created,
                                                       commandLine: CommandLine.arguments))
        return String(decoding: try twin.encode(), as: UTF8.self)
    }

    /// Console lines: each parameter's posterior mean and 90 % interval, and the sampler's numbers.
    static func summary(_ sample: PosteriorSample) -> [String] {
        let mean = sample.mean, low = sample.quantile(0.05), high = sample.quantile(0.95)
        var lines = ["posterior (\(sample.method.rawValue), \(sample.draws.count) draws, ESS \(ModelListing.format(sample.effectiveSampleSize))"
                     + (sample.acceptanceRate.map { ", acceptance \(ModelListing.format($0))" } ?? "") + "):"]
        for (j, name) in sample.parameterNames.enumerated() {
            lines.append("  \(name): mean \(ModelListing.format(mean[j])), 90 % interval \(ModelListing.format(low[j])) – \(ModelListing.format(high[j]))")
        }
        return lines
    }
}
