/// Reads regimen notation, the compact form people and the CLI write regimens in.
///
/// Grammar (EBNF; words are case-insensitive, spaces separate tokens where needed; items are
/// separated by `;`):
///
/// ```
/// regimen   = item { ";" item } ;
/// item      = basal | dosing ;
/// basal     = "basal" number rate-unit [ "from" start ] [ "for" duration ] ;
/// dosing    = number unit [ "carbs" ] [ route ] [ "over" duration | "rate" number rate-unit ]
///             [ "cmt" integer ] [ schedule ] ;
/// schedule  = "q" duration ( "x" integer | "for" duration ) [ "from" start ]
///           | "at" start { "," start } [ "daily" "for" duration ] ;
/// start     = clock | duration ;          (* a time on day 0 *)
/// clock     = hh ":" mm ;                 (* 07:00 = 7 h after time 0 *)
/// duration  = number time-unit ;          (* 12h, 30 min, 3d *)
/// route     = "iv" | "po" | "oral" | "sc" | "subcut" | "im" | "ev" ;
/// ```
///
/// Without a schedule a dosing item is one dose at time 0. `q12h x5` is five doses 12 h apart
/// from time 0 (or from `from`); `q8h for 2d` is every 8 h while the time is before 48 h;
/// `at 07:00,12:00 daily for 3d` repeats the clock times on days 0, 1 and 2. Units are any
/// ``MeasurementUnit`` of a dose dimension (mg, µg, g, U, mg/kg, U/kg, mL); `g carbs` makes a
/// meal for glucose models.
///
/// Examples:
///
/// ```swift
/// try RegimenParser.parse("100 mg q12h x5")                        // 0, 12, 24, 36, 48 h
/// try RegimenParser.parse("500 mg iv over 1h q24h x7")             // 1-h infusions
/// try RegimenParser.parse("20 U sc at 07:00,12:00,18:00 daily for 3d")
/// try RegimenParser.parse("60 g carbs at 07:00")                   // a meal
/// try RegimenParser.parse("basal 0.8 U/h")                         // continuous insulin
/// ```
///
/// A mistake throws ``RecordError/regimenSyntax(text:offset:expected:found:)`` with the
/// 0-based character offset; its description draws a caret under the character.
public enum RegimenParser {
    /// The most doses one item may expand into (also the most doses of one FHIR order).
    public static let maximumDosesPerItem = 100_000

    /// Parses `text` (see the grammar above) within `limits`.
    ///
    /// - Throws: ``RecordError/regimenSyntax(text:offset:expected:found:)`` for a mistake or an
    ///   implausible quantity (a negative amount, a 100 kg dose, an infinite duration), pointing
    ///   at it; ``RecordError/budgetExceeded(_:quantity:count:limit:bytesPerItem:setting:)``
    ///   when the doses of all items together would pass ``RegimenLimits/maximumDoses`` (checked
    ///   before any item's times are built); ``RecordError/limitExceeded(_:limit:maximum:)`` for a
    ///   text longer than ``RegimenLimits/maximumCharacters``.
    public static func parse(_ text: String, limits: RegimenLimits = RegimenLimits()) throws(RecordError) -> Regimen {
        let length = text.utf8.count
        if length > limits.maximumCharacters {
            throw .limitExceeded(RecordLocation(file: "<regimen>"), limit: "the regimen's length (\(length) bytes)", maximum: limits.maximumCharacters)
        }
        var parser = Parser(text: text, limits: limits)
        var items: [RegimenItem] = []
        repeat {
            items.append(try parser.item())
        } while try parser.acceptSeparator()
        try parser.expectEnd()
        return Regimen(items: items, source: .notation(text))
    }
}

extension RegimenParser {
    /// Every spelling of a time unit that a duration accepts (`12h`, `30 min`, `3 days`), in the
    /// order messages list them: `h`, `hr`, `hrs`, `hour`, `hours`, `min`, … `years`.
    ///
    /// They are the ``MeasurementUnit`` spellings of the time dimension; case does not matter.
    public static let timeUnitSpellings: [String] = MeasurementUnit.catalogue
        .filter { $0.unit.dimension == .time }
        .flatMap(\.spellings)

