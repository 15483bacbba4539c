/// A planned treatment: doses on a schedule and basal infusions, as ordered — distinct from the
/// doses a record says were actually given (``PatientRecord/doses``).
///
/// Build one from the notation people and the CLI use (``init(parsing:)``, grammar in
/// ``RegimenParser``), or from a FHIR MedicationRequest. ``doses(weight:)`` expands it into
/// ``Dose`` values for simulation.
///
/// ```swift
/// let r = try Regimen(parsing: "500 mg iv over 1h q24h x7")
/// let doses = try r.doses()            // 7 one-hour infusions at 0, 24, …, 144 h
/// let meals = try Regimen(parsing: "60 g carbs at 07:00; 80 g carbs at 12:30")
/// ```
public struct Regimen: Hashable, Sendable, Codable {
    /// Where a regimen came from.
    public enum Source: Hashable, Sendable, Codable {
        /// Written by hand in regimen notation.
        case notation(String)
        /// A FHIR MedicationRequest (an order), by resource id.
        case medicationRequest(id: String)
        /// Built in code.
        case programmatic
    }

    /// The scheduled doses and basal infusions.
    public var items: [RegimenItem]
    /// Where it came from.
    public var source: Source

    /// A regimen of `items`.
    public init(items: [RegimenItem], source: Source = .programmatic) {
        self.items = items
        self.source = source
    }

    /// Parses regimen notation (see ``RegimenParser`` for the grammar) within `limits`
    /// (default: at most 100,000 doses in all, standard dose bounds).
    ///
    /// - Throws: ``RecordError/regimenSyntax(text:offset:expected:found:)`` pointing at the
    ///   offending character, and the budget errors of ``RegimenParser/parse(_:limits:)``.
    public init(parsing text: String, limits: RegimenLimits = RegimenLimits()) throws(RecordError) {
        self = try RegimenParser.parse(text, limits: limits)
    }

    /// The scheduled doses as ``Dose`` values, sorted by time; per-weight amounts (mg/kg, U/kg)
    /// are multiplied by `weight` (kg). Basal infusions are not included (see ``basalInfusions``).
    ///
    /// - Parameter weight: body weight, kg, for per-weight amounts; it must lie in
    ///   `bounds.bodyWeight` (default 0.2–700 kg), and always be finite and > 0.
    /// - Throws: ``RecordError/badValue(_:expected:found:)`` when a per-weight amount needs a
    ///   weight that was not given; ``RecordError/implausibleValue(_:quantity:value:unit:plausible:source:)``
    ///   for a weight outside its range or an amount that is negative or not finite;
    ///   ``RecordError/budgetExceeded(_:quantity:count:limit:bytesPerItem:setting:)`` when the
    ///   regimen (built in code) holds more than `maximumDoses` doses.
    public func doses(weight: Double? = nil, bounds: DoseBounds? = .standard,
                      maximumDoses: Int = RegimenLimits().maximumDoses) throws(RecordError) -> [Dose] {
        var total = 0
        for case let .doses(schedule) in items {
            let (sum, overflow) = total.addingReportingOverflow(schedule.times.count)
            if overflow || sum > maximumDoses {
                throw .budgetExceeded(RecordLocation(file: "<regimen>"), quantity: "the doses of this regimen", count: overflow ? Int.max : sum,
                                      limit: maximumDoses, bytesPerItem: ReadLimits.bytesPerEvent, setting: "RegimenLimits.maximumDoses")
            }
            total = sum
        }
        var doses: [Dose] = []
        doses.reserveCapacity(total)
        for case let .doses(schedule) in items {
            var amount = schedule.amount
            var unit = schedule.unit
            if let resolved = schedule.unit.resolvingPerWeight() {
                guard let weight, weight > 0 else {
                    throw .badValue(RecordLocation(file: "<regimen>"), expected: "a body weight in kg for a dose in \(schedule.unit.symbol)",
                                    found: weight.map(formatNumber) ?? "none")
                }
                if let e = Plausibility.check(weight, "a body weight", unit: "kg", range: bounds?.bodyWeight, setting: "DoseBounds.bodyWeight",
                                              nonNegative: true, at: RecordLocation(file: "<regimen>")) {
                    throw e
                }
                amount = amount * schedule.unit.factor * weight   // mg/kg × kg = mg
                unit = resolved
            }
            if let e = Plausibility.checkDose(amount, unit: unit, bounds: bounds, at: RecordLocation(file: "<regimen>")) { throw e }
            for t in schedule.times {
                doses.append(Dose(time: t, amount: amount, unit: unit, route: schedule.route,
                                  delivery: schedule.delivery, compartment: schedule.compartment))
            }
        }
        return doses.sorted { $0.time < $1.time }
    }

