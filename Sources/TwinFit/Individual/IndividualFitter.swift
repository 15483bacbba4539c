import RealModule
import TwinData
import TwinModels
import TwinODE

/// Fits a model to one subject's records, or to many subjects one by one across threads.
///
/// The objective is ``FitObjective``: −2 log-likelihood (maximum likelihood; with additive error
/// the least-squares fit), or with a ``ParameterPrior`` the MAP objective of Bayesian
/// individualisation. Predictions come from the closed-form linear PK solution when the model
/// is `pk-1cmt`, `pk-2cmt` or `pk-3cmt` and ``FitSpecification/preferClosedForm`` is set, from
/// the ODEs with forward sensitivities otherwise. The minimiser is ``TrustRegionMinimizer``.
///
/// ```swift
/// let spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"])
/// let fits = IndividualFitter(specification: spec).fit(cohort.records, threads: 2)
/// for case .success(let fit) in fits { print(fit.subject, fit.estimates) }
/// ```
public struct IndividualFitter<Model: PhysiologicalModel>: Sendable {
    /// What is fitted.
    public var specification: FitSpecification<Model>

    public init(specification: FitSpecification<Model>) { self.specification = specification }

    /// Fits `record`.
    ///
    /// - Throws: ``FitError`` for a subject without usable observations, an observation the
    ///   model or error model cannot take, a record the model cannot simulate, or start values
    ///   at which the model cannot be evaluated.
    public func fit(_ record: PatientRecord) throws(FitError) -> IndividualFit {
        try fit(record, start: nil)
    }

    /// Fits `record` from start values `start` (natural scale, by name) that replace the
    /// specification's for this subject (e.g. values scaled by the subject's weight).
    public func fit(_ record: PatientRecord, start: [String: Double]?) throws(FitError) -> IndividualFit {
        let prepared = try prepare(record, start: start)
        switch prepared.objective {
        case .closedForm(let objective):
            return try run(objective, data: prepared.data, record: record, start: prepared.start, method: "closed-form")
        case .ode(let objective):
            return try run(objective, data: prepared.data, record: record, start: prepared.start, method: "ode")
        }
    }

    /// A subject's objective on whichever path predicts it.
    enum SubjectObjective {
        case closedForm(FitObjective<ClosedFormPredictor<Model>>)
        case ode(FitObjective<ODEPredictor<Model>>)
    }

    /// A subject's data, start point (transformed scale) and objective.
    struct Prepared {
        var data: ObservationSelection
        var start: [Double]
        var objective: SubjectObjective
    }

    /// Selects the observations, checks them, and builds the objective: closed form where the
    /// model and record allow it and the specification prefers it, ODE otherwise.
    @_specialize(where Model == OneCompartmentPK)
    @_specialize(where Model == TwoCompartmentPK)
    @_specialize(where Model == ThreeCompartmentPK)
    func prepare(_ record: PatientRecord, start override: [String: Double]? = nil) throws(FitError) -> Prepared {
        let spec = specification
        let model = spec.model
        let data = try ObservationSelection(record: record, model: model, errorModels: spec.errorModels, censoring: spec.censoring)
        let start = try startValues(override: override)
        let modelParameters = spec.estimatedIndices.count
        if spec.estimateErrorModel, data.observations.count <= modelParameters {
            throw .noObservations(subject: record.id, reason: "\(data.observations.count) observations cannot determine \(modelParameters) parameters and the residual error; fix the error model's standard deviations or give a population prior")
        }
        let derived = try spec.resolvedDerived()
        // The predictor differentiates in the estimated parameters, then the derived ones.
        let predicted = spec.estimatedIndices + derived.map(\.target)
        func objective<P: ObservationPredictor>(_ predictor: P) -> FitObjective<P> {
            var built = FitObjective(predictor: predictor, measured: data.values, censored: data.censored, outputs: data.outputs,
                                     errorModels: spec.errorModels, estimateErrorModel: spec.estimateErrorModel,
                                     base: spec.baseParameters, transforms: spec.transforms, prior: spec.prior)
            if !derived.isEmpty { built.setDerived(derived) }
            return built
        }
        if spec.preferClosedForm,
           let closed = ClosedFormPredictor(model: model, record: record, observations: data.observations, parameterIndices: predicted) {
            var built = objective(closed)
            return Prepared(data: data, start: built.withProfiledStandardDeviations(start), objective: .closedForm(built))
        }
        let natural = spec.fullParameters(estimates: spec.transforms.indices.map { spec.transforms[$0].natural(from: start[$0]) })
        let predictor = try ODEPredictor(model: model, record: record, observations: data.observations, outputIndices: data.outputs,
                                         parameterIndices: predicted, start: natural,
                                         relativeTolerance: spec.relativeTolerance, absoluteTolerance: spec.absoluteTolerance)
        var built = objective(predictor)
        return Prepared(data: data, start: built.withProfiledStandardDeviations(start), objective: .ode(built))
    }