    /// Reads one duration of regimen notation, `number time-unit`, and returns it in hours.
    ///
    /// This is the grammar's `duration` rule on its own, so a span written anywhere else (such as
    /// the CLI's `--until`) means what it means inside a regimen: `72h`, `72 h`, `30 min`, `3d`,
    /// `2 weeks` and `1.5e2 s` are accepted; `2w`, `30m` and a bare `24` are not.
    ///
    /// ```swift
    /// try RegimenParser.hours(parsing: "3d")       // 72
    /// try RegimenParser.hours(parsing: "90 min")   // 1.5
    /// ```
    ///
    /// - Parameters:
    ///   - text: the duration, with its unit (``timeUnitSpellings``).
    ///   - limits: the bounds a duration must lie in (``DoseBounds/absoluteTime`` of
    ///     ``RegimenLimits/doseBounds``).
    /// - Returns: the duration in hours, finite and ≥ 0 (zero is legal; a caller wanting a
    ///   positive span checks that itself).
    /// - Throws: ``RecordError/regimenSyntax(text:offset:expected:found:)`` for a missing or
    ///   unknown unit (its `expected` lists the accepted units), a negative or non-finite number,
    ///   a duration outside the bounds, or anything after the duration.
    public static func hours(parsing text: String, limits: RegimenLimits = RegimenLimits()) throws(RecordError) -> Double {
        if text.utf8.count > limits.maximumCharacters {
            throw .limitExceeded(RecordLocation(file: "<duration>"), limit: "the duration's length (\(text.utf8.count) bytes)",
                                 maximum: limits.maximumCharacters)
        }
        var parser = Parser(text: text, limits: limits)
        let hours = try parser.duration("a duration: a number and a time unit (72h, 30 min, 3d)")
        if let extra = parser.peek {
            throw parser.fail("the end of the duration", at: extra)
        }
        return hours
    }
}

private struct Token {
    var text: String
    var offset: Int
    var lower: String { text.lowercased() }
}

/// Resource and plausibility limits of regimen notation.
///
/// A regimen expands into one ``Dose`` per scheduled time (``Regimen/doses(weight:)``, about
/// ``ReadLimits/bytesPerEvent`` bytes each), so the number of doses of all items together is
/// bounded before any time list is built. The default, 100,000 doses, is 274 years of 6-hourly
/// dosing and about 14 MB of doses.
///
/// ```swift
/// var limits = RegimenLimits()
/// limits.maximumDoses = 1_000_000            // a long q1min schedule in a trusted script
/// let regimen = try Regimen(parsing: "1 mg q1min x500000", limits: limits)
/// ```
public struct RegimenLimits: Hashable, Sendable {
    /// The most doses of all items together. Default 100,000.
    public var maximumDoses: Int = 100_000
    /// The longest regimen text, in UTF-8 bytes. Default 65,536.
    public var maximumCharacters: Int = 65_536
    /// Plausible single doses, infusion durations and intervals; nil turns the ranges off
    /// (signs and finiteness are still checked). Default ``DoseBounds/standard``.
    public var doseBounds: DoseBounds? = .standard

    /// The default limits.
    public init() {}
}

private struct Parser {
    let text: String
    var tokens: [Token]
    let endOffset: Int
    var position = 0
    let limits: RegimenLimits
    /// Doses of the items parsed so far.
    var totalDoses = 0

    init(text: String, limits: RegimenLimits) {
        self.limits = limits
        self.text = text
        var tokens: [Token] = []
        var current = ""
        var start = 0
        var index = 0
        for ch in text {
            if ch == " " || ch == "\t" || ch == "\n" {
                if !current.isEmpty { tokens.append(Token(text: current, offset: start)); current = "" }
            } else if ch == "," || ch == ";" {
                if !current.isEmpty { tokens.append(Token(text: current, offset: start)); current = "" }
                tokens.append(Token(text: String(ch), offset: index))
            } else {
                if current.isEmpty { start = index }
                current.append(ch)
            }
            index += 1
        }
        if !current.isEmpty { tokens.append(Token(text: current, offset: start)) }
        // Split a leading number from letters: "100mg" → "100", "mg"; "12h" stays whole for
        // durations, which read number and unit from one token themselves.
        self.tokens = tokens
        self.endOffset = index
    }

    var peek: Token? { position < tokens.count ? tokens[position] : nil }

    func fail(_ expected: String, at token: Token?) -> RecordError {
        if let token {
            return .regimenSyntax(text: text, offset: token.offset, expected: expected, found: "'\(token.text)'")
        }
        return .regimenSyntax(text: text, offset: endOffset, expected: expected, found: "the end of the text")
    }

