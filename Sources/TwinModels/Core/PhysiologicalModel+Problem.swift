import TwinData
import TwinODE

extension PhysiologicalModel {
    /// Physiological parameters for one patient: `base` (the typical values when nil),
    /// individualised by `covariates` through the model's default covariate relations only when
    /// `covariateRelations` is ``CovariateRelations/modelDefault``, then `overrides` by name;
    /// each checked against its range.
    ///
    /// - Throws: ``ModelError/parameterCountMismatch(model:expected:found:)``,
    ///   ``ModelError/unknownParameter(model:name:known:)``,
    ///   ``ModelError/parameterOutOfBounds(model:name:value:lower:upper:unit:)``.
    public func resolveParameters(base: [Double]? = nil, covariates: [String: Covariate] = [:],
                                  covariateRelations: CovariateRelations = .none,
                                  overrides: [String: Double] = [:]) throws(ModelError) -> [Double] {
        var p = base ?? typicalParameters
        guard p.count == parameters.count else {
            throw .parameterCountMismatch(model: name, expected: parameters.count, found: p.count)
        }
        if covariateRelations == .modelDefault, !covariates.isEmpty { p = individualize(p, covariates: covariates) }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let i = parameterIndex(key) else { throw .unknownParameter(model: name, name: key, known: parameters.map(\.name)) }
            p[i] = value
        }
        try validate(parameters: p)
        return p
    }

    /// Throws unless `p` has one in-range value per physiological parameter.
    public func validate(parameters p: [Double]) throws(ModelError) {
        guard p.count == parameters.count else {
            throw .parameterCountMismatch(model: name, expected: parameters.count, found: p.count)
        }
        for (value, info) in zip(p, parameters) where !info.admits(value) {
            throw .parameterOutOfBounds(model: name, name: info.name, value: value, lower: info.lower, upper: info.upper, unit: info.unit)
        }
    }

    /// The initial-value problem for a patient over `hours` hours: one call from model,
    /// parameters and doses to something a solver takes.
    ///
    /// Doses come from `regimen` (per-weight amounts use the record's weight) and from `record`
    /// (its given doses and the basal infusions of its planned regimens). Without `parameters`
    /// the typical values are used — individualised by the record's covariates only with
    /// `covariateRelations: .modelDefault` (``CovariateRelations``), covariates that change over
    /// the record then changing the parameters over time by NONMEM's PREDPP convention
    /// (``covariateEvents(for:base:overrides:)``). A regimen basal
    /// infusion replaces the basal the model assumes on that input (``initialInputs(parameters:)``).
    /// Steady-state doses (SS = 1 / 2 with II > 0) set / add the periodic steady state at their
    /// time (see ``steadyStateTrough(of:parameters:)``).
    ///
    /// - Parameters:
    ///   - parameters: physiological parameters, in the order of ``parameters``; nil for typical.
    ///   - regimen: planned doses and basal infusions.
    ///   - record: a patient's covariates and given doses (segment 0).
    ///   - hours: the span, hours from time 0.
    ///   - initialState: the state at time 0; nil for ``initialState(parameters:)``.
    ///   - covariateRelations: whether the model's default covariate relations individualise
    ///     the typical values (only without `parameters`); default none.
    /// - Throws: ``ModelError`` for invalid parameters, doses the model cannot take, or a span
    ///   that is not positive.
    public func problem(parameters: [Double]? = nil, regimen: Regimen? = nil, record: PatientRecord? = nil,
                        hours: Double, initialState: [Double]? = nil,
                        covariateRelations: CovariateRelations = .none) throws(ModelError) -> ODEProblem<Self> {
        guard hours.isFinite, hours > 0 else {
            throw .invalidRequest(model: name, reason: "the simulated span must be a positive number of hours, not \(hours)")
        }
        let p: [Double]
        if let parameters { try validate(parameters: parameters); p = parameters } else {
            p = try resolveParameters(covariates: record?.covariates(at: 0) ?? [:], covariateRelations: covariateRelations)
        }
        var doses: [Dose] = []
        var basal: [BasalInfusion] = []
        if let regimen {
            do { doses += try regimen.doses(weight: record?.weight) } catch {
                throw .invalidRequest(model: name, reason: error.description)
            }
            basal += regimen.basalInfusions
        }
        if let record {
            if let later = record.doses.first(where: { $0.segment != 0 }) {
                throw .unsupportedDose(model: name, dose: describe(later), reason: "doses after a reset (segment \(later.segment)) are not simulated; split the record at the reset")
            }
            doses += record.doses
            basal += record.plannedRegimens.flatMap(\.basalInfusions)
        }
        doses.sort { $0.time < $1.time }
        let y0 = initialState ?? self.initialState(parameters: p)
        guard y0.count == stateCount else { throw .stateCountMismatch(model: name, expected: stateCount, found: y0.count) }
        var inputs = initialInputs(parameters: p)
        for infusion in basal {
            if let dimension = infusion.unit.dimension.amountDimension {
                let probe = Dose(time: infusion.start, amount: 1, unit: dimension.canonicalUnit,
                                 route: dimension == .insulin ? .subcutaneous : .intravenous, delivery: .infusion(rate: infusion.rate))
                if let input = try? doseEntry(for: probe, parameters: p).input { inputs[input] = 0 }
            }
        }
        let full = p + inputs
        var events: [TimeEvent] = []
        for dose in doses {
            guard let ss = dose.steadyState else { continue }
            let trough = try steadyStateTrough(of: dose, parameters: full)
            let t = timeUnit.fromHours(dose.time)
            for (i, v) in trough.enumerated() {
                events.append(TimeEvent(time: t, action: ss.kind == .reset ? .setState(state: i, value: v) : .addToState(state: i, amount: v)))
            }
        }
        events += try dosingEvents(doses: doses, basal: basal, parameters: p)
        if parameters == nil, covariateRelations == .modelDefault, let record {
            events += try covariateEvents(for: record)
        }
        do {
            return try ODEProblem(system: self, initialState: y0, timeSpan: (0, timeUnit.fromHours(hours)), parameters: full, timeEvents: events)
        } catch let error as ODEError {
            throw .problem(model: name, error: error)
        } catch {
            throw .invalidRequest(model: name, reason: "\(error)")
        }
    }
}