    /// Fits every record independently on `threads` threads; results in the records' order,
    /// identical for any thread count. One subject's failure is its own `.failure`. `starts`
    /// (one per record, when given) replaces the specification's start values subject by subject.
    public func fit(_ records: [PatientRecord], threads: Int = 1, starts: [[String: Double]]? = nil) -> [Result<IndividualFit, FitError>] {
        ParallelMap.map(Array(records.indices), threads: threads) { i -> Result<IndividualFit, FitError> in
            do throws(FitError) { return .success(try fit(records[i], start: starts?[i])) } catch { return .failure(error) }
        }
    }

    /// The value for `name` in `values`, by exact or case-insensitive name.
    private static func value(named name: String, in values: [String: Double]?) -> Double? {
        guard let values, !values.isEmpty else { return nil }
        return values[name] ?? values.first(where: { $0.key.lowercased() == name.lowercased() })?.value
    }

    /// u at the start: the given start values, else the prior's typical values, else the model's
    /// typical ones; then the log standard deviations of the error models when estimated.
    private func startValues(override: [String: Double]?) throws(FitError) -> [Double] {
        let spec = specification
        let modelParameters = spec.model.parameters
        var u: [Double] = []
        u.reserveCapacity(spec.estimatedIndices.count + (spec.estimateErrorModel ? 2 * spec.errorModels.count : 0))
        for (k, j) in spec.estimatedIndices.enumerated() {
            let name = spec.estimated[k]
            let x = Self.value(named: name, in: override) ?? Self.value(named: name, in: spec.start)
                ?? spec.prior?.typical[k] ?? modelParameters[j].typical
            let transform = spec.transforms[k]
            var value = transform.transformed(from: x)
            if value == nil, case let .logit(l, h) = transform, x.isFinite, x >= l, x <= h {
                // A start on the bound of a logit scale (F = 1) moves just inside it.
                value = transform.transformed(from: min(max(x, l + 1e-6 * (h - l)), h - 1e-6 * (h - l)))
            }
            guard let value else {
                throw .invalidValue(name: name, value: x, reason: "not a start value on the parameter's \(transform.kind) scale")
            }
            u.append(value)
        }
        if spec.estimateErrorModel {
            for model in spec.errorModels { for s in model.standardDeviations { u.append(Double.log(s)) } }
        }
        return u
    }

    // The minimiser's loop, specialised for the closed-form models: the generic entry checks the
    // types at run time and jumps here, instead of reaching the objective and the predictor
    // through witness tables (about 8 % of a pk-1cmt fit's instructions, measured with callgrind).
    @_specialize(where Model == OneCompartmentPK, P == ClosedFormPredictor<OneCompartmentPK>)
    @_specialize(where Model == TwoCompartmentPK, P == ClosedFormPredictor<TwoCompartmentPK>)
    @_specialize(where Model == ThreeCompartmentPK, P == ClosedFormPredictor<ThreeCompartmentPK>)
    private func run<P: ObservationPredictor>(_ objective: FitObjective<P>, data: ObservationSelection, record: PatientRecord,
                                              start: [Double], method: String) throws(FitError) -> IndividualFit {
        let spec = specification
        var objective = objective
        let n = objective.parameterCount
        var gradient = [Double](repeating: 0, count: n), curvature = [Double](repeating: 0, count: n * n)
        var options = spec.options
        if options.objectiveScaleFloor == 0 { options.objectiveScaleFloor = 1 }
        let result: OptimizationResult
        do throws(OptimizerError) { result = try TrustRegionMinimizer(options: options).minimize(&objective, from: start) } catch {
            // The minimiser evaluates the start first; when that fails, say why as specifically as
            // the data allow (an objective evaluable at the start fails for another reason).
            var startFailed = false
            switch error { case .startNotEvaluable, .nonFiniteStart: startFailed = true; default: break }
            if startFailed, objective.evaluate(start, gradient: &gradient, curvature: &curvature) == nil {
                throw .notEvaluable(subject: record.id, reason: try startFailure(objective, data: data, record: record))
            }
            throw .optimizer(error.description)
        }
        // Predictions and error models must belong to the optimum: re-evaluate there unless the
        // minimiser's last evaluation was it.
        if !objective.isEvaluated(at: result.parameters) {
            _ = objective.evaluate(result.parameters, gradient: &gradient, curvature: &curvature)
        }
        var fit = summarize(result, objective: objective, data: data, record: record, method: method)
        if spec.observedInformation, let names = fit.information?.parameterNames {
            fit.observedInformation = Self.observedInformation(objective, at: result.parameters, names: names)
        }
        return fit
    }

