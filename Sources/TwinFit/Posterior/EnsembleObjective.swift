import TwinData
import TwinEnsemble
import TwinModels
import TwinODE

/// The objective of many parameter points of one subject at once, their ODEs solved together by
/// TwinEnsemble's lane engine (SIMD lanes × threads): how sampling–importance–resampling runs
/// 100,000 proposals of an ODE model without one solve per proposal.
///
/// Each point u becomes an ensemble member with the subject's doses and its own parameters
/// (``FitObjective/naturalParameters(_:)``); the members' states at the observation times give
/// the predictions, and ``FitObjective/value(_:predictions:)`` the objective. A member the
/// engine cannot solve gets nil (weight 0).
///
/// ```swift
/// let batch = EnsembleObjective(model: model, record: record, observations: observations, outputs: outputs,
///                               objective: objective, threads: 2)
/// let values = batch.evaluate(points)     // [Double?], one per point
/// ```
public struct EnsembleObjective<Model: PhysiologicalModel, Predictor: ObservationPredictor>: Sendable where Predictor: Sendable {
    public let model: Model
    public let record: PatientRecord
    public let observations: [Observation]
    public let outputs: [Int]
    public let objective: FitObjective<Predictor>
    /// Tolerances of the lane solves.
    public var relativeTolerance: Double
    public var absoluteTolerance: Double
    public var threads: Int

    public init(model: Model, record: PatientRecord, observations: [Observation], outputs: [Int], objective: FitObjective<Predictor>,
                relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-12, threads: Int = 1) {
        self.model = model
        self.record = record
        self.observations = observations
        self.outputs = outputs
        self.objective = objective
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.threads = threads
    }

    /// OBJ at each point (transformed scale), nil where the member could not be set up or solved.
    public func evaluate(_ points: [[Double]]) -> [Double?] {
        let clock = model.timeUnit
        let unique = Array(Set(observations.map(\.time))).sorted()
        let grid = unique.map { clock.fromHours($0) }
        let rowOf = Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, $0) })
        let hours = max(unique.last ?? 0, Double.ulpOfOne) * (1 + 1e-12) + 1e-9
        let naturals = points.map { objective.naturalParameters($0) }
        let model = self.model, record = self.record
        var collector = EnsembleCollector()
        do {
            let problem = try EnsembleProblem(system: model, timeSpan: (0, clock.fromHours(hours)), memberCount: points.count,
                                              output: .grid(grid)) { i, member in
                let single = try model.problem(parameters: naturals[i], record: record, hours: hours)
                member.replace(initialState: single.initialState, parameters: single.parameters, timeEvents: single.timeEvents)
            }
            try problem.solve(using: Tsitouras5(),
                              options: EnsembleOptions(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance),
                              strategy: threads > 1 ? .threads(threads) : .serial, sink: &collector)
        } catch {
            return points.map { _ in nil }
        }
        var values = [Double?](repeating: nil, count: points.count)
        var out = [Double](repeating: 0, count: model.outputs.count)
        var predictions = [Double](repeating: 0, count: observations.count)
        for chunk in collector.chunks {
            for i in chunk.members where chunk.status(of: i) == .solved {
                let parameters = Array(chunk.parameters(of: i))
                for (o, observation) in observations.enumerated() {
                    guard let row = rowOf[observation.time] else { continue }
                    model.observe(time: grid[row], state: Array(chunk.gridState(of: i, time: row)), parameters: parameters, into: &out)
                    predictions[o] = out[outputs[o]]
                }
                values[i] = objective.value(points[i], predictions: predictions)
            }
        }
        return values
    }
}
