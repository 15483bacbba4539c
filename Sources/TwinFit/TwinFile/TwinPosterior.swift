/// A subject's posterior over the estimated parameters: mean, covariance and draws, on the
/// natural scale (L/h, L …) unless the producer says otherwise in ``scale``.
///
/// ```swift
/// let posterior = TwinPosterior(parameterNames: ["CL", "V1"], mean: [2.1, 60],
///                               covariance: [0.09, 0.1, 0.1, 40], draws: [])
/// ```
public struct TwinPosterior: Sendable, Hashable, Codable {
    /// The parameters, in the order of every vector here.
    public var parameterNames: [String]
    /// Posterior mean.
    public var mean: [Double]
    /// Posterior covariance, row-major k × k.
    public var covariance: [Double]
    /// Draws, one parameter vector each (possibly none).
    public var draws: [[Double]]
    /// "natural" (default) or "transformed" (log CL …).
    public var scale: String
    /// How the posterior was obtained ("laplace", "sir", "mcmc" …).
    public var method: String

    public init(parameterNames: [String], mean: [Double], covariance: [Double], draws: [[Double]] = [],
                scale: String = "natural", method: String = "laplace") {
        self.parameterNames = parameterNames
        self.mean = mean
        self.covariance = covariance
        self.draws = draws
        self.scale = scale
        self.method = method
    }
}