    /// Half the objective's Hessian at `u` by central differences of its exact gradient (step
    /// 1e-4·max(1, |uᵢ|); error O(h²) ≈ 1e-8 relative), symmetrised, analysed as information.
    static func observedInformation<P: ObservationPredictor>(_ objective: FitObjective<P>, at u: [Double], names: [String]) -> FisherInformation? {
        var objective = objective
        let n = u.count
        var up = [Double](repeating: 0, count: n), down = up, curvature = [Double](repeating: 0, count: n * n)
        var hessian = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            let h = 1e-4 * max(1, abs(u[i]))
            var point = u
            point[i] = u[i] + h
            guard objective.evaluate(point, gradient: &up, curvature: &curvature) != nil else { return nil }
            point[i] = u[i] - h
            guard objective.evaluate(point, gradient: &down, curvature: &curvature) != nil else { return nil }
            for j in 0..<n { hessian[j * n + i] = (up[j] - down[j]) / (2 * h) }
        }
        var information = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { information[i * n + j] = 0.25 * (hessian[i * n + j] + hessian[j * n + i]) } }
        return try? FisherInformation(information: information, parameterNames: names)
    }

    /// Why the start cannot be evaluated, as specific as the data allow.
    private func startFailure<P: ObservationPredictor>(_ objective: FitObjective<P>, data: ObservationSelection,
                                                       record: PatientRecord) throws(FitError) -> String {
        let f = objective.predictions
        for (i, observation) in data.observations.enumerated() where i < f.count {
            let error = objective.errorModels[data.outputs[i]]
            if error.variance(prediction: f[i]) == 0 {
                throw .unusableObservation(subject: record.id, time: observation.time, quantity: observation.quantity,
                                           reason: "the prediction at the start is 0, so \(error.kind) error gives it zero variance; use combined error or leave the sample out")
            }
        }
        return "the model could not be solved, or gave a non-finite prediction"
    }

    @_specialize(where Model == OneCompartmentPK, P == ClosedFormPredictor<OneCompartmentPK>)
    @_specialize(where Model == TwoCompartmentPK, P == ClosedFormPredictor<TwoCompartmentPK>)
    @_specialize(where Model == ThreeCompartmentPK, P == ClosedFormPredictor<ThreeCompartmentPK>)
    private func summarize<P: ObservationPredictor>(_ result: OptimizationResult, objective: FitObjective<P>,
                                                    data: ObservationSelection, record: PatientRecord, method: String) -> IndividualFit {
        let spec = specification
        let k = spec.estimatedIndices.count
        let u = result.parameters
        let natural = (0..<k).map { spec.transforms[$0].natural(from: u[$0]) }
        let errorModels = objective.errorModels(at: u)
        let names = spec.estimated.enumerated().map { c, name in
            if case .identity = spec.transforms[c] { name } else { spec.transforms[c].kind + " " + name }
        }
            + (spec.estimateErrorModel ? errorModels.flatMap { e in e.parameterNames.map { "log \($0)" } } : [])
        let information = try? FisherInformation(curvature: result.curvature, parameterNames: names)
        var se: [Double]?, rse: [Double]?
        if let seU = information?.standardErrors {
            let s = (0..<k).map { abs(spec.transforms[$0].derivative(at: u[$0])) * seU[$0] }
            se = s
            rse = zip(s, natural).map { 100 * $0 / abs($1) }
        }
        let f = objective.predictions
        let outputs = spec.model.outputs, modelParameters = spec.model.parameters
        var rss = 0.0
        var fitted: [FittedObservation] = []
        fitted.reserveCapacity(data.observations.count)
        for (i, observation) in data.observations.enumerated() {
            let error = errorModels[data.outputs[i]]
            let y = observation.value
            var wres = 0.0
            if !data.censored[i] {
                rss += (y - f[i]) * (y - f[i])
                let sd = error.variance(prediction: f[i]).squareRoot()
                wres = error.isLogScale ? (Double.log(y) - Double.log(f[i])) / sd : (y - f[i]) / sd
            }
            fitted.append(FittedObservation(time: observation.time, output: outputs[data.outputs[i]].name, observed: y,
                                            predicted: f[i], weightedResidual: wres, censored: data.censored[i]))
        }
        return IndividualFit(subject: record.id, model: spec.model.name, method: method, parameterNames: spec.estimated,
                             parameterUnits: spec.estimatedIndices.map { modelParameters[$0].unit },
                             estimates: natural, transformedEstimates: Array(u.prefix(k)), standardErrors: se,
                             relativeStandardErrors: rse, correlation: information?.correlation, errorModels: errorModels,
                             objective: result.objective, residualSumOfSquares: rss, observationCount: data.observations.count,
                             isMaximumAPosteriori: spec.prior != nil, convergence: result, information: information,
                             observations: fitted)
    }
}
