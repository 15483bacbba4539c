import Testing
import TwinData

/// Regimen notation: the documented examples, and errors that point at the offending character.
@Suite struct RegimenTests {
    @Test func repeatedOralDoses() throws {
        let doses = try Regimen(parsing: "100 mg q12h x5").doses()
        #expect(doses.map(\.time) == [0, 12, 24, 36, 48])                 // five doses 12 h apart from 0
        #expect(doses.allSatisfy { $0.amount == 100 && $0.unit == .milligram && $0.delivery == .bolus })
    }

    @Test func intravenousInfusions() throws {
        let doses = try Regimen(parsing: "500 mg iv over 1h q24h x7").doses()
        #expect(doses.count == 7 && doses.last?.time == 144)               // 6 × 24 h
        #expect(doses.allSatisfy { $0.route == .intravenous && $0.delivery == .infusionOver(duration: 1) })
    }

    @Test func clockTimesDaily() throws {
        let doses = try Regimen(parsing: "20 U sc at 07:00,12:00,18:00 daily for 3d").doses()
        #expect(doses.map(\.time) == [7, 12, 18, 31, 36, 42, 55, 60, 66])  // days 0, 1, 2
        #expect(doses.allSatisfy { $0.unit == .insulinUnit && $0.route == .subcutaneous })
    }

    @Test func mealsAndBasalInsulin() throws {
        let regimen = try Regimen(parsing: "60 g carbs at 07:00; 80 g carbs at 12:30; basal 0.8 U/h")
        let meals = try regimen.doses()
        #expect(meals.map(\.time) == [7, 12.5])
        #expect(meals.map(\.amount) == [60, 80])
        #expect(meals.allSatisfy { $0.unit == .gramCarbohydrate })
        #expect(regimen.basalInfusions == [BasalInfusion(rate: 0.8, unit: .insulinUnitPerHour)])
    }

    @Test func perWeightDosesNeedAWeight() throws {
        let regimen = try Regimen(parsing: "5 mg/kg q24h for 3d")
        #expect(try regimen.doses(weight: 70).map(\.amount) == [350, 350, 350])   // 5 mg/kg × 70 kg
        #expect(throws: RecordError.self) { try regimen.doses() }
    }

    @Test func notationReadsBackToTheSameRegimen() throws {
        for text in ["100 mg q12h x5", "500 mg iv over 1h q24h x7", "20 U sc at 07:00,12:00,18:00 daily for 3d",
                     "60 g carbs at 07:00", "basal 0.8 U/h from 2h for 10h", "50 mg iv rate 25 mg/h cmt 2 at 0h"] {
            let r = try Regimen(parsing: text)
            let again = try Regimen(parsing: r.notation)
            #expect(again.items == r.items, "\(text) → \(r.notation)")
        }
    }

    @Test(arguments: [
        ("100 mg q12h", 11, "a dose count (x5) or a span (for 3d) after the interval", "the end of the text"),
        ("100 zz q12h x5", 4, "a dose unit (mg, µg, g, U, mg/kg, U/kg, g carbs)", "'zz'"),
        ("100 mg at 25:00", 10, "a clock time hh:mm (00:00 to 23:59)", "'25:00'"),
        ("abc mg", 0, "an amount (100 mg) or 'basal'", "'abc'"),
        ("20 U sc at 07:00 daily", 22, "'for' and a span after 'daily' (daily for 3d)", "the end of the text"),
        ("100 mg q12h x5 extra", 15, "';' or the end of the regimen", "'extra'"),
        ("basal 0.8 mg", 10, "a rate unit (U/h, mg/h, mL/h)", "'mg'"),
    ])
    func syntaxErrorsPointAtTheCharacter(_ text: String, _ offset: Int, _ expected: String, _ found: String) {
        #expect(throws: RecordError.regimenSyntax(text: text, offset: offset, expected: expected, found: found)) {
            try Regimen(parsing: text)
        }
    }

    @Test func syntaxErrorDrawsACaret() {
        let error = RecordError.regimenSyntax(text: "100 zz q12h x5", offset: 4, expected: "a dose unit", found: "'zz'")
        #expect(error.description == "regimen character 5: expected a dose unit, found 'zz'\n  100 zz q12h x5\n      ^")
    }
}
