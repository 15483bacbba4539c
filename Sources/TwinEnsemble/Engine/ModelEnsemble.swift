import TwinData
import TwinModels
import TwinODE

/// A virtual-population run of a library model: each member's parameters and covariates are
/// drawn from a ``VirtualPopulation`` with its own random stream (seed, index), its doses come
/// from a regimen (the same for everyone, or one per member), and the summaries are the model's
/// outputs (concentrations, glucose …) on a time grid.
///
/// ```swift
/// let model = TwoCompartmentPK()
/// let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "CL=30%,V1=25%"))
/// let ensemble = ModelEnsemble(model: model, population: population, patients: 10_000, hours: 48,
///                              regimen: { _ in try Regimen(parsing: "100 mg oral q12h x4") }, seed: 1)
/// let problem = try ensemble.problem(points: 97)
/// var sink = DiscardingSink()
/// let report = try problem.solve(strategy: .threads(2), sink: &sink)
/// report.summary?.bands()                                  // mean, SD, 5/50/95% per output and time
/// ```
public struct ModelEnsemble<Model: PhysiologicalModel>: Sendable {
    public var model: Model
    public var population: VirtualPopulation
    public var patients: Int
    /// The span, hours from time 0.
    public var hours: Double
    /// Member i's doses (weight-based amounts use the member's WT covariate).
    public var regimen: @Sendable (PopulationMember) throws -> Regimen?
    public var seed: UInt64

    public init(model: Model, population: VirtualPopulation, patients: Int, hours: Double,
                regimen: @escaping @Sendable (PopulationMember) throws -> Regimen?, seed: UInt64) {
        self.model = model
        self.population = population
        self.patients = patients
        self.hours = hours
        self.regimen = regimen
        self.seed = seed
    }

    /// The output grid: `points` equally spaced times over the span, ends included (model time units).
    public func grid(points: Int) -> [Double] {
        let end = model.timeUnit.fromHours(hours)
        let count = max(points, 2)
        return (0..<count).map { $0 == count - 1 ? end : end * Double($0) / Double(count - 1) }
    }

    /// The ensemble problem: members prepared from the population and regimen, the model's outputs
    /// summarised at `points` grid times.
    ///
    /// A member whose drawn parameters fall outside the model's physiological ranges, or whose
    /// doses the model cannot take, is reported as ``EnsembleMemberStatus/invalidInput(reason:)``.
    /// - Throws: ``EnsembleError/invalidRequest(reason:)`` for a span or count the engine rejects.
    public func problem(points: Int = 97, keepGrid: Bool = true, relativeAccuracy: Double = 0.005) throws(EnsembleError) -> EnsembleProblem<Model> {
        guard hours.isFinite, hours > 0 else { throw .invalidRequest(reason: "the span must be a positive number of hours, not \(hours)") }
        let model = self.model, population = self.population, regimen = self.regimen, seed = self.seed, hours = self.hours
        let physiologicalCount = model.parameters.count
        let stateCount = model.stateCount
        let summary = EnsembleSummaryRequest(quantities: model.outputs.map(\.name), relativeAccuracy: relativeAccuracy) { time, state, parameters, out in
            model.observe(time: time, state: Array(state.prefix(stateCount)), parameters: Array(parameters.prefix(physiologicalCount)),
                          into: &out)
        }
        let grid = self.grid(points: points)
        return try EnsembleProblem(system: model, timeSpan: (0, model.timeUnit.fromHours(hours)), memberCount: patients,
                                   output: keepGrid ? .grid(grid) : .finalState, summary: summary) { index, member in
            let drawn = population.member(index, seed: seed)
            let record = drawn.covariates.isEmpty ? nil : PatientRecord(id: "member-\(index)", covariates: drawn.covariates)
            let problem = try model.problem(parameters: drawn.parameters, regimen: try regimen(drawn), record: record, hours: hours)
            member.replace(initialState: problem.initialState, parameters: problem.parameters, timeEvents: problem.timeEvents)
        }
    }
}
