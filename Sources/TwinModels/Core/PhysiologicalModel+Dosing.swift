import TwinData
import TwinODE

extension PhysiologicalModel {
    /// Time events for doses and basal infusions, each dose mapped on its own through
    /// ``doseEntry(for:parameters:)``:
    ///
    /// - a bolus adds `amount · scale` to the entry's state at `time + lag`;
    /// - an infusion adds `amount · scale / duration` to the entry's input at `time + lag` and
    ///   takes it away at the end, so overlapping infusions add up;
    /// - a basal infusion does the same with its rate from `start` to `end`.
    ///
    /// Dose times, durations, lags and basal rates are in hours (per hour); the events are in
    /// model time units, converted here through ``ModelTimeUnit/fromHours(_:)`` and
    /// ``ModelTimeUnit/fromPerHour(_:)``.
    ///
    /// - Throws: ``ModelError`` for a dose the model cannot take, a negative time or amount, or an
    ///   infusion whose duration the record does not give.
    public func standardDosingEvents(doses: [Dose], basal: [BasalInfusion], parameters: [Double]) throws(ModelError) -> [TimeEvent] {
        let clock = timeUnit
        let base = self.parameters.count
        var events: [TimeEvent] = []
        for dose in doses {
            guard dose.time.isFinite, dose.time >= 0 else {
                throw .invalidRequest(model: name, reason: "dose \(describe(dose)): dose times must be ≥ 0 h")
            }
            guard dose.amount.isFinite, dose.amount >= 0 else {
                throw .unsupportedDose(model: name, dose: describe(dose), reason: "the amount must be a finite number ≥ 0")
            }
            let entry = try doseEntry(for: dose, parameters: parameters)
            let start = clock.fromHours(dose.time + entry.lagHours)
            let amount = dose.amount * entry.scale
            guard let hours = dose.delivery.duration(forAmount: dose.amount) else {
                throw .unsupportedDose(model: name, dose: describe(dose), reason: "the infusion's rate or duration is not given (RATE = -1/-2 needs a modelled rate, which this model has not)")
            }
            if hours <= 0 {
                events.append(TimeEvent(time: start, action: .addToState(state: entry.state, amount: amount)))
            } else {
                guard let input = entry.input else {
                    throw .unsupportedDose(model: name, dose: describe(dose), reason: "this entry takes boluses only; give the dose without 'over' or 'rate'")
                }
                let duration = clock.fromHours(hours)
                let rate = amount / duration
                events.append(TimeEvent(time: start, action: .addToParameter(parameter: base + input, amount: rate)))
                events.append(TimeEvent(time: start + duration, action: .addToParameter(parameter: base + input, amount: -rate)))
            }
        }
        for infusion in basal {
            guard let amountDimension = infusion.unit.dimension.amountDimension else {
                throw .unsupportedDose(model: name, dose: "basal \(infusion.rate) \(infusion.unit.symbol)", reason: "a basal rate needs a rate unit such as mg/h or U/h")
            }
            guard infusion.start >= 0, infusion.rate >= 0, infusion.rate.isFinite else {
                throw .invalidRequest(model: name, reason: "basal \(infusion.rate) \(infusion.unit.symbol) from \(infusion.start) h: start and rate must be ≥ 0")
            }
            let probe = Dose(time: infusion.start, amount: 1, unit: amountDimension.canonicalUnit,
                             route: amountDimension == .insulin ? .subcutaneous : .intravenous, delivery: .infusion(rate: infusion.rate))
            let entry = try doseEntry(for: probe, parameters: parameters)
            guard let input = entry.input else {
                throw .unsupportedDose(model: name, dose: "basal \(infusion.rate) \(infusion.unit.symbol)", reason: "this model has no infusion input for it")
            }
            // rate per hour × scale → per model time unit.
            let rate = clock.fromPerHour(infusion.rate * entry.scale)
            events.append(TimeEvent(time: clock.fromHours(infusion.start + entry.lagHours), action: .addToParameter(parameter: base + input, amount: rate)))
            if let end = infusion.end {
                events.append(TimeEvent(time: clock.fromHours(end + entry.lagHours), action: .addToParameter(parameter: base + input, amount: -rate)))
            }
        }
        return events
    }
}
