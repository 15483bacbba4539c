import Testing
import TwinData

/// `RegimenParser.hours(parsing:)` is the regimen grammar's `duration` rule on its own: a span
/// means the same standing alone (the CLI's `--until`) as inside a regimen (`q…`, `over …`, `for …`).
@Suite struct DurationTextTests {
    static let accepted: [(String, Double)] = [
        ("72h", 72), ("72 h", 72), ("2hr", 2), ("3 hours", 3), ("30min", 0.5), ("30 mins", 0.5),
        ("3600s", 1), ("90 sec", 0.025), ("3d", 72), ("2 days", 48), ("1wk", 168), ("2 weeks", 336),
        ("1.5e2 min", 2.5), ("0h", 0),
    ]
    static let rejected = ["2w", "2 w", "30m", "24", "24 parsecs", "-3h", "h", "", "3h extra", "12 mg"]

    @Test func acceptedSpellingsGiveHours() throws {
        for (text, hours) in Self.accepted {
            let value = try RegimenParser.hours(parsing: text)
            #expect(abs(value - hours) <= 1e-12 * max(1, hours), "\(text) → \(value)")
        }
    }

    /// Every spelling accepted alone is accepted as a regimen's dosing interval, with the same hours; every one rejected alone is rejected there too.
    @Test func theSameSpellingsAreAcceptedInARegimen() throws {
        for (text, hours) in Self.accepted where hours > 0 {
            let regimen = try Regimen(parsing: "100 mg q\(text) x2")
            guard case .doses(let schedule) = regimen.items.first else { Issue.record("\(text)"); continue }
            #expect(schedule.times.count == 2 && abs(schedule.times[1] - hours) <= 1e-12 * hours, "q\(text) x2: \(schedule.times)")
        }
        for text in Self.rejected where !text.isEmpty {
            #expect(throws: RecordError.self, "alone: \(text)") { try RegimenParser.hours(parsing: text) }
            #expect(throws: RecordError.self, "in a regimen: \(text)") { try Regimen(parsing: "100 mg q\(text) x2") }
        }
        #expect(throws: RecordError.self) { try RegimenParser.hours(parsing: "") }
    }

    @Test func anUnknownUnitNamesTheAcceptedOnes() {
        do {
            _ = try RegimenParser.hours(parsing: "2 w")
            Issue.record("2 w was accepted")
        } catch {
            guard case let .regimenSyntax(_, offset, expected, found) = error else { Issue.record("\(error)"); return }
            #expect(offset == 2)
            #expect(found == "'w'")
            for unit in ["h", "min", "s", "day", "d", "week", "wk", "year"] {
                #expect(expected.contains(unit), "\(expected)")
            }
        }
        #expect(RegimenParser.timeUnitSpellings.prefix(2) == ["h", "hr"])
    }

    @Test func aDurationPastTheTimeBoundsIsRefused() {
        #expect(throws: RecordError.self) { try RegimenParser.hours(parsing: "100000000h") }
        var open = RegimenLimits()
        open.doseBounds = nil
        #expect((try? RegimenParser.hours(parsing: "100000000h", limits: open)) == 1e8)
    }
}
