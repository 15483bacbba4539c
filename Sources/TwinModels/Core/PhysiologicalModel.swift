import TwinData
import TwinODE

/// A physiological model: an ``ODESystem`` whose states, parameters, inputs and outputs are
/// named, with units, typical values and physiological ranges, which knows how doses enter it
/// and what is observed of it.
///
/// The parameter vector `p` the right-hand side reads is the physiological parameters (in the
/// order of ``parameters``) followed by one rate per ``inputs`` entry (infusions, eating), which
/// time events switch on and off. Everything that varies between patients is a parameter, so
/// that sensitivities and ensembles see it.
///
/// Writing a model is one short file — the states, the parameters with their reference, the
/// right-hand side written once for every scalar type, the dose entry and the outputs:
///
/// ```swift
/// /// One-compartment IV PK: A′ = R − (CL/V)·A.  Reference: Gibaldi and Perrier (1982).
/// public struct MyPK: PhysiologicalModel {
///     public init() {}
///     public var name: String { "my-pk" }
///     public var title: String { "One-compartment IV" }
///     public var reference: String { "Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed." }
///     public var timeUnit: ModelTimeUnit { .hour }
///     public var stateCount: Int { 1 }
///     public var parameterCount: Int { 3 }                      // CL, V, infusion rate
///     public var states: [ModelState] { [.init("A", "mg", "amount in the body")] }
///     public var parameters: [ModelParameter] {
///         [.init("CL", "L/h", "clearance", typical: 5, range: 0.001...1000),
///          .init("V", "L", "volume", typical: 20, range: 0.1...10000)]
///     }
///     public var inputs: [ModelInput] { [.init("R", "mg/h", "IV infusion")] }
///     public var outputs: [ModelOutput] { [.init("C", "mg/L", "concentration")] }
///     public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>,
///                                             dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
///         dy[0] = p[2] - p[0] / p[1] * y[0]
///     }
///     public func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
///         try requireMass(dose); return DoseEntry(state: 0, input: 0)
///     }
///     public func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
///         out[0] = state[0] / parameters[1]
///     }
/// }
/// let sim = try MyPK().simulate(regimen: Regimen(parsing: "100 mg iv q12h x3"), hours: 36)
/// ```
///
/// `stateCount` and `parameterCount` (physiological parameters + inputs) are constants the
/// solver reads on every evaluation: return literals, never `states.count`.
public protocol PhysiologicalModel: ODESystem {
    /// The catalogue name (`pk-2cmt`, `uva-padova`): lower case, no spaces.
    var name: String { get }
    /// A one-line title.
    var title: String { get }
    /// The paper(s) the equations and default parameters come from.
    var reference: String { get }
    /// The unit of the model's clock.
    var timeUnit: ModelTimeUnit { get }
    /// The states, in the order of the state vector.
    var states: [ModelState] { get }
    /// The physiological parameters, in the order of `p`.
    var parameters: [ModelParameter] { get }
    /// The rate inputs, after the parameters in `p`.
    var inputs: [ModelInput] { get }
    /// The observed quantities.
    var outputs: [ModelOutput] { get }
    /// Named parameter sets shipped with the model (virtual subjects); empty for most models.
    var subjects: [ModelSubject] { get }

    /// The state at time 0 without doses, for these physiological parameters (zeros for PK;
    /// the basal steady state for glucose–insulin models).
    func initialState(parameters: [Double]) -> [Double]
    /// The rate inputs at time 0 before any dose (0 except for a basal the model assumes).
    func initialInputs(parameters: [Double]) -> [Double]
    /// How `dose` enters the model.
    ///
    /// - Throws: ``ModelError/unsupportedDose(model:dose:reason:)`` for a unit, route or
    ///   compartment the model has no entry for.
    func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry
    /// The time events for `doses` and `basal` infusions (times already in model units are
    /// computed inside). The default maps each dose through ``doseEntry(for:parameters:)``;
    /// models with collective dosing rules (meals eaten at a fixed rate) override it.
    func dosingEvents(doses: [Dose], basal: [BasalInfusion], parameters: [Double]) throws(ModelError) -> [TimeEvent]
    /// The observed quantities at `time` (model units) and `state`, one per ``outputs`` entry, into `out`.
    func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double])
    /// Individual parameters from typical ones and a patient's covariates by the model's own
    /// default covariate relations (default: unchanged). Applied only when asked
    /// (``CovariateRelations/modelDefault``), never implicitly.
    func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double]
    /// The relations ``individualize(_:covariates:)`` applies, in words with their reference
    /// ("CL × (WT/70)^0.75, V × WT/70 (Holford 1996)"), or nil for a model without any.
    var defaultCovariateRelations: String? { get }
    /// How patient records address the model: which CMT takes which dose by which route, and
    /// which CMT / DVID / quantity name is which output (``RecordMapping``). The default: no dose
    /// compartments, output k is DVID k + 1 or its name, in any CMT.
    var recordMapping: RecordMapping { get }
    /// Derived numbers a person wants from a run (stroke volume, peak occupancy …); default none.
    func summary(of simulation: ModelSimulation) -> [ModelSummaryValue]
}

