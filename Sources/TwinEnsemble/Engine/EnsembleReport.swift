import TwinODE

/// What an ensemble run did, for logs and benchmarks.
public struct EnsembleReport: Sendable {
    public var memberCount = 0
    public var solvedCount = 0
    public var failedCount = 0
    public var invalidCount = 0
    /// Accepted steps over all solved members.
    public var totalSteps = 0
    /// Wall time, seconds.
    public var seconds = 0.0
    public var laneWidth = 0
    public var threads = 0
    /// The method that ran, by its TwinODE ``ODEAlgorithm/identifier`` (`tsit5`, `dp5`, `rodas4`).
    public var algorithm = "tsit5"
    /// The population summary, when the problem asked for one: bit-identical for any thread
    /// count and lane width (chunks of a fixed size, added in index order and merged in order).
    public var summary: PopulationSummary?

    public init() {}

    /// Mean accepted steps per solved member.
    public var stepsPerMember: Double { solvedCount > 0 ? Double(totalSteps) / Double(solvedCount) : 0 }
}
