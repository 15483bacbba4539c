import TwinModels

/// What to fit for one subject: which of the model's parameters are estimated (on which scale,
/// from which start), which are held at which value, the residual error model, BLQ handling and
/// an optional population prior (maximum a posteriori, i.e. Bayesian individualisation).
///
/// Parameters not estimated stay at the model's typical values unless `fixed` names them.
/// Covariates are not applied here: a population model's covariate relations are explicit.
///
/// ```swift
/// // Theophylline: ka, CL, V estimated on the log scale, additive error estimated too.
/// var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"],
///                                  errorModel: .additive(1))
/// spec.start = ["ka": 1.5, "CL": 3, "V": 35]
/// ```
public struct FitSpecification<Model: PhysiologicalModel>: Sendable {
    /// The model.
    public let model: Model
    /// The estimated parameters' names, in the model's spelling.
    public let estimated: [String]
    /// Their indices in the model's parameter vector.
    public let estimatedIndices: [Int]
    /// The scale each estimated parameter is moved on (log for positive parameters, logit for
    /// those bounded in (0, 1], identity otherwise, unless set).
    public var transforms: [ParameterTransform]
    /// Start values (natural scale) by name; the typical value (or the prior's) otherwise.
    public var start: [String: Double] = [:]
    /// Values of parameters held fixed, by name; the typical value for the others not estimated.
    public let fixed: [String: Double]
    /// The residual error model of each output (one for a single-output model).
    public var errorModels: [ResidualErrorModel]
    /// Estimate the residual standard deviations as well (default: yes without a prior, no with one).
    public var estimateErrorModel: Bool
    /// Below-LLOQ observations: M1 (drop, default) or M3.
    public var censoring: CensoringMethod = .discard
    /// The population prior for MAP; nil for maximum likelihood / least squares.
    public var prior: ParameterPrior? {
        didSet { if oldValue == nil, prior != nil { estimateErrorModel = false } }
    }
    /// The minimiser's settings.
    public var options: TrustRegionOptions = TrustRegionOptions()
    /// Model parameters computed from estimated ones (V = CL/ke with ke held …); none by default.
    public var derived: [DerivedModelParameter] = []
    /// Use the closed-form linear PK solution where the model allows it (default true).
    public var preferClosedForm = true
    /// Also compute the observed information — the Hessian of the objective at the estimate, by
    /// central differences of its exact gradient (2n extra evaluations) — and its standard
    /// errors (``IndividualFit/observedInformation``); default false: the expected (Fisher)
    /// information only.
    public var observedInformation = false
    /// Relative tolerance of the ODE solves on the ODE path (default 1e-9).
    public var relativeTolerance = 1e-9
    /// Absolute tolerance of the ODE solves, in the states' units (default 1e-12).
    public var absoluteTolerance = 1e-12

    /// A specification that estimates `estimate` of `model`'s parameters.
    ///
    /// - Throws: ``FitError/unknownParameter(model:name:known:)`` for a name the model lacks,
    ///   ``FitError/conflictingParameter(name:reason:)`` for one both estimated and fixed or
    ///   listed twice, ``FitError/invalidValue(name:value:reason:)`` for a fixed value outside the
    ///   parameter's range, ``FitError/invalidErrorModel(_:)``.
    public init(model: Model, estimate: [String], fixed: [String: Double] = [:],
                errorModel: ResidualErrorModel = .additive(1), prior: ParameterPrior? = nil) throws(FitError) {
        try self.init(model: model, estimate: estimate, fixed: fixed, errorModels: [errorModel], prior: prior)
    }