    mutating func next(_ expected: String) throws(RecordError) -> Token {
        guard let token = peek else { throw fail(expected, at: nil) }
        position += 1
        return token
    }

    mutating func accept(_ words: String...) -> Bool {
        if let token = peek, words.contains(token.lower) { position += 1; return true }
        return false
    }

    mutating func acceptSeparator() throws(RecordError) -> Bool {
        if let token = peek, token.text == ";" { position += 1; return true }
        return false
    }

    func expectEnd() throws(RecordError) {
        if let token = peek { throw fail("';' or the end of the regimen", at: token) }
    }

    /// A number at the start of a token; returns the number and the rest of the token (which
    /// becomes its own token at the right offset).
    mutating func number(_ what: String, negative: String = "a number ≥ 0 (this quantity cannot be negative)") throws(RecordError) -> Double {
        let token = try next(what)
        let chars = Array(token.text)
        if chars.first == "-" || chars.first == "−", chars.count > 1, chars[1].isNumber || chars[1] == "." {
            position -= 1
            throw fail(negative, at: token)
        }
        var end = 0
        while end < chars.count, chars[end].isASCII, chars[end].isNumber || chars[end] == "." { end += 1 }
        // An exponent: 1e3, 2.5E-2.
        if end > 0, end < chars.count, chars[end] == "e" || chars[end] == "E" {
            var e = end + 1
            if e < chars.count, chars[e] == "+" || chars[e] == "-" { e += 1 }
            if e < chars.count, chars[e].isASCII, chars[e].isNumber {
                while e < chars.count, chars[e].isASCII, chars[e].isNumber { e += 1 }
                end = e
            }
        }
        guard end > 0, let value = Double(String(chars[0..<end])) else {
            position -= 1
            throw fail(what, at: token)
        }
        guard value.isFinite else {
            position -= 1
            throw fail("a finite number", at: token)
        }
        if end < chars.count {
            // Put the rest back as a token of its own ("100mg" → "mg").
            position -= 1
            tokens[position] = Token(text: String(chars[end...]), offset: token.offset + end)
        }
        return value
    }

    /// The error for a quantity outside its range, pointing at `token`.
    func implausible(_ quantity: String, _ value: Double, _ unit: String, _ range: ClosedRange<Double>, _ setting: String, at token: Token?) -> RecordError {
        fail("\(quantity) within \(formatNumber(range.lowerBound))–\(formatNumber(range.upperBound)) \(unit) (\(setting)); this is \(value.isFinite ? formatNumber(value) : "∞") \(unit): check the unit", at: token)
    }

    /// Counts `count` more doses against ``RegimenLimits/maximumDoses`` before they are built.
    mutating func countDoses(_ count: Int, at token: Token?) throws(RecordError) {
        let (sum, overflow) = totalDoses.addingReportingOverflow(count)
        if overflow || sum > limits.maximumDoses {
            throw .budgetExceeded(RecordLocation(file: "<regimen>", column: (token?.offset ?? endOffset) + 1),
                                  quantity: "the doses of this regimen (all items, counted up to this item)",
                                  count: overflow ? Int.max : sum, limit: limits.maximumDoses, bytesPerItem: ReadLimits.bytesPerEvent,
                                  setting: "RegimenLimits.maximumDoses")
        }
        totalDoses = sum
    }

    mutating func unit(_ what: String, allowed: (MeasurementUnit) -> Bool) throws(RecordError) -> MeasurementUnit {
        let token = try next(what)
        guard let unit = MeasurementUnit.lookup(token.text), allowed(unit) else {
            throw fail(what, at: token)
        }
        return unit
    }

    /// number + time unit, in one token ("12h") or two ("12 h"); returns hours.
    mutating func duration(_ what: String) throws(RecordError) -> Double {
        let startToken = peek
        let value = try number(what, negative: "a duration ≥ 0 (a duration cannot be negative)")
        let expectedUnit = "a time unit (\(RegimenParser.timeUnitSpellings.joined(separator: ", "))) after \(formatNumber(value))"
        let token = try next(expectedUnit)
        guard let unit = MeasurementUnit.lookup(token.text), unit.dimension == .time else {
            throw fail(expectedUnit, at: token)
        }
        let hours = value * unit.factor
        guard hours >= 0 else { throw fail(what, at: startToken) }
        let range = limits.doseBounds?.absoluteTime.clamped(to: 0...Double.greatestFiniteMagnitude) ?? 0...Double.greatestFiniteMagnitude
        guard hours.isFinite, range.contains(hours) else {
            throw implausible("a duration", hours, "h", range, "DoseBounds.absoluteTime", at: startToken)
        }
        return hours
    }

