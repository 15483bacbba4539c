import Foundation

/// A FHIR `date`, `dateTime` or `instant` as written, and how precisely it was written.
///
/// FHIR allows `2024`, `2024-03`, `2024-03-01`, and `2024-03-01T08:30:00[.sss](Z|±hh:mm)`.
/// Only a full date-time with a zone is a point in time by itself; a date or a time without a
/// zone becomes one only with a time zone from the caller (``FHIRReadOptions/timeZone``).
///
/// ```swift
/// let t = try FHIRDateTime(parsing: "2024-03-01T08:30:00+01:00")
/// t.secondsSince1970(in: nil)          // 1709278200
/// ```
public struct FHIRDateTime: Hashable, Sendable {
    /// How much of the date-time was written.
    public enum Precision: Int, Hashable, Sendable, Comparable {
        /// `2024`
        case year
        /// `2024-03`
        case month
        /// `2024-03-01`
        case day
        /// `2024-03-01T08:30:00…`
        case time
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    /// Year (four digits).
    public var year: Int
    /// Month 1–12 (1 when not written).
    public var month: Int
    /// Day 1–31 (1 when not written).
    public var day: Int
    /// Hour 0–23 (0 when not written).
    public var hour: Int
    /// Minute 0–59.
    public var minute: Int
    /// Seconds with their fraction.
    public var second: Double
    /// Offset from UTC in seconds, when written (`Z` is 0).
    public var zoneOffset: Int?
    /// How much was written.
    public var precision: Precision

    /// Parses a FHIR date/dateTime/instant.
    ///
    /// - Throws: ``RecordError/badValue(_:expected:found:)`` (at `location`) when the text is not one.
    public init(parsing text: String, location: RecordLocation = RecordLocation(file: "<input>")) throws(RecordError) {
        let bad = RecordError.badValue(location, expected: "a FHIR date-time (2024-03-01T08:30:00+01:00)", found: text)
        let b = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var v = 0
            for k in 0..<count {
                let d = b[i + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4) else { throw bad }
        year = y; month = 1; day = 1; hour = 0; minute = 0; second = 0; zoneOffset = nil; precision = .year
        if i == b.count { return }
        guard expect(UInt8(ascii: "-")), let mo = digits(2), (1...12).contains(mo) else { throw bad }
        month = mo; precision = .month
        if i == b.count { return }
        guard expect(UInt8(ascii: "-")), let d = digits(2), (1...Self.daysInMonth(y, mo)).contains(d) else { throw bad }
        day = d; precision = .day
        if i == b.count { return }
        guard expect(UInt8(ascii: "T")), let h = digits(2), h <= 23, expect(UInt8(ascii: ":")), let mi = digits(2), mi <= 59 else { throw bad }
        hour = h; minute = mi; precision = .time
        if expect(UInt8(ascii: ":")) {
            guard let s = digits(2), s <= 60 else { throw bad }
            second = Double(s)
            if expect(UInt8(ascii: ".")) {
                var scale = 0.1
                var any = false
                while i < b.count, b[i] &- 48 < 10 {
                    second += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                if !any { throw bad }
            }
        }
        if i == b.count { return }
        if expect(UInt8(ascii: "Z")) {
            zoneOffset = 0
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let zh = digits(2), zh <= 14, expect(UInt8(ascii: ":")), let zm = digits(2), zm <= 59 else { throw bad }
            zoneOffset = sign * (zh * 3600 + zm * 60)
        } else {
            throw bad
        }
        if i != b.count { throw bad }
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the civil date (proleptic Gregorian).
    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// True when the value is a point in time by itself (a time with a zone).
    public var isComplete: Bool { precision == .time && zoneOffset != nil }

    /// Seconds since 1970-01-01T00:00:00Z. Uses the written zone, or `zone` for a date or a
    /// zone-less time; nil when neither applies or the date has no day.
    public func secondsSince1970(in zone: TimeZone?) -> Double? {
        guard precision >= .day else { return nil }
        // The stored fields are public: keep them in ranges whose arithmetic cannot overflow.
        guard (-1_000_000...1_000_000).contains(year), (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), second.isFinite,
              zoneOffset.map({ abs($0) <= 86_400 }) ?? true else { return nil }
        let local = Double(Self.daysFromCivil(year, month, day)) * 86_400 + Double(hour * 3600 + minute * 60) + second
        if let zoneOffset { return local - Double(zoneOffset) }
        guard let zone else { return nil }
        // The zone's offset at that local time (first guess with the offset at the UTC reading).
        let guess = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        return local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
    }
}

extension FHIRDateTime {
    /// Seconds since 1970 of 0001-01-01T00:00:00Z and of 10000-01-01T00:00:00Z: the instants a
    /// FHIR date-time (four-digit year) can name.
    public static let representableSeconds: Range<Double> = -62_135_596_800 ..< 253_402_300_800

    /// The UTC date-time `seconds` after 1970-01-01T00:00:00Z, to the millisecond, or nil when
    /// it lies outside the years 0001–9999 that FHIR can write (or is not finite).
    public init?(exactlySecondsSince1970 seconds: Double) {
        guard seconds.isFinite, Self.representableSeconds.contains(seconds) else { return nil }
        self.init(secondsSince1970: seconds)
    }

    /// The UTC date-time `seconds` after 1970-01-01T00:00:00Z, to the millisecond.
    ///
    /// A time outside the years 0001–9999 (``representableSeconds``) is clamped to the nearest
    /// end, and a NaN becomes 1970-01-01T00:00:00Z; use ``init(exactlySecondsSince1970:)`` to
    /// refuse such times instead.
    public init(secondsSince1970 rawSeconds: Double) {
        let range = Self.representableSeconds
        let seconds = rawSeconds.isNaN ? 0 : min(max(rawSeconds, range.lowerBound), range.upperBound - 0.001)
        let millis = (seconds * 1000).rounded()
        let totalSeconds = (millis / 1000).rounded(.down)
        let fraction = (millis - totalSeconds * 1000) / 1000
        let whole = Int(totalSeconds)
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        // civil from days (inverse of daysFromCivil)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
        self.hour = rest / 3600
        self.minute = (rest % 3600) / 60
        self.second = Double(rest % 60) + fraction
        self.zoneOffset = 0
        self.precision = .time
    }

    /// The FHIR text: `YYYY-MM-DD` for a date, `YYYY-MM-DDThh:mm:ss[.sss](Z|±hh:mm)` for a time.
    public var text: String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        var out = pad(year, 4)
        if precision == .year { return out }
        out += "-" + pad(month, 2)
        if precision == .month { return out }
        out += "-" + pad(day, 2)
        if precision == .day { return out }
        // `second` is public: clamp before converting so that no value can trap.
        let clamped = second.isFinite ? min(max(second, 0), 60.999) : 0
        let whole = Int(clamped.rounded(.down))
        let millis = min(Int(((clamped - Double(whole)) * 1000).rounded()), 999)
        out += "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(whole, 2)
        if millis > 0 { out += "." + pad(millis, 3) }
        if let zoneOffset {
            if zoneOffset == 0 { out += "Z" } else {
                let a = abs(zoneOffset)
                out += (zoneOffset < 0 ? "-" : "+") + pad(a / 3600, 2) + ":" + pad((a % 3600) / 60, 2)
            }
        }
        return out
    }
}
