/// Why a patient record, a unit, or a regimen was refused.
///
/// Every case carries a ``RecordLocation`` (file, line and column for CSV; JSON path for FHIR)
/// and its ``description`` says what was expected, what was found and how to fix it. Messages
/// name record IDs only, never patient names or other identifiers.
///
/// ```swift
/// do { _ = try MeasurementUnit.parse("mg/dl/h") }
/// catch let error as RecordError { print(error) }
/// // <input>: unknown unit 'mg/dl/h'; known units: h, min, …
/// ```
public enum RecordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required CSV column (or JSON member) is absent.
    case missingColumn(RecordLocation, column: String)
    /// A value of the wrong form: `expected` says what was wanted ("a number"), `found` quotes it.
    case badValue(RecordLocation, expected: String, found: String)
    /// A dose amount, rate or duration below zero (in the file's unit).
    case negativeAmount(RecordLocation, found: Double)
    /// A record's time (in hours) is earlier than the one before it in the same subject and no
    /// reset (EVID 3 or 4) came between.
    case timeWentBackwards(RecordLocation, previous: Double, found: Double)
    /// A dose record (EVID 1 or 4) without an amount.
    case doseWithoutAmount(RecordLocation)
    /// An observation record (EVID 0, MDV 0) without a value.
    case observationWithoutValue(RecordLocation)
    /// A unit spelling MedTwin does not know; `known` lists the accepted ones.
    case unknownUnit(RecordLocation, unit: String, known: [String])
    /// A unit of the wrong dimension (a time column in mg), or a molar unit without a molar mass.
    case incompatibleUnit(RecordLocation, unit: String, expected: String)
    /// A CSV column whose values carry a physical unit but no unit was given for it.
    case missingUnit(RecordLocation, column: String)
    /// A single dose outside the plausible range for its dimension: the classic mg/µg mix-up.
    case implausibleDose(RecordLocation, amount: Double, unit: String, plausible: ClosedRange<Double>)
    /// A date-time that cannot be placed on the time axis: partial, or without a time zone and
    /// no explicit zone given.
    case ambiguousTime(RecordLocation, found: String, reason: String)
    /// A FHIR reference to a resource that is not in the document.
    case unresolvedReference(RecordLocation, reference: String)
    /// A size limit was exceeded (file bytes, line length, columns, expanded doses …).
    case limitExceeded(RecordLocation, limit: String, maximum: Int)
    /// The file is not well-formed CSV or JSON at this location.
    case malformed(RecordLocation, message: String)
    /// A regimen string does not follow the grammar; `offset` is the 0-based character index.
    case regimenSyntax(text: String, offset: Int, expected: String, found: String)
    /// The file could not be read or written.
    case io(file: String, message: String)
    /// A resource budget would be exceeded: `quantity` (what is counted, "events after II/ADDL
    /// expansion") would reach `count`, over `limit`; `bytesPerItem` is the memory one item takes
    /// (measured, ``ReadLimits/bytesPerEvent``), and `setting` names the limit to raise. Thrown
    /// before anything is expanded or allocated.
    case budgetExceeded(RecordLocation, quantity: String, count: Int, limit: Int, bytesPerItem: Int, setting: String)
    /// A number of the right kind but outside what physics or physiology allows: a negative or
    /// zero body weight, an infinite time, a 100 kg dose. `plausible` is the accepted range in
    /// `unit`, `source` the setting it comes from (``DoseBounds``).
    case implausibleValue(RecordLocation, quantity: String, value: Double, unit: String, plausible: ClosedRange<Double>, source: String)
    /// A FHIR resource id used twice in one document set; `first` is where it was first seen.
    case duplicateID(RecordLocation, id: String, first: RecordLocation)

    /// The location of the problem (nil for ``regimenSyntax(text:offset:expected:found:)`` and ``io(file:message:)``).
    public var location: RecordLocation? {
        switch self {
        case let .missingColumn(l, _), let .badValue(l, _, _), let .negativeAmount(l, _),
             let .timeWentBackwards(l, _, _), let .doseWithoutAmount(l), let .observationWithoutValue(l),
             let .unknownUnit(l, _, _), let .incompatibleUnit(l, _, _), let .missingUnit(l, _),
             let .implausibleDose(l, _, _, _), let .ambiguousTime(l, _, _), let .unresolvedReference(l, _),
             let .limitExceeded(l, _, _), let .malformed(l, _), let .budgetExceeded(l, _, _, _, _, _),
             let .implausibleValue(l, _, _, _, _, _), let .duplicateID(l, _, _):
            return l
        case .regimenSyntax, .io:
            return nil
        }
    }

    public var description: String {
        switch self {
        case let .missingColumn(l, column):
            if l.jsonPath != nil {
                return "\(l): expected the member \(column), found none; add it to the resource"
            }
            return "\(l): expected a column named \(column), found none; add it to the header (names are case-insensitive)"
        case let .badValue(l, expected, found):
            return "\(l): expected \(expected), found '\(found)'; " + (l.acceptsMissingMarker && found != "." ? "correct the value or write '.' for missing" : "correct the value")
        case let .negativeAmount(l, found):
            return "\(l): expected an amount ≥ 0, found \(formatNumber(found)); doses, rates and durations cannot be negative"
        case let .timeWentBackwards(l, previous, found):
            return "\(l): expected a time ≥ \(formatNumber(previous)) h (the previous record), found \(formatNumber(found)) h; sort the subject's records by time or insert a reset (EVID 3 or 4)"
        case let .doseWithoutAmount(l):
            return "\(l): expected an amount for this dose record, found none; fill in AMT or make it an observation (EVID 0)"
        case let .observationWithoutValue(l):
            return "\(l): expected a value for this observation, found none; fill in DV, set MDV 1, or flag it below the limit of quantification (BLQ 1 with LLOQ)"
        case let .unknownUnit(l, unit, known):
            return "\(l): unknown unit '\(unit)'; known units: \(known.joined(separator: ", "))"
        case let .incompatibleUnit(l, unit, expected):
            return "\(l): expected \(expected), found the unit '\(unit)'; give a unit of the right kind"
        case let .missingUnit(l, column):
            return "\(l): no unit given for column \(column); CSV files carry no units and MedTwin does not guess: give it in the column units (\(column)=…) or a JSON sidecar"
        case let .implausibleDose(l, amount, unit, plausible):
            return "\(l): a single dose of \(formatNumber(amount)) \(unit) is outside the plausible range \(formatNumber(plausible.lowerBound))–\(formatNumber(plausible.upperBound)) \(unit); check the unit (mg and µg differ by 1000) or widen DoseBounds"
        case let .ambiguousTime(l, found, reason):
            return "\(l): cannot place the time '\(found)' on the time axis: \(reason)"
        case let .unresolvedReference(l, reference):
            return "\(l): the reference '\(reference)' names no resource in this document; include the Patient resource or fix the reference"
        case let .limitExceeded(l, limit, maximum):
            return "\(l): \(limit) exceeds the limit of \(maximum); raise ReadLimits if the input is trusted"
        case let .malformed(l, message):
            return "\(l): \(message)"
        case let .regimenSyntax(text, offset, expected, found):
            let caret = String(repeating: " ", count: min(max(0, offset), text.count)) + "^"
            return "regimen character \(offset + 1): expected \(expected), found \(found)\n  \(text)\n  \(caret)"
        case let .io(file, message):
            return "\(file): \(message)"
        case let .budgetExceeded(l, quantity, count, limit, bytes, setting):
            return "\(l): \(quantity) would reach \(count) (≈ \(formatBytes(count, times: bytes)) at \(bytes) bytes each), over the limit of \(limit) (≈ \(formatBytes(limit, times: bytes))); nothing was expanded. Raise \(setting) if the input is trusted and the memory is there"
        case let .implausibleValue(l, quantity, value, unit, plausible, source):
            let shown = value.isFinite ? formatNumber(value) : (value.isNaN ? "not a number" : (value < 0 ? "−∞" : "∞"))
            if plausible.upperBound == .greatestFiniteMagnitude {
                return "\(l): \(quantity) of \(shown) \(unit) is not possible: \(source); check the value and its unit"
            }
            return "\(l): \(quantity) of \(shown) \(unit) is outside the plausible range \(formatNumber(plausible.lowerBound))–\(formatNumber(plausible.upperBound)) \(unit) (\(source)); check the value and its unit"
        case let .duplicateID(l, id, first):
            return "\(l): the id '\(id)' is already used by the resource at \(first.jsonPath ?? "?")\(first.line.map { " (line \($0))" } ?? "")\(first.file != l.file ? " of \(first.file)" : ""); ids must be unique within a document: remove the duplicate or give it its own id"
        }
    }
}

extension RecordError {
    /// The same error with the record ID added to its location (for line-level errors found
    /// before the subject was known).
    func withRecordID(_ id: String) -> RecordError {
        switch self {
        case .limitExceeded(var l, let limit, let maximum):
            l.recordID = id
            return .limitExceeded(l, limit: limit, maximum: maximum)
        case .malformed(var l, let message):
            l.recordID = id
            return .malformed(l, message: message)
        default:
            return self
        }
    }
}

/// Bytes for messages: `count × bytes` in B, kB, MB or GB (decimal), without overflow.
func formatBytes(_ count: Int, times bytes: Int) -> String {
    let total = Double(count) * Double(bytes)
    if total >= 1e9 { return String(Double(Int(total / 1e8)) / 10) + " GB" }
    if total >= 1e6 { return String(Int(total / 1e6)) + " MB" }
    if total >= 1e3 { return String(Int(total / 1e3)) + " kB" }
    return String(Int(total)) + " B"
}

/// Formats a number for messages: shortest exact form, no trailing ".0" on integers.
func formatNumber(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
}