    /// A clock time hh:mm or a duration; returns hours.
    mutating func start(_ what: String) throws(RecordError) -> Double {
        guard let token = peek else { throw fail(what, at: nil) }
        if token.text.contains(":") {
            position += 1
            let parts = token.text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
                  let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
                throw fail("a clock time hh:mm (00:00 to 23:59)", at: token)
            }
            return Double(h) + Double(m) / 60
        }
        return try duration(what)
    }

    mutating func item() throws(RecordError) -> RegimenItem {
        if accept("basal") { return .basal(try basal()) }
        return .doses(try dosing())
    }

    mutating func basal() throws(RecordError) -> BasalInfusion {
        let rateToken = peek
        let rate = try number("a rate after 'basal' (0.8 U/h)", negative: "a rate ≥ 0 (a basal rate cannot be negative)")
        if rate < 0 { throw fail("a rate ≥ 0", at: rateToken) }
        let unit = try unit("a rate unit (U/h, mg/h, mL/h)") { $0.dimension.amountDimension != nil }
        guard (rate * unit.factor).isFinite else { throw fail("a finite rate", at: rateToken) }
        var start = 0.0
        var end: Double?
        if accept("from") { start = try self.start("a start time (07:00 or 2h)") }
        if accept("for") { end = start + (try duration("a duration (24h, 3d)")) }
        return BasalInfusion(rate: rate * unit.factor, unit: unit.dimension.canonicalUnit, start: start, end: end)
    }

    mutating func dosing() throws(RecordError) -> DoseSchedule {
        let amountToken = peek
        let amount = try number("an amount (100 mg) or 'basal'", negative: "an amount ≥ 0 (a dose amount cannot be negative)")
        if amount < 0 { throw fail("an amount ≥ 0", at: amountToken) }
        let unitToken = peek
        var unit = try unit("a dose unit (mg, µg, g, U, mg/kg, U/kg, g carbs)") { $0.dimension.isDoseAmount }
        if unit.dimension == .mass, accept("carbs", "carb", "cho", "carbohydrate", "carbohydrates") {
            unit = MeasurementUnit(symbol: "g carbs", dimension: .carbohydrate, factor: unit.factor / 1000)
        }
        let canonicalAmount = amount * unit.factor
        let canonical = unit.dimension.canonicalUnit
        if !canonicalAmount.isFinite {
            throw fail("a finite amount (\(formatNumber(amount)) \(unit.symbol) overflows in \(canonical.symbol))", at: amountToken)
        }
        if let bounds = limits.doseBounds, canonicalAmount > 0, let range = bounds.range(for: unit.dimension), !range.contains(canonicalAmount) {
            throw fail("a single dose within \(formatNumber(range.lowerBound))–\(formatNumber(range.upperBound)) \(canonical.symbol) (DoseBounds.standard); \(formatNumber(amount)) \(unit.symbol) is \(formatNumber(canonicalAmount)) \(canonical.symbol): check the unit (mg, µg and kg differ by factors of 1000)", at: unitToken ?? amountToken)
        }
        var route = Route.unspecified
        if let token = peek, let r = Route(parsing: token.lower), r != .unspecified {
            route = r
            position += 1
        }
        var delivery = Delivery.bolus
        if accept("over") {
            let token = peek
            let d = try duration("an infusion duration (1h, 30min)")
            if let range = limits.doseBounds?.infusionDuration, !range.contains(d) {
                throw implausible("an infusion duration", d, "h", range, "DoseBounds.infusionDuration", at: token)
            }
            delivery = .infusionOver(duration: d)
        } else if accept("rate") {
            let token = peek
            let rate = try number("an infusion rate (50 mg/h)", negative: "a rate > 0 (an infusion rate cannot be negative)")
            let rateUnit = try self.unit("a rate unit (mg/h, U/h)") { $0.dimension.amountDimension == unit.dimension }
            if rate <= 0 { throw fail("a rate > 0", at: token) }
            guard (rate * rateUnit.factor).isFinite else { throw fail("a finite rate", at: token) }
            delivery = .infusion(rate: rate * rateUnit.factor)
        }
        var compartment: Int?
        if accept("cmt") {
            let token = peek
            let c = try number("a compartment number")
            guard c >= 1, c == c.rounded(), c < 1000 else { throw fail("a compartment number 1…999", at: token) }
            compartment = Int(c)
        }
        let times = try schedule()
        return DoseSchedule(amount: canonicalAmount, unit: unit.dimension.canonicalUnit, route: route,
                            delivery: delivery, compartment: compartment, times: times)
    }

    mutating func schedule() throws(RecordError) -> [Double] {
        guard let token = peek else {
            try countDoses(1, at: nil)
            return [0]
        }
        let lower = token.lower
        if lower == "at" {
            position += 1
            var clock = [try start("a time (07:00 or 2h)")]
            while let t = peek, t.text == "," {
                position += 1
                clock.append(try start("a time after ','"))
            }
            guard accept("daily") else {
                try countDoses(clock.count, at: token)
                return clock.sorted()
            }
            guard accept("for") else { throw fail("'for' and a span after 'daily' (daily for 3d)", at: peek) }
            let spanToken = peek
            let span = try duration("a span in days (3d)")
            // In Double first: a huge span must not trap converting to Int.
            let dayCount = (span / 24).rounded(.up)
            let perItem = RegimenParser.maximumDosesPerItem
            guard dayCount >= 1, dayCount * Double(clock.count) <= Double(perItem) else {
                throw fail("a span of 1 to \(perItem / max(clock.count, 1)) days", at: spanToken)
            }
            let days = Int(dayCount)
            try countDoses(days * clock.count, at: spanToken)
            var times: [Double] = []
            for day in 0..<days { for c in clock.sorted() where Double(day) * 24 + c < span { times.append(Double(day) * 24 + c) } }
            return times
        }
        if lower.hasPrefix("q") {
            // "q12h", or "q" followed by "12h"
            position += 1
            let interval: Double
            if lower == "q" {
                interval = try duration("an interval after q (q12h)")
            } else {
                position -= 1
                tokens[position] = Token(text: String(token.text.dropFirst()), offset: token.offset + 1)
                interval = try duration("an interval after q (q12h)")
            }
            guard interval > 0 else { throw fail("an interval > 0", at: token) }
            if let range = limits.doseBounds?.interval, !range.contains(interval) {
                throw implausible("a dosing interval", interval, "h", range, "DoseBounds.interval", at: token)
            }
            var count: Int
            let countToken = peek
            if let t = peek, t.lower.hasPrefix("x") || t.lower.hasPrefix("×") {
                position += 1
                let digits = t.text.dropFirst()
                let numberText: String
                if digits.isEmpty { numberText = try next("a dose count after x (x5)").text } else { numberText = String(digits) }
                guard let n = Int(numberText), n >= 1, n <= RegimenParser.maximumDosesPerItem else {
                    if numberText.hasPrefix("-") { throw fail("a dose count ≥ 1 after x (a count cannot be negative)", at: countToken) }
                    throw fail("a dose count 1…\(RegimenParser.maximumDosesPerItem) after x", at: countToken)
                }
                count = n
            } else if accept("for") {
                let span = try duration("a span (3d, 48h)")
                let n = (span / interval).rounded(.up)
                guard n >= 1, n <= Double(RegimenParser.maximumDosesPerItem) else {
                    throw fail("a span giving 1…\(RegimenParser.maximumDosesPerItem) doses", at: countToken)
                }
                count = Int(n)
            } else {
                throw fail("a dose count (x5) or a span (for 3d) after the interval", at: peek)
            }
            var first = 0.0
            if accept("from") { first = try start("a start time (07:00 or 2h)") }
            let last = first + Double(count - 1) * interval
            if let range = limits.doseBounds?.absoluteTime, !range.contains(last) || !last.isFinite {
                throw implausible("the time of the last dose", last, "h", range, "DoseBounds.absoluteTime", at: countToken)
            }
            try countDoses(count, at: countToken)
            return (0..<count).map { first + Double($0) * interval }
        }
        if lower == ";" {
            try countDoses(1, at: token)
            return [0]
        }
        throw fail("a schedule (q12h x5, at 07:00), ';' or the end", at: token)
    }
}
