/// A dose actually given: when, how much, how, and into which compartment.
///
/// Times are hours from the record's origin (the start of its segment after a reset, see
/// ``segment``); amounts are in the canonical unit of their dimension (mg, U, g carbs, L,
/// mmol; per-weight doses are multiplied out by the weight on input).
///
/// ```swift
/// let dose = Dose(time: 0, amount: 320, unit: .milligram, route: .oral, compartment: 1)
/// let infusion = Dose(time: 24, amount: 500, unit: .milligram, route: .intravenous,
///                     delivery: .infusion(duration: 1), compartment: 2)
/// ```
public struct Dose: Hashable, Sendable, Codable {
    /// Time of the dose, hours from the segment's origin.
    public var time: Double
    /// The amount, in `unit` (a canonical unit: mg, U, g carbs, L or mmol).
    public var amount: Double
    /// The canonical unit of the amount.
    public var unit: MeasurementUnit
    /// The route.
    public var route: Route
    /// Bolus or infusion.
    public var delivery: Delivery
    /// The target compartment (1-based, as NONMEM's CMT), or nil for the model's default.
    public var compartment: Int?
    /// Bioavailable fraction (0…1), when the record states it; nil leaves it to the model.
    public var bioavailability: Double?
    /// Absorption lag, hours, when the record states it; nil leaves it to the model.
    public var lag: Double?
    /// Steady-state marker (SS = 1/2 with II), or nil.
    public var steadyState: SteadyState?
    /// Segment of the record: 0 before the first reset, k after the k-th (EVID 3/4).
    public var segment: Int

    /// A dose with every field.
    public init(time: Double, amount: Double, unit: MeasurementUnit, route: Route = .unspecified,
                delivery: Delivery = .bolus, compartment: Int? = nil, bioavailability: Double? = nil,
                lag: Double? = nil, steadyState: SteadyState? = nil, segment: Int = 0) {
        self.time = time
        self.amount = amount
        self.unit = unit
        self.route = route
        self.delivery = delivery
        self.compartment = compartment
        self.bioavailability = bioavailability
        self.lag = lag
        self.steadyState = steadyState
        self.segment = segment
    }
}
