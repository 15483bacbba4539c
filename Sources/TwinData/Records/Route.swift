/// The route by which a dose enters the body.
///
/// NONMEM-style files do not record a route (the compartment says where the dose goes); an
/// optional `ROUTE` column (`iv`, `oral`, `sc`, `im`, `ev`) sets it, otherwise it is
/// ``unspecified``. FHIR gives it as a SNOMED CT code or text.
///
/// ```swift
/// Route(parsing: "sc") == .subcutaneous      // true
/// ```
public enum Route: String, Hashable, Sendable, CaseIterable, Codable {
    /// Into a vein (bolus or infusion).
    case intravenous = "iv"
    /// By mouth.
    case oral = "oral"
    /// Under the skin.
    case subcutaneous = "sc"
    /// Into a muscle.
    case intramuscular = "im"
    /// Another extravascular route (rectal, transdermal, inhaled …).
    case extravascular = "ev"
    /// Not recorded.
    case unspecified = "."

    /// Reads the common spellings: iv, intravenous, po, oral, sc, subcut, subcutaneous, im,
    /// intramuscular, ev, extravascular; nil for anything else.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "iv", "intravenous", "i.v.": self = .intravenous
        case "po", "oral", "p.o.", "orally": self = .oral
        case "sc", "subcut", "subcutaneous", "s.c.", "sq", "subq": self = .subcutaneous
        case "im", "intramuscular", "i.m.": self = .intramuscular
        case "ev", "extravascular": self = .extravascular
        case ".", "": self = .unspecified
        default: return nil
        }
    }

    /// The SNOMED CT code FHIR uses for this route, if any.
    public var snomedCode: String? {
        switch self {
        case .intravenous: return "47625008"
        case .oral: return "26643006"
        case .subcutaneous: return "34206005"
        case .intramuscular: return "78421000"
        case .extravascular, .unspecified: return nil
        }
    }

    /// The route for a SNOMED CT route code, if known.
    public init?(snomedCode: String) {
        guard let route = Route.allCases.first(where: { $0.snomedCode == snomedCode }) else { return nil }
        self = route
    }
}

/// How a dose is delivered over time: all at once, or as a zero-order infusion.
///
/// Rates are in the dose's canonical amount unit per hour (mg/h, U/h); durations in hours.
/// `modelledRate` and `modelledDuration` are NONMEM's `RATE = -1` and `RATE = -2`: the model
/// supplies the rate or the duration.
///
/// ```swift
/// let infusion = Delivery.infusion(duration: 1)     // 1 h
/// ```
public enum Delivery: Hashable, Sendable, Codable {
    /// Instantaneous input.
    case bolus
    /// Zero-order input at `rate` (amount unit per hour) until the amount is given.
    case infusion(rate: Double)
    /// Zero-order input spread over `duration` hours.
    case infusionOver(duration: Double)
    /// The model sets the rate (NONMEM RATE = −1).
    case modelledRate
    /// The model sets the duration (NONMEM RATE = −2).
    case modelledDuration

    /// Convenience for ``infusionOver(duration:)``.
    public static func infusion(duration: Double) -> Delivery { .infusionOver(duration: duration) }

    /// The infusion's duration in hours for `amount`, when known from the record.
    public func duration(forAmount amount: Double) -> Double? {
        switch self {
        case .bolus: return 0
        case let .infusion(rate): return rate > 0 ? amount / rate : nil
        case let .infusionOver(duration): return duration
        case .modelledRate, .modelledDuration: return nil
        }
    }
}

/// A steady-state dose (NONMEM SS = 1 or 2): the system is taken to be at steady state under
/// doses of this size every `interval` hours before this one.
///
/// ```swift
/// let ss = SteadyState(kind: .reset, interval: 12)   // SS=1, II=12
/// ```
public struct SteadyState: Hashable, Sendable, Codable {
    /// SS = 1 resets the state to steady state; SS = 2 adds steady state to the current state.
    public enum Kind: Int, Hashable, Sendable, Codable {
        /// SS = 1.
        case reset = 1
        /// SS = 2.
        case additive = 2
    }

    /// SS = 1 or SS = 2.
    public var kind: Kind
    /// The dosing interval II, hours (0 for a steady-state infusion).
    public var interval: Double

    /// A steady-state marker.
    public init(kind: Kind, interval: Double) {
        self.kind = kind
        self.interval = interval
    }
}