    /// The basal (continuous) infusions.
    public var basalInfusions: [BasalInfusion] {
        items.compactMap { if case let .basal(b) = $0 { return b } else { return nil } }
    }

    /// The regimen in notation that ``init(parsing:)`` reads back to an equal regimen (with
    /// explicit times: `"100 mg at 0h,12h"`).
    public var notation: String {
        items.map { item -> String in
            switch item {
            case let .doses(s):
                var parts = ["\(formatNumber(s.amount)) \(s.unit.symbol)"]
                if s.route != .unspecified { parts.append(s.route.rawValue) }
                if case let .infusionOver(d) = s.delivery { parts.append("over \(formatNumber(d))h") }
                if case let .infusion(rate) = s.delivery, let r = s.unit.dimension.rateDimension { parts.append("rate \(formatNumber(rate)) \(r.canonicalSymbol)") }
                if let c = s.compartment { parts.append("cmt \(c)") }
                parts.append("at " + s.times.map { formatNumber($0) + "h" }.joined(separator: ","))
                return parts.joined(separator: " ")
            case let .basal(b):
                var text = "basal \(formatNumber(b.rate)) \(b.unit.symbol)"
                if b.start != 0 { text += " from \(formatNumber(b.start))h" }
                if let end = b.end { text += " for \(formatNumber(end - b.start))h" }
                return text
            }
        }.joined(separator: "; ")
    }
}

/// One line of a regimen.
public enum RegimenItem: Hashable, Sendable, Codable {
    /// Doses of one size at listed times.
    case doses(DoseSchedule)
    /// A continuous infusion at a constant rate.
    case basal(BasalInfusion)
}

/// Doses of one size, route and delivery at a list of times.
///
/// ```swift
/// let s = DoseSchedule(amount: 100, unit: .milligram, times: [0, 12, 24])
/// ```
public struct DoseSchedule: Hashable, Sendable, Codable {
    /// Amount per dose in `unit` (canonical, or mg/kg or U/kg until a weight is known).
    public var amount: Double
    /// The amount's unit: mg, U, g carbs, L, mmol, mg/kg or U/kg.
    public var unit: MeasurementUnit
    /// The route.
    public var route: Route
    /// Bolus or infusion.
    public var delivery: Delivery
    /// The target compartment, or nil for the model's default.
    public var compartment: Int?
    /// Dose times, hours from the simulation's time 0 (day 0, 00:00).
    public var times: [Double]

    /// A schedule.
    public init(amount: Double, unit: MeasurementUnit, route: Route = .unspecified,
                delivery: Delivery = .bolus, compartment: Int? = nil, times: [Double]) {
        self.amount = amount
        self.unit = unit
        self.route = route
        self.delivery = delivery
        self.compartment = compartment
        self.times = times
    }
}

/// A continuous infusion: `rate` from `start` until `end` (or for ever).
///
/// ```swift
/// let basal = BasalInfusion(rate: 0.8, unit: .insulinUnitPerHour)
/// ```
public struct BasalInfusion: Hashable, Sendable, Codable {
    /// The rate in `unit`.
    public var rate: Double
    /// A canonical rate unit (mg/h, U/h, L/h, g carbs/h).
    public var unit: MeasurementUnit
    /// Start, hours.
    public var start: Double
    /// End, hours, or nil for no end.
    public var end: Double?

    /// A basal infusion.
    public init(rate: Double, unit: MeasurementUnit, start: Double = 0, end: Double? = nil) {
        self.rate = rate
        self.unit = unit
        self.start = start
        self.end = end
    }
}

extension MeasurementUnit {
    /// For a per-body-weight unit, the canonical unit of the amount it becomes (mg/kg → mg).
    func resolvingPerWeight() -> MeasurementUnit? {
        switch dimension {
        case .massPerBodyMass: return .milligram
        case .insulinPerBodyMass: return .insulinUnit
        default: return nil
        }
    }
}
