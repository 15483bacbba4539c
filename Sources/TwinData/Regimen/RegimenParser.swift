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
    /// The most doses one item may expand into.
    public static let maximumDosesPerItem = 100_000

    /// Parses `text` (see the grammar above).
    public static func parse(_ text: String) throws(RecordError) -> Regimen {
        var parser = Parser(text: text)
        var items: [RegimenItem] = []
        repeat {
            items.append(try parser.item())
        } while try parser.acceptSeparator()
        try parser.expectEnd()
        return Regimen(items: items, source: .notation(text))
    }
}

private struct Token {
    var text: String
    var offset: Int
    var lower: String { text.lowercased() }
}

private struct Parser {
    let text: String
    let tokens: [Token]
    let endOffset: Int
    var position = 0

    init(text: String) {
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
    mutating func number(_ what: String) throws(RecordError) -> Double {
        let token = try next(what)
        let chars = Array(token.text)
        var end = 0
        while end < chars.count, chars[end].isNumber || chars[end] == "." { end += 1 }
        guard end > 0, let value = Double(String(chars[0..<end])), value.isFinite else {
            position -= 1
            throw fail(what, at: token)
        }
        if end < chars.count {
            // Put the rest back as a token of its own ("100mg" → "mg").
            position -= 1
            var copy = tokens
            copy[position] = Token(text: String(chars[end...]), offset: token.offset + end)
            self = Parser(replacing: self, tokens: copy)
        }
        return value
    }

    init(replacing old: Parser, tokens: [Token]) {
        self.text = old.text
        self.tokens = tokens
        self.endOffset = old.endOffset
        self.position = old.position
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
        let value = try number(what)
        let token = try next(what)
        guard let unit = MeasurementUnit.lookup(token.text), unit.dimension == .time else {
            throw fail("a time unit (h, min, d) after \(formatNumber(value))", at: token)
        }
        let hours = value * unit.factor
        guard hours >= 0 else { throw fail(what, at: startToken) }
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
        let rate = try number("a rate after 'basal' (0.8 U/h)")
        if rate < 0 { throw fail("a rate ≥ 0", at: rateToken) }
        let unit = try unit("a rate unit (U/h, mg/h, mL/h)") { $0.dimension.amountDimension != nil }
        var start = 0.0
        var end: Double?
        if accept("from") { start = try self.start("a start time (07:00 or 2h)") }
        if accept("for") { end = start + (try duration("a duration (24h, 3d)")) }
        return BasalInfusion(rate: rate * unit.factor, unit: unit.dimension.canonicalUnit, start: start, end: end)
    }

    mutating func dosing() throws(RecordError) -> DoseSchedule {
        let amountToken = peek
        let amount = try number("an amount (100 mg) or 'basal'")
        if amount < 0 { throw fail("an amount ≥ 0", at: amountToken) }
        var unit = try unit("a dose unit (mg, µg, g, U, mg/kg, U/kg, g carbs)") { $0.dimension.isDoseAmount }
        if unit.dimension == .mass, accept("carbs", "carb", "cho", "carbohydrate", "carbohydrates") {
            unit = MeasurementUnit(symbol: "g carbs", dimension: .carbohydrate, factor: unit.factor / 1000)
        }
        var route = Route.unspecified
        if let token = peek, let r = Route(parsing: token.lower), r != .unspecified {
            route = r
            position += 1
        }
        var delivery = Delivery.bolus
        if accept("over") {
            delivery = .infusionOver(duration: try duration("an infusion duration (1h, 30min)"))
        } else if accept("rate") {
            let token = peek
            let rate = try number("an infusion rate (50 mg/h)")
            let rateUnit = try self.unit("a rate unit (mg/h, U/h)") { $0.dimension.amountDimension == unit.dimension }
            if rate <= 0 { throw fail("a rate > 0", at: token) }
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
        return DoseSchedule(amount: amount * unit.factor, unit: unit.dimension.canonicalUnit, route: route,
                            delivery: delivery, compartment: compartment, times: times)
    }

    mutating func schedule() throws(RecordError) -> [Double] {
        guard let token = peek else { return [0] }
        let lower = token.lower
        if lower == "at" {
            position += 1
            var clock = [try start("a time (07:00 or 2h)")]
            while let t = peek, t.text == "," {
                position += 1
                clock.append(try start("a time after ','"))
            }
            guard accept("daily") else { return clock.sorted() }
            guard accept("for") else { throw fail("'for' and a span after 'daily' (daily for 3d)", at: peek) }
            let spanToken = peek
            let span = try duration("a span in days (3d)")
            let days = Int((span / 24).rounded(.up))
            guard days >= 1, days * clock.count <= RegimenParser.maximumDosesPerItem else {
                throw fail("a span of 1 to \(RegimenParser.maximumDosesPerItem / max(clock.count, 1)) days", at: spanToken)
            }
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
                var copy = tokens
                position -= 1
                copy[position] = Token(text: String(token.text.dropFirst()), offset: token.offset + 1)
                self = Parser(replacing: self, tokens: copy)
                interval = try duration("an interval after q (q12h)")
            }
            guard interval > 0 else { throw fail("an interval > 0", at: token) }
            var count: Int
            let countToken = peek
            if let t = peek, t.lower.hasPrefix("x") || t.lower.hasPrefix("×") {
                position += 1
                let digits = t.text.dropFirst()
                let numberText: String
                if digits.isEmpty { numberText = try next("a dose count after x (x5)").text } else { numberText = String(digits) }
                guard let n = Int(numberText), n >= 1, n <= RegimenParser.maximumDosesPerItem else {
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
            return (0..<count).map { first + Double($0) * interval }
        }
        if lower == ";" { return [0] }
        throw fail("a schedule (q12h x5, at 07:00), ';' or the end", at: token)
    }
}
