import TwinData
import TwinModels

/// Predictions of `pk-1cmt`, `pk-2cmt` and `pk-3cmt` at a subject's observations from the
/// closed-form linear PK solution (``LinearPKModel``), with exact parameter derivatives —
/// lag time and bioavailability included — instead of ODE solves.
///
/// Available when the model is one of those three and every dose of the record has a closed
/// form (segment 0, a mass, CMT 1 or 2); otherwise the initialiser returns nil and the fit uses
/// ``ODEPredictor``. Like the ODE path, a concentration at exactly a dose time is the post-dose
/// one (TwinODE's convention).
///
/// ```swift
/// if var predictor = ClosedFormPredictor(model: OneCompartmentPK(), record: record, parameterIndices: [0, 1, 2]) { … }
/// ```
public struct ClosedFormPredictor<Model: PhysiologicalModel>: ObservationPredictor, Sendable {
    public let closedForm: LinearPKModel
    public let doses: [LinearPKDose]
    public let times: [Double]
    public let parameterIndices: [Int]
    private var fullGradient: [Double] = []
    // The model's parameter ranges, read once (`model.parameters` builds its array on each call).
    private let lower: [Double]
    private let upper: [Double]
    /// The model. Stored last: fields after a generic one would have their offsets looked up at
    /// run time in every unspecialised access.
    public let model: Model

    public var observationCount: Int { times.count }

    /// A closed-form predictor for `observations` (the record's by default), or nil when the
    /// model or one of the record's doses has no closed form.
    public init?(model: Model, record: PatientRecord, observations: [Observation]? = nil, parameterIndices: [Int]) {
        guard let closedForm = LinearPKModel(matching: model), model.outputs.count == 1,
              record.plannedRegimens.allSatisfy({ $0.basalInfusions.isEmpty }),
              record.doses.allSatisfy({ $0.segment == 0 }) else { return nil }
        var doses: [LinearPKDose] = []
        for dose in record.doses {
            guard let converted = try? LinearPKDose(from: dose) else { return nil }
            doses.append(converted)
        }
        self.model = model
        self.closedForm = closedForm
        self.doses = doses
        self.times = (observations ?? record.observations).map(\.time)
        self.parameterIndices = parameterIndices
        let ranges = model.parameters
        lower = ranges.map(\.lower)
        upper = ranges.map(\.upper)
    }

    public mutating func predict(_ parameters: [Double], values: inout [Double], jacobian: inout [Double]) -> Bool {
        // The model's ranges, as ODEPredictor's `model.problem` checks them.
        guard parameters.count == lower.count else { return false }
        for j in 0..<lower.count where !(parameters[j] >= lower[j] && parameters[j] <= upper[j]) { return false }
        do {
            try closedForm.concentrations(at: times, doses: doses, parameters: parameters, into: &values, gradient: &fullGradient)
        } catch { return false }
        let count = closedForm.parameterCount, np = parameterIndices.count
        for i in 0..<times.count {
            guard values[i].isFinite else { return false }
            for c in 0..<np { jacobian[i * np + c] = fullGradient[i * count + parameterIndices[c]] }
        }
        return true
    }
}