    /// A specification with one residual error model per output of the model.
    public init(model: Model, estimate: [String], fixed: [String: Double] = [:],
                errorModels: [ResidualErrorModel], prior: ParameterPrior? = nil) throws(FitError) {
        let known = model.parameters.map(\.name)
        var indices: [Int] = []
        var names: [String] = []
        for name in estimate {
            guard let i = model.parameterIndex(name) else { throw .unknownParameter(model: model.name, name: name, known: known) }
            guard !indices.contains(i) else { throw .conflictingParameter(name: known[i], reason: "listed twice in the estimated parameters") }
            indices.append(i)
            names.append(known[i])
        }
        guard !indices.isEmpty else { throw .conflictingParameter(name: "(none)", reason: "estimate at least one parameter") }
        var canonicalFixed: [String: Double] = [:]
        for (name, value) in fixed {
            guard let i = model.parameterIndex(name) else { throw .unknownParameter(model: model.name, name: name, known: known) }
            guard !indices.contains(i) else { throw .conflictingParameter(name: known[i], reason: "both estimated and fixed") }
            guard model.parameters[i].admits(value) else {
                throw .invalidValue(name: known[i], value: value, reason: "outside the parameter's range \(model.parameters[i].lower)…\(model.parameters[i].upper)")
            }
            canonicalFixed[known[i]] = value
        }
        guard errorModels.count == model.outputs.count else {
            throw .invalidErrorModel("model \(model.name) has \(model.outputs.count) outputs; give one residual error model for each, not \(errorModels.count)")
        }
        for e in errorModels { try e.validate() }
        if let prior, prior.typical.count != indices.count {
            throw .invalidPrior("\(prior.typical.count) typical values for \(indices.count) estimated parameters")
        }
        self.model = model
        estimated = names
        estimatedIndices = indices
        transforms = indices.map { Self.defaultTransform(model.parameters[$0]) }
        self.fixed = canonicalFixed
        self.errorModels = errorModels
        self.prior = prior
        estimateErrorModel = prior == nil
    }

    /// log for a parameter bounded below by 0, logit on (0, 1) for a fraction bounded by 1,
    /// identity otherwise.
    static func defaultTransform(_ parameter: ModelParameter) -> ParameterTransform {
        if parameter.lower >= 0 && parameter.upper <= 1 { return .logit(lower: 0, upper: 1) }
        if parameter.lower >= 0 { return .log }
        return .identity
    }

    /// The derived parameters resolved against the model and the estimated parameters.
    ///
    /// - Throws: ``FitError/unknownParameter(model:name:known:)`` for a target the model lacks,
    ///   ``FitError/conflictingParameter(name:reason:)`` for a target that is estimated, fixed or
    ///   derived twice, or a term that is not an estimated parameter, and
    ///   ``FitError/invalidValue(name:value:reason:)`` for a factor or power that is not finite
    ///   (or a factor ≤ 0).
    func resolvedDerived() throws(FitError) -> [ResolvedDerivedParameter] {
        var targets: [Int] = []
        var resolved: [ResolvedDerivedParameter] = []
        for relation in derived {
            guard let target = model.parameterIndex(relation.target) else {
                throw .unknownParameter(model: model.name, name: relation.target, known: model.parameters.map(\.name))
            }
            let name = model.parameters[target].name
            guard !estimatedIndices.contains(target), fixed[name] == nil, !targets.contains(target) else {
                throw .conflictingParameter(name: name, reason: "a derived parameter must be neither estimated, fixed nor derived twice")
            }
            guard relation.factor.isFinite, relation.factor > 0 else {
                throw .invalidValue(name: name, value: relation.factor, reason: "the factor of a derived parameter must be finite and > 0")
            }
            var terms: [(column: Int, power: Double)] = []
            for (termName, power) in relation.powers.sorted(by: { $0.key < $1.key }) {
                guard let column = estimated.firstIndex(where: { $0.lowercased() == termName.lowercased() }) else {
                    throw .conflictingParameter(name: termName, reason: "\(name) is derived from it, so it must be estimated")
                }
                guard power.isFinite else { throw .invalidValue(name: termName, value: power, reason: "the power must be finite") }
                terms.append((column, power))
            }
            targets.append(target)
            resolved.append(ResolvedDerivedParameter(target: target, factor: relation.factor, terms: terms))
        }
        return resolved
    }

    /// The model's full parameter vector for estimates `estimates` (natural scale, in the order
    /// of ``estimated``): the base values, the estimates, then the derived parameters.
    public func fullParameters(estimates: [Double]) -> [Double] {
        var p = baseParameters
        for (k, j) in estimatedIndices.enumerated() where k < estimates.count { p[j] = estimates[k] }
        for relation in (try? resolvedDerived()) ?? [] { p[relation.target] = relation.value { estimates[$0] } }
        return p
    }

    /// The full parameter vector the non-estimated parameters take: typical values, then `fixed`.
    public var baseParameters: [Double] {
        var p = model.typicalParameters
        for (name, value) in fixed { if let i = model.parameterIndex(name) { p[i] = value } }
        return p
    }
}
