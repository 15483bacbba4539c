import MedTwin

/// What `medtwin fit` asks of TwinFit, independent of the model's type: the flags, parsed.
struct FitSettings: Sendable {
    /// The estimated parameters, in the model's spelling (from --estimate, or named by the
    /// --population model).
    var estimate: [String]
    /// Held parameters (--fix), by the model's spelling.
    var fixed: [String: Double]
    /// Start values of estimated parameters (--start), natural scale.
    var start: [String: Double]
    /// The residual error model of every output; its SDs are start values (estimated).
    var errorModel: ResidualErrorModel
    /// --blq.
    var censoring: CensoringMethod
    /// False with --ode.
    var preferClosedForm: Bool
    /// ftol = xtol = gtol of the trust-region minimiser.
    var tolerance: Double
    /// Subjects fitted in parallel.
    var threads: Int
    /// The population model of --population: it names the estimated parameters, their prior
    /// (typical values with the subject's covariates, Ω) and the residual error, per subject.
    var population: PopulationModel? = nil
}

/// A subject that could not be fitted (or read), and why.
struct FitFailure: Error, Codable, Sendable, Hashable {
    var subject: String
    var message: String
}

/// One fitted subject: the library's fit, the record it came from and the full parameter vector
/// the fit implies (the model's typical values, the --fix values, then the estimates), which is
/// what the plot simulates.
struct SubjectFit: Sendable {
    var fit: IndividualFit
    var record: PatientRecord
    var parameters: [Double]
}

/// Builds the library's specification for a concrete model type and fits the subjects. The model
/// is type-erased in the catalogue (`AnyPhysiologicalModel.model` is `any PhysiologicalModel`);
/// calling these generic functions with it opens the existential.
enum FitEngine {
    /// The specification `settings` describe for `model`.
    ///
    /// - Throws: ``FitError`` for an unknown or conflicting parameter, a fixed value out of range
    ///   or an unusable error model (the CLI checks these first, with the flag's name).
    static func specification<M: PhysiologicalModel>(_ model: M, settings: FitSettings) throws(FitError) -> FitSpecification<M> {
        var spec = try FitSpecification(model: model, estimate: settings.estimate, fixed: settings.fixed,
                                        errorModels: Array(repeating: settings.errorModel, count: model.outputs.count))
        spec.start = settings.start
        spec.censoring = settings.censoring
        spec.preferClosedForm = settings.preferClosedForm
        let t = settings.tolerance
        spec.options = TrustRegionOptions(functionTolerance: t, stepTolerance: t, gradientTolerance: t)
        return spec
    }

    /// Builds the specification and drops it: the library's own checks, run before any work.
    static func check<M: PhysiologicalModel>(_ model: M, settings: FitSettings) throws(FitError) {
        _ = try specification(model, settings: settings)
    }

    /// Fits every record independently on `settings.threads` threads (results in the records'
    /// order, the same for any thread count); a subject's failure is its own.
    static func run<M: PhysiologicalModel>(_ model: M, settings: FitSettings,
                                           records: [PatientRecord]) throws(FitError) -> (fits: [SubjectFit], failures: [FitFailure]) {
        if let population = settings.population { return runWithPopulation(model, population: population, settings: settings, records: records) }
        let spec = try specification(model, settings: settings)
        let outcomes = IndividualFitter(specification: spec).fit(records, threads: settings.threads)
        var fits: [SubjectFit] = [], failures: [FitFailure] = []
        for (record, outcome) in zip(records, outcomes) {
            switch outcome {
            case .success(let fit):
                fits.append(SubjectFit(fit: fit, record: record, parameters: spec.fullParameters(estimates: fit.estimates)))
            case .failure(let error):
                failures.append(FitFailure(subject: record.id, message: Self.message(for: error, subject: record.id)))
            }
        }
        return (fits, failures)
    }

    /// The specification of one subject under a population model: its prior and fixed values
    /// depend on the subject's covariates.
    static func populationSpecification<M: PhysiologicalModel>(_ model: M, population: PopulationModel, settings: FitSettings,
                                                               record: PatientRecord) throws(PopulationModelError) -> FitSpecification<M> {
        var spec = try population.fitSpecification(model: model, record: record)
        spec.censoring = settings.censoring
        spec.preferClosedForm = settings.preferClosedForm
        let t = settings.tolerance
        spec.options = TrustRegionOptions(functionTolerance: t, stepTolerance: t, gradientTolerance: t, objectiveScaleFloor: 1)
        return spec
    }

    /// MAP fits (Bayesian individualisation) of every record under `population`, each with its
    /// own specification, on `settings.threads` threads; results in the records' order.
    static func runWithPopulation<M: PhysiologicalModel>(_ model: M, population: PopulationModel, settings: FitSettings,
                                                         records: [PatientRecord]) -> (fits: [SubjectFit], failures: [FitFailure]) {
        let outcomes = ParallelMap.map(records, threads: settings.threads) { record -> Result<SubjectFit, FitFailure> in
            do {
                let spec = try populationSpecification(model, population: population, settings: settings, record: record)
                let fit = try IndividualFitter(specification: spec).fit(record)
                return .success(SubjectFit(fit: fit, record: record, parameters: spec.fullParameters(estimates: fit.estimates)))
            } catch let error as FitError {
                return .failure(FitFailure(subject: record.id, message: message(for: error, subject: record.id)))
            } catch {
                return .failure(FitFailure(subject: record.id, message: "subject \(record.id): \(error)"))
            }
        }
        var fits: [SubjectFit] = [], failures: [FitFailure] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let fit): fits.append(fit)
            case .failure(let failure): failures.append(failure)
            }
        }
        return (fits, failures)
    }

    /// The library's message, prefixed with the subject where the error does not name it.
    static func message(for error: FitError, subject: String) -> String {
        let text = error.description
        return text.hasPrefix("subject \(subject)") ? text : "subject \(subject): \(text)"
    }
}
