/// Small text helpers shared by the population specification parsers (variability, covariates,
/// Omega). TwinEnsemble stays free of Foundation, so these are written on `Character`s.
enum PopulationText {
    /// `text` without leading and trailing whitespace (spaces, tabs, newlines).
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }

    /// The comma-separated items of `text`, trimmed, ignoring commas inside (…) and […] and
    /// dropping empty items (so a trailing comma is harmless).
    static func items(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                items.append(trimmed(current))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(trimmed(current))
        return items.filter { !$0.isEmpty }
    }

    /// A number written in decimal or scientific notation (`12`, `0.3`, `1e-3`), or nil. NaN and
    /// infinities are returned as such; callers reject them with their own message.
    static func number<S: StringProtocol>(_ text: S) -> Double? {
        let t = trimmed(text)
        if t.isEmpty { return nil }
        return Double(t)
    }

    /// A number with an optional trailing `%`: the value as written and whether it was a percentage.
    static func numberOrPercent<S: StringProtocol>(_ text: S) -> (value: Double, isPercent: Bool)? {
        let t = trimmed(text)
        if t.hasSuffix("%") {
            guard let v = number(t.dropLast()) else { return nil }
            return (v, true)
        }
        guard let v = number(t) else { return nil }
        return (v, false)
    }

    /// Whether `name` is a parameter or covariate name: letters, digits and `_`, starting with a
    /// letter or `_`.
    static func isName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
