/// The clock a model's equations run on. Doses, regimens, records and simulation requests are in
/// hours; every conversion between hours and model time goes through ``fromHours(_:)``,
/// ``toHours(_:)`` and ``fromPerHour(_:)``, once, where a value crosses into or out of the model.
///
/// ```swift
/// let clock = ModelTimeUnit.minute          // UVA/Padova, Bergman
/// clock.fromHours(1.5)                      // 90 (min)
/// clock.toHours(90)                         // 1.5 (h)
/// clock.fromPerHour(6)                      // 0.1: 6 U/h is 0.1 U/min
/// ```
public enum ModelTimeUnit: String, Sendable, Hashable, CaseIterable {
    case second, minute, hour, day

    /// A time or duration in hours, in model time units.
    ///
    /// The exact factor (× 60, × 3600, ÷ 24) is applied, never a rounded reciprocal such as
    /// 1/60, so whole hours are whole minutes and seconds exactly (`fromHours(7) == 420`).
    ///
    /// - Parameter hours: a time since the start of the run, or a duration, in hours.
    /// - Returns: the same time in this unit (minutes for `.minute`: `fromHours(2) == 120`).
    @inlinable
    public func fromHours(_ hours: Double) -> Double {
        switch self {
        case .second: return hours * 3600
        case .minute: return hours * 60
        case .hour: return hours
        case .day: return hours / 24
        }
    }

    /// A time or duration in model time units, in hours (the inverse of ``fromHours(_:)``).
    ///
    /// - Parameter time: a time or duration in this unit.
    /// - Returns: the same time in hours (`ModelTimeUnit.day.toHours(2) == 48`).
    @inlinable
    public func toHours(_ time: Double) -> Double {
        switch self {
        case .second: return time / 3600
        case .minute: return time / 60
        case .hour: return time
        case .day: return time * 24
        }
    }

    /// A rate per hour (mg/h, U/h), per unit of model time (mg/min for `.minute`): the rate
    /// times the hours in one unit, which is ``toHours(_:)`` of the rate.
    ///
    /// - Parameter rate: an amount per hour.
    /// - Returns: the amount per model time unit (`ModelTimeUnit.minute.fromPerHour(60) == 1`).
    @inlinable
    public func fromPerHour(_ rate: Double) -> Double { toHours(rate) }

    /// The unit's symbol: s, min, h, d.
    public var symbol: String {
        switch self {
        case .second: return "s"
        case .minute: return "min"
        case .hour: return "h"
        case .day: return "d"
        }
    }
}

/// A named quantity of a model — a state, a rate input or an observed output: its name, unit
/// and meaning.
public struct ModelQuantity: Sendable, Hashable {
    public let name: String
    /// The unit (for an input, per unit of model time).
    public let unit: String
    public let summary: String
    public init(_ name: String, _ unit: String, _ summary: String) {
        self.name = name
        self.unit = unit
        self.summary = summary
    }
}

/// One state of a model.
public typealias ModelState = ModelQuantity

/// A rate input of a model (an infusion, an eating rate): an ODE parameter after the
/// physiological ones, switched by the time events the problem builder makes from doses.
public typealias ModelInput = ModelQuantity

/// An observed quantity: what ``PhysiologicalModel/observe(time:state:parameters:into:)`` computes
/// from the state (a concentration, glucose in mg/dL, a pressure …).
public typealias ModelOutput = ModelQuantity

/// One physiological parameter: name, unit, meaning, typical (population) value and the range
/// of values a person can have. The builder rejects values outside the range.
public struct ModelParameter: Sendable, Hashable {
    public let name: String
    public let unit: String
    public let summary: String
    /// The typical (population) value, the default.
    public let typical: Double
    /// The lowest physiologically meaningful value.
    public let lower: Double
    /// The highest physiologically meaningful value.
    public let upper: Double

    public init(_ name: String, _ unit: String, _ summary: String, typical: Double, range: ClosedRange<Double>) {
        self.name = name
        self.unit = unit
        self.summary = summary
        self.typical = typical
        self.lower = range.lowerBound
        self.upper = range.upperBound
    }

    /// Whether `value` is finite and within [lower, upper].
    public func admits(_ value: Double) -> Bool { value.isFinite && value >= lower && value <= upper }
}

/// How one dose enters a model: the state a bolus is added to, the input an infusion feeds,
/// the factor that turns the dose amount (in its canonical unit: mg, U, g carbs) into the
/// state's unit, and the absorption lag in hours (the unit of ``Dose/lag``; the problem builder
/// converts it to model time with the dose time).
///
/// ```swift
/// // An oral dose into the depot (state 0, input 0), bioavailable in full, absorbed after 0.5 h.
/// DoseEntry(state: 0, input: 0, scale: 1, lagHours: 0.5)
/// ```
public struct DoseEntry: Sendable, Hashable {
    /// The state a bolus is added to (0-based).
    public var state: Int
    /// The input (0-based, among ``PhysiologicalModel/inputs``) an infusion feeds; nil when the
    /// model takes only boluses here.
    public var input: Int?
    /// State units per dose unit (1 for mg into an amount in mg).
    public var scale: Double
    /// Absorption lag, hours (as ``Dose/lag``), ≥ 0; the dose takes effect at its time + this lag.
    public var lagHours: Double

    /// - Parameters:
    ///   - state: the state a bolus is added to (0-based).
    ///   - input: the input an infusion feeds (0-based), or nil for boluses only.
    ///   - scale: state units per dose unit; default 1.
    ///   - lagHours: absorption lag, hours; default 0.
    public init(state: Int, input: Int?, scale: Double = 1, lagHours: Double = 0) {
        self.state = state
        self.input = input
        self.scale = scale
        self.lagHours = lagHours
    }
}

/// A named parameter set that ships with a model (a virtual subject).
public struct ModelSubject: Sendable, Hashable {
    public let name: String
    /// One value per physiological parameter.
    public let parameters: [Double]
    /// Where the values come from.
    public let source: String
    public init(name: String, parameters: [Double], source: String) {
        self.name = name
        self.parameters = parameters
        self.source = source
    }
}
