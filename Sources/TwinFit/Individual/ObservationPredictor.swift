/// The model's predictions at one subject's observations and their derivatives with respect to
/// some of its parameters: what the fit's objective asks of a model, whichever way it is solved
/// (closed form for linear PK, ODE with forward sensitivities otherwise).
///
/// ```swift
/// var predictor = try ODEPredictor(model: OneCompartmentPK(), record: record, parameterIndices: [0, 1, 2])
/// var f = [Double](repeating: 0, count: predictor.observationCount)
/// var J = [Double](repeating: 0, count: predictor.observationCount * 3)
/// let ok = predictor.predict(OneCompartmentPK().typicalParameters, values: &f, jacobian: &J)
/// ```
public protocol ObservationPredictor {
    /// How many observations are predicted.
    var observationCount: Int { get }
    /// The physiological parameters (indices in the model's order) the Jacobian's columns are for.
    var parameterIndices: [Int] { get }
    /// Predictions at the observations into `values` (count ``observationCount``) and ∂f/∂p for
    /// the parameters of ``parameterIndices`` into `jacobian` (row-major, observations ×
    /// parameters), for the full physiological parameter vector `parameters`. Returns false
    /// when the model cannot be evaluated there (a parameter out of range, a solver failure, a
    /// non-finite value); the optimiser then tries a shorter step.
    mutating func predict(_ parameters: [Double], values: inout [Double], jacobian: inout [Double]) -> Bool
    /// Predictions only, into `values`; false when the model cannot be evaluated.
    mutating func predictValues(_ parameters: [Double], values: inout [Double]) -> Bool
}

extension ObservationPredictor {
    /// Predictions only, for samplers that need no derivatives; by default through
    /// ``predict(_:values:jacobian:)`` with a scratch Jacobian. ``ODEPredictor`` solves without
    /// sensitivities instead.
    public mutating func predictValues(_ parameters: [Double], values: inout [Double]) -> Bool {
        var scratch = [Double](repeating: 0, count: observationCount * parameterIndices.count)
        return predict(parameters, values: &values, jacobian: &scratch)
    }
}
