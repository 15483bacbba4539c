import TwinData
import TwinODE

/// What to simulate: parameters (typical, a subject's, or explicit, then overridden by name),
/// doses, span, solver and output grid.
///
/// ```swift
/// var request = SimulationRequest(hours: 24)
/// request.subject = "adult#001"
/// request.regimen = try Regimen(parsing: "50 g carbs at 07:00; 5 U sc at 07:00")
/// let run = try ModelCatalog.model(named: "uva-padova").simulate(request)
/// ```
public struct SimulationRequest: Sendable {
    /// Physiological parameters in the model's order; nil for the subject's or the typical values.
    public var parameters: [Double]?
    /// A subject (named parameter set) of the model.
    public var subject: String?
    /// Parameter values by name, applied last.
    public var overrides: [String: Double] = [:]
    /// Planned doses and basal infusions.
    public var regimen: Regimen?
    /// A patient's covariates and given doses.
    public var record: PatientRecord?
    /// Whether the model's default covariate relations (its allometry) individualise the typical
    /// or subject values by the record's covariates; default none (``CovariateRelations``).
    public var covariateRelations: CovariateRelations = .none
    /// The span, hours.
    public var hours: Double
    /// The ODE method.
    public var solver: any ODEAlgorithm = Tsitouras5()
    /// Tolerances and limits (the save schedule is replaced by the output grid).
    public var options = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
    /// Equally spaced output times, ends included.
    public var points = 1001
    /// Add bolus times to the grid and a pre-dose row before the post-dose one at each dose time
    /// (``ModelSimulation/isLeftLimit``); default false: one post-dose row per time.
    public var bothSidesOfDoses = false

    public init(hours: Double) { self.hours = hours }
}

/// A finished run: the simulation, the parameters it used and where they came from, and the
/// model's summary numbers.
public struct ModelRun: Sendable {
    public let simulation: ModelSimulation
    /// The physiological parameters used.
    public let parameters: [Double]
    /// "typical values", "subject adult#001 (simglucose …)", plus overrides.
    public let parameterSource: String
    public let summary: [ModelSummaryValue]
    /// Which covariate relations were applied (``PhysiologicalModel/covariateReport(_:covariates:)``).
    public let covariateReport: String
}

/// A model with its type erased, so that the catalogue can list models of different types and
/// the CLI can run any of them by name.
public struct AnyPhysiologicalModel: Sendable {
    public let name: String
    public let title: String
    public let reference: String
    public let timeUnit: ModelTimeUnit
    public let states: [ModelState]
    public let parameters: [ModelParameter]
    public let inputs: [ModelInput]
    public let outputs: [ModelOutput]
    public let subjects: [ModelSubject]
    public let hasAnalyticJacobian: Bool
    /// How records address the model (``PhysiologicalModel/recordMapping``).
    public let recordMapping: RecordMapping
    /// The model's default covariate relations in words, or nil (``PhysiologicalModel/defaultCovariateRelations``).
    public let defaultCovariateRelations: String?
    /// The model itself, for generic code (the ensemble engine) to open.
    public let model: any PhysiologicalModel
    private let run: @Sendable (SimulationRequest) throws(ModelError) -> ModelRun