/// One derived number of a simulation: name, value, unit.
public struct ModelSummaryValue: Sendable, Hashable {
    public let name: String
    public let value: Double
    public let unit: String
    public init(_ name: String, _ value: Double, _ unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}

extension PhysiologicalModel {
    public var subjects: [ModelSubject] { [] }
    public func initialState(parameters: [Double]) -> [Double] { [Double](repeating: 0, count: stateCount) }
    public func initialInputs(parameters: [Double]) -> [Double] { [Double](repeating: 0, count: inputs.count) }
    public func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] { parameters }
    public var defaultCovariateRelations: String? { nil }
    public var recordMapping: RecordMapping { .plain(outputs: outputs, convention: "DVID k names output k (1-based)") }
    public func summary(of simulation: ModelSimulation) -> [ModelSummaryValue] { defaultSummary(of: simulation) }

    /// The largest value of each output and when it occurred: the exact peak
    /// (``ModelSimulation/extrema(of:)``, post-dose at a dose time), not the largest grid value;
    /// the grid's largest where the solution has no dense output.
    public func defaultSummary(of simulation: ModelSimulation) -> [ModelSummaryValue] {
        var out: [ModelSummaryValue] = []
        let extrema = simulation.extrema()
        for (k, output) in simulation.outputs.enumerated() {
            let value: Double, time: Double
            if let peak = extrema?[k].maximum {
                (value, time) = (peak.value, peak.time)
            } else if let i = simulation.values.indices.max(by: { simulation.values[$0][k] < simulation.values[$1][k] }) {
                (value, time) = (simulation.values[i][k], simulation.times[i])
            } else { continue }
            out.append(ModelSummaryValue("max \(output.name)", value, output.unit))
            out.append(ModelSummaryValue("time of max \(output.name)", time, timeUnit.symbol))
        }
        return out
    }
    public func dosingEvents(doses: [Dose], basal: [BasalInfusion], parameters: [Double]) throws(ModelError) -> [TimeEvent] {
        try standardDosingEvents(doses: doses, basal: basal, parameters: parameters)
    }

    /// The typical (population) parameter values.
    public var typicalParameters: [Double] { parameters.map(\.typical) }

    /// The observed quantities at `state`.
    public func observe(time: Double, state: [Double], parameters: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: outputs.count)
        observe(time: time, state: state, parameters: parameters, into: &out)
        return out
    }

    /// The index of the parameter called `name` (case-insensitive).
    public func parameterIndex(_ name: String) -> Int? {
        let lower = name.lowercased()
        return parameters.firstIndex { $0.name.lowercased() == lower }
    }

    /// The subject called `name`.
    ///
    /// - Throws: ``ModelError/unknownSubject(model:name:known:)``.
    public func subject(named name: String) throws(ModelError) -> ModelSubject {
        guard let s = subjects.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw .unknownSubject(model: self.name, name: name, known: subjects.map(\.name))
        }
        return s
    }

    /// Throws unless `dose` is an amount of mass (mg).
    public func requireMass(_ dose: Dose) throws(ModelError) {
        guard dose.unit.dimension == .mass else {
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "this model takes drug amounts in mg (or µg, g), not \(dose.unit.symbol)")
        }
    }

    /// A short description of a dose for messages ("100 mg oral at 12 h").
    public func describe(_ dose: Dose) -> String {
        var text = "\(dose.amount) \(dose.unit.symbol)"
        if dose.route != .unspecified { text += " \(dose.route.rawValue)" }
        if let c = dose.compartment { text += " cmt \(c)" }
        return text + " at \(dose.time) h"
    }
}
