/// The clock a model's equations run on. Doses, regimens and records are in hours; the problem
/// builder converts their times once, on the way in.
public enum ModelTimeUnit: String, Sendable, Hashable, CaseIterable {
    case second, minute, hour, day

    /// Hours in one unit.
    public var hours: Double {
        switch self {
        case .second: return 1.0 / 3600
        case .minute: return 1.0 / 60
        case .hour: return 1
        case .day: return 24
        }
    }

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
/// state's unit, and the absorption lag.
public struct DoseEntry: Sendable, Hashable {
    /// The state a bolus is added to (0-based).
    public var state: Int
    /// The input (0-based, among ``PhysiologicalModel/inputs``) an infusion feeds; nil when the
    /// model takes only boluses here.
    public var input: Int?
    /// State units per dose unit (1 for mg into an amount in mg).
    public var scale: Double
    /// Absorption lag, in model time units.
    public var lag: Double

    public init(state: Int, input: Int?, scale: Double = 1, lag: Double = 0) {
        self.state = state
        self.input = input
        self.scale = scale
        self.lag = lag
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
