import TwinData

/// One dose for the closed-form linear PK models, in hours and mg.
///
/// A dose into the ``Target/depot`` is absorbed first-order (rate ka) after the lag time and
/// scaled by the bioavailability; a dose into the ``Target/central`` compartment enters the
/// central compartment directly, with no lag and no F unless the dose states its own. A positive
/// `duration` makes it a zero-order infusion of `amount` over that many hours into its target.
///
/// A `steadyStateInterval` II makes it a steady-state dose: at its time the system is at steady
/// state under this dose repeated every II hours (NONMEM SS = 1 or SS = 2). With
/// `resetsToSteadyState` (SS = 1, the default) the doses before it no longer count from its time
/// on; without it (SS = 2) the steady state adds to what they left.
///
/// ```swift
/// let oral = try LinearPKDose(time: 0, amount: 320)                       // depot, model F and tlag
/// let iv = try LinearPKDose(time: 12, amount: 100, target: .central, duration: 1)
/// let ss = try LinearPKDose(time: 24, amount: 200, steadyStateInterval: 12)
/// ```
public struct LinearPKDose: Sendable, Hashable {
    /// Where a dose enters.
    public enum Target: Sendable, Hashable {
        /// The absorption depot (NONMEM CMT 1): oral, sc, im.
        case depot
        /// The central compartment (CMT 2): intravenous.
        case central
    }

    /// Dose time, hours.
    public let time: Double
    /// Amount, mg.
    public let amount: Double
    /// Where the dose enters.
    public let target: Target
    /// Infusion duration, hours; 0 for a bolus.
    public let duration: Double
    /// Steady-state dosing interval II, hours; nil for an ordinary dose.
    public let steadyStateInterval: Double?
    /// For a steady-state dose: true for SS = 1 (earlier doses stop counting), false for SS = 2.
    public let resetsToSteadyState: Bool
    /// The dose's own bioavailability; nil takes the model's F for depot doses and 1 for
    /// central doses.
    public let bioavailability: Double?
    /// The dose's own lag time, hours; nil takes the model's tlag for depot doses and 0 for
    /// central doses.
    public let lag: Double?

    /// A dose.
    ///
    /// - Throws: ``LinearPKError`` for a time or amount that is not finite (amount < 0), a
    ///   negative duration, lag or bioavailability, or a steady-state interval not longer than
    ///   the infusion.
    public init(time: Double, amount: Double, target: Target = .depot, duration: Double = 0,
                steadyStateInterval: Double? = nil, resetsToSteadyState: Bool = true,
                bioavailability: Double? = nil, lag: Double? = nil) throws(LinearPKError) {
        guard time.isFinite else { throw .invalidDoseValue(what: "dose time (h)", value: time) }
        guard amount.isFinite, amount >= 0 else { throw .invalidDoseValue(what: "dose amount (mg)", value: amount) }
        guard duration.isFinite, duration >= 0 else { throw .invalidDuration(duration) }
        if let ii = steadyStateInterval {
            guard ii.isFinite, ii > 0, ii > duration else {
                throw .invalidSteadyStateInterval(interval: ii, duration: duration)
            }
        }
        if let f = bioavailability, !(f.isFinite && f >= 0) { throw .invalidBioavailability(f) }
        if let l = lag, !(l.isFinite && l >= 0) { throw .negativeLag(l) }
        self.time = time
        self.amount = amount
        self.target = target
        self.duration = duration
        self.steadyStateInterval = steadyStateInterval
        self.resetsToSteadyState = resetsToSteadyState
        self.bioavailability = bioavailability
        self.lag = lag
    }

    /// A record's dose, mapped as the TwinModels PK models take it (`PKDosing.entry`): CMT 2 or
    /// an intravenous dose without a compartment goes to the central compartment with no F and
    /// no lag (its record F and lag are ignored); CMT 1 or any other route to the depot, where the
    /// record's F and lag, when given, replace the model's. The amount is converted to mg, an
    /// infusion rate (mg/h) to a duration, SS = 1 / 2 and II to a steady-state dose.
    ///
    /// - Throws: ``LinearPKError`` for a unit that is not a mass, a compartment other than 1 or
    ///   2, an infusion whose rate or duration the record does not give (RATE = −1 / −2), a
    ///   steady-state infusion (II = 0), or any value the memberwise initialiser rejects.
    ///
    /// ```swift
    /// let dose = try LinearPKDose(from: Dose(time: 0, amount: 320, unit: .milligram, route: .oral))
    /// ```
    public init(from dose: Dose) throws(LinearPKError) {
        guard dose.unit.dimension == .mass else { throw .unsupportedDoseUnit(dose.unit.symbol) }
        let central: Bool
        switch dose.compartment {
        case nil: central = dose.route == .intravenous
        case 1?: central = false
        case 2?: central = true
        case let c?: throw .unsupportedDoseCompartment(c)
        }
        let mg = dose.amount * dose.unit.factor
        guard let hours = dose.delivery.duration(forAmount: mg) else { throw .invalidDuration(.nan) }
        try self.init(time: dose.time, amount: mg, target: central ? .central : .depot, duration: hours,
                      steadyStateInterval: dose.steadyState.map(\.interval),
                      resetsToSteadyState: dose.steadyState?.kind != .additive,
                      bioavailability: central ? nil : dose.bioavailability,
                      lag: central ? nil : dose.lag)
    }
}
