/// What is wrong with a closed-form linear PK request: a model, a dose or a parameter vector
/// that the closed forms cannot take.
///
/// ```swift
/// do { _ = try LinearPKModel(compartments: 4) } catch { print(error) }
/// // "a closed-form linear PK model has 1, 2 or 3 compartments, not 4"
/// ```
public enum LinearPKError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model asked for has a number of compartments other than 1, 2 or 3.
    case unsupportedCompartmentCount(Int)
    /// The parameter vector has the wrong length.
    case wrongParameterCount(expected: Int, found: Int)
    /// A rate constant, clearance or volume that is not a finite number > 0, a bioavailability
    /// that is not finite and ≥ 0, or a lag time that is not finite and ≥ 0 (name, value).
    case invalidParameter(name: String, value: Double)
    /// A dose time, amount, or evaluation time that is not a finite number (amount also ≥ 0).
    case invalidDoseValue(what: String, value: Double)
    /// A dose's lag time is negative or not finite (hours).
    case negativeLag(Double)
    /// An infusion's duration is negative or not finite, or not given by the record (hours).
    case invalidDuration(Double)
    /// A steady-state dosing interval that is ≤ 0, not finite, or not longer than the dose's
    /// infusion duration (interval, duration; hours).
    case invalidSteadyStateInterval(interval: Double, duration: Double)
    /// A dose whose bioavailability is not finite and ≥ 0.
    case invalidBioavailability(Double)
    /// A dose given in a unit that is not a mass (the closed forms take mg).
    case unsupportedDoseUnit(String)
    /// A dose into a compartment other than 1 (depot) or 2 (central).
    case unsupportedDoseCompartment(Int)

    public var description: String {
        switch self {
        case let .unsupportedCompartmentCount(n):
            return "a closed-form linear PK model has 1, 2 or 3 compartments, not \(n)"
        case let .wrongParameterCount(expected, found):
            return "the linear PK model takes \(expected) parameters, got \(found)"
        case let .invalidParameter(name, value):
            switch name {
            case "F": return "the bioavailability F must be a finite number ≥ 0, not \(value)"
            case "tlag": return "the lag time tlag must be a finite number ≥ 0 h, not \(value)"
            default: return "the parameter \(name) must be a finite number > 0, not \(value)"
            }
        case let .invalidDoseValue(what, value):
            return "the \(what) must be a finite number\(what.contains("amount") ? " ≥ 0" : ""), not \(value)"
        case let .negativeLag(lag):
            return "a dose's lag time must be a finite number ≥ 0 h, not \(lag)"
        case let .invalidDuration(duration):
            return "an infusion's duration must be a finite number ≥ 0 h given by the record (rate or duration), not \(duration)"
        case let .invalidSteadyStateInterval(interval, duration):
            return duration > 0
                ? "a steady-state dosing interval must be finite and longer than the infusion (\(duration) h), not \(interval) h"
                : "a steady-state dosing interval must be a finite number > 0 h, not \(interval) h"
        case let .invalidBioavailability(f):
            return "a dose's bioavailability must be a finite number ≥ 0, not \(f)"
        case let .unsupportedDoseUnit(symbol):
            return "the closed-form PK takes drug amounts in mass units (mg, µg, g), not \(symbol)"
        case let .unsupportedDoseCompartment(c):
            return "compartment \(c) takes no doses; use CMT 1 (depot, absorbed) or CMT 2 (central, IV)"
        }
    }
}
