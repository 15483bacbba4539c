/// One subject's fit: the estimates with their uncertainty, the residual error model, the
/// objective, how the minimiser stopped, and observed against individual predictions.
///
/// Standard errors come from the expected Fisher information at the optimum on the
/// transformed scale (``ParameterTransform``), mapped to the natural scale by the delta
/// method (SE_x = |dx/du|·SE_u); RSE % is SE_x / x · 100.
///
/// ```swift
/// let fit = try IndividualFitter(specification: spec).fit(record)
/// for (name, value, se) in zip(fit.parameterNames, fit.estimates, fit.standardErrors ?? []) { print(name, value, se) }
/// ```
public struct IndividualFit: Sendable, Codable, Hashable {
    /// The record's ID.
    public var subject: String
    /// The model's catalogue name.
    public var model: String
    /// How predictions were computed: "closed-form" (linear PK) or "ode".
    public var method: String
    /// The estimated parameters, in the specification's order.
    public var parameterNames: [String]
    /// Their units.
    public var parameterUnits: [String]
    /// Estimates, natural scale.
    public var estimates: [Double]
    /// Estimates on the transformed scale u (log CL, …).
    public var transformedEstimates: [Double]
    /// Standard errors on the natural scale, nil when the information matrix is singular.
    public var standardErrors: [Double]?
    /// Relative standard errors, %, nil when singular.
    public var relativeStandardErrors: [Double]?
    /// Correlations of the transformed estimates (row-major), nil when singular.
    public var correlation: [Double]?
    /// The residual error model of each output at the optimum (estimated or as given).
    public var errorModels: [ResidualErrorModel]
    /// The minimised objective (−2 log-likelihood, plus the prior term for MAP).
    public var objective: Double
    /// Σ (y − f)² over the uncensored observations (natural scale), output units².
    public var residualSumOfSquares: Double
    /// The number of observations used.
    public var observationCount: Int
    /// Whether a prior was used (MAP).
    public var isMaximumAPosteriori: Bool
    /// How the minimiser stopped.
    public var convergence: OptimizationResult
    /// The information matrix analysis (condition number, weak directions): the expected
    /// (Fisher) information at the estimate.
    public var information: FisherInformation?
    /// The observed information (half the objective's Hessian at the estimate) when the
    /// specification asked for it, on the same transformed scale; its `standardErrors` are the
    /// observed-Hessian SEs of the transformed estimates.
    public var observedInformation: FisherInformation? = nil
    /// Observed against individual predictions.
    public var observations: [FittedObservation]

    /// Whether the minimiser reported convergence.
    public var converged: Bool { convergence.converged }
}

/// One observation with the fitted model's prediction.
public struct FittedObservation: Sendable, Codable, Hashable {
    /// Hours from the record's origin.
    public var time: Double
    /// The output's name (C, glucose …).
    public var output: String
    /// The measured value (the LLOQ when censored), output unit.
    public var observed: Double
    /// The individual prediction, output unit.
    public var predicted: Double
    /// (y − f)/√V on the error model's scale (0 for censored observations).
    public var weightedResidual: Double
    /// Below the LLOQ (M3).
    public var censored: Bool
}
