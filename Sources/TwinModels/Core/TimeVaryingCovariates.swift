import TwinData
import TwinODE

extension PhysiologicalModel {
    /// The parameter changes that a record's time-varying covariates
    /// (``PatientRecord/covariateHistory``) make through the model's default covariate relations
    /// (``individualize(_:covariates:)``), under NONMEM's PREDPP convention: a value recorded at
    /// t applies over (t_prev, t], so the parameters switch right after the last record of each
    /// run of equal values (``TimedCovariate/time``). One ``TimeEvent/Action/setParameter(parameter:value:)``
    /// per parameter that changes, at that time (model units); none for a record without history.
    ///
    /// Segment 0 only (the problem builder refuses later segments). The parameters before the
    /// first change are those of ``PatientRecord/covariates(at:segment:)`` at time 0.
    ///
    /// - Parameters:
    ///   - record: the patient's record.
    ///   - base: the values before the covariate relations (typical when nil).
    ///   - overrides: parameter values by name, applied after the relations on every piece.
    /// - Throws: ``ModelError`` for a parameter the relations push out of its range, or an
    ///   unknown override.
    ///
    /// ```swift
    /// // WT 70 kg on records at 0 and 5 h, 35 kg at 10 h: CL and V of pk-1cmt switch at 5 h.
    /// let events = try OneCompartmentPK().covariateEvents(for: record)
    /// ```
    public func covariateEvents(for record: PatientRecord, base: [Double]? = nil,
                                overrides: [String: Double] = [:]) throws(ModelError) -> [TimeEvent] {
        var changes = Set<Double>()
        for entries in record.covariateHistory.values {
            for (k, entry) in entries.enumerated() where k + 1 < entries.count && entry.segment == 0 && entries[k + 1].segment == 0 {
                changes.insert(max(entry.time, 0))
            }
        }
        guard !changes.isEmpty else { return [] }
        var previous = try resolveParameters(base: base, covariates: record.covariates(at: 0), covariateRelations: .modelDefault,
                                             overrides: overrides)
        var events: [TimeEvent] = []
        for time in changes.sorted() {
            // Just after `time`: the first record strictly later ends the interval.
            let now = try resolveParameters(base: base, covariates: record.covariates(at: time.nextUp), covariateRelations: .modelDefault,
                                            overrides: overrides)
            for i in now.indices where now[i] != previous[i] {
                events.append(TimeEvent(time: timeUnit.fromHours(time), action: .setParameter(parameter: i, value: now[i])))
            }
            previous = now
        }
        return events
    }

    /// `problem` with the record's ``covariateEvents(for:base:overrides:)`` added.
    func addingCovariateEvents(to problem: ODEProblem<Self>, record: PatientRecord, base: [Double]?,
                               overrides: [String: Double]) throws(ModelError) -> ODEProblem<Self> {
        let extra = try covariateEvents(for: record, base: base, overrides: overrides)
        guard !extra.isEmpty else { return problem }
        do {
            return try ODEProblem(system: self, initialState: problem.initialState, timeSpan: problem.timeSpan,
                                  parameters: problem.parameters, timeEvents: problem.timeEvents + extra, stateEvents: problem.stateEvents)
        } catch let error as ODEError {
            throw .problem(model: name, error: error)
        } catch {
            throw .invalidRequest(model: name, reason: "\(error)")
        }
    }
}