    public init<Model: PhysiologicalModel>(_ model: Model) {
        name = model.name
        title = model.title
        reference = model.reference
        timeUnit = model.timeUnit
        states = model.states
        parameters = model.parameters
        inputs = model.inputs
        outputs = model.outputs
        subjects = model.subjects
        hasAnalyticJacobian = model.providesJacobian
        recordMapping = model.recordMapping
        defaultCovariateRelations = model.defaultCovariateRelations
        self.model = model
        run = { (request: SimulationRequest) throws(ModelError) -> ModelRun in
            var source = "typical values"
            var base: [Double]? = request.parameters
            if base != nil { source = "given values" }
            if let subjectName = request.subject {
                let subject = try model.subject(named: subjectName)
                base = subject.parameters
                source = "subject \(subject.name) (\(subject.source))"
            }
            let covariates = (base == nil ? request.record?.covariates(at: 0) : nil) ?? [:]
            let relations = request.covariateRelations
            if relations == .modelDefault, !covariates.isEmpty, model.defaultCovariateRelations != nil {
                source += ", individualised by the model's default covariate relations (" + covariates.keys.sorted().joined(separator: ",") + ")"
            }
            let p = try model.resolveParameters(base: base, covariates: covariates, covariateRelations: relations, overrides: request.overrides)
            if !request.overrides.isEmpty {
                source += "; overrides " + request.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
            var problem = try model.problem(parameters: p, regimen: request.regimen, record: request.record, hours: request.hours)
            if relations == .modelDefault, base == nil, let record = request.record, !record.covariateHistory.isEmpty {
                // Time-varying covariates change the parameters over time (PREDPP's convention).
                problem = try model.addingCovariateEvents(to: problem, record: record, base: nil, overrides: request.overrides)
                source += "; time-varying " + record.covariateHistory.keys.sorted().joined(separator: ",")
            }
            let simulation = try model.simulate(problem, solver: request.solver, options: request.options, points: request.points,
                                                bothSidesOfDoses: request.bothSidesOfDoses)
            return ModelRun(simulation: simulation, parameters: p, parameterSource: source, summary: model.summary(of: simulation),
                            covariateReport: model.covariateReport(relations, covariates: covariates))
        }
    }

    /// Runs the model.
    ///
    /// - Throws: ``ModelError`` for an unknown subject or parameter, a value out of range, a dose
    ///   the model cannot take, or an invalid span.
    public func simulate(_ request: SimulationRequest) throws(ModelError) -> ModelRun {
        try run(request)
    }
}

/// Every model MedTwin ships, by catalogue name.
///
/// ```swift
/// for model in ModelCatalog.all { print(model.name, model.title) }
/// let pk = try ModelCatalog.model(named: "pk-2cmt")
/// ```
public enum ModelCatalog {
    public static let all: [AnyPhysiologicalModel] = [
        AnyPhysiologicalModel(OneCompartmentPK()),
        AnyPhysiologicalModel(TwoCompartmentPK()),
        AnyPhysiologicalModel(ThreeCompartmentPK()),
        AnyPhysiologicalModel(MichaelisMentenPK()),
        AnyPhysiologicalModel(EffectCompartmentEmax()),
        AnyPhysiologicalModel(IndirectResponse(.inhibitProduction)),
        AnyPhysiologicalModel(IndirectResponse(.inhibitLoss)),
        AnyPhysiologicalModel(IndirectResponse(.stimulateProduction)),
        AnyPhysiologicalModel(IndirectResponse(.stimulateLoss)),
        AnyPhysiologicalModel(BergmanMinimalModel()),
        AnyPhysiologicalModel(UVAPadova()),
        AnyPhysiologicalModel(WindkesselHeart()),
        AnyPhysiologicalModel(TumourGrowth(growth: .gompertz, kill: .logKill)),
        AnyPhysiologicalModel(TumourGrowth(growth: .gompertz, kill: .nortonSimon)),
        AnyPhysiologicalModel(TumourGrowth(growth: .logistic, kill: .logKill)),
        AnyPhysiologicalModel(TumourGrowth(growth: .logistic, kill: .nortonSimon)),
        AnyPhysiologicalModel(SEIRHospital()),
    ]

    /// The catalogue names.
    public static var names: [String] { all.map(\.name) }

    /// The model called `name` (case-insensitive).
    ///
    /// - Throws: ``ModelError/unknownModel(name:known:)`` listing the known names.
    public static func model(named name: String) throws(ModelError) -> AnyPhysiologicalModel {
        guard let model = all.first(where: { $0.name == name.lowercased() }) else { throw .unknownModel(name: name, known: names) }
        return model
    }
}
