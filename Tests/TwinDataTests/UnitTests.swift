import Testing
import TwinData

/// Unit parsing and conversion against known factors.
@Suite struct UnitTests {
    /// |a − b| ≤ 1e-12·|b|: conversion factors are products of a few exact decimals, so they
    /// agree with the hand-computed value to within a few ulps.
    func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= 1e-12 * abs(b)
    }

    @Test func glucoseMillimolesToMilligramsPerDecilitre() throws {
        // Glucose 180.16 g/mol: 1 mmol/L = 180.16 mg/L = 18.016 mg/dL.
        let f = MeasurementUnit.millimolePerLiter.factor(to: .milligramPerDeciliter, substance: .glucose)
        #expect(close(f, 18.016))
        let back = MeasurementUnit.milligramPerDeciliter.factor(to: .millimolePerLiter, substance: .glucose)
        #expect(close(back, 1 / 18.016))
        // Without a substance a molar unit cannot become a mass unit.
        #expect(MeasurementUnit.millimolePerLiter.factor(to: .milligramPerDeciliter) == nil)
    }

    @Test func insulinMicroUnitsToPicomoles() throws {
        // 1 U = 6000 pmol, so 1 µU/mL = 1e-6 U / 1e-3 L = 1e-3 U/L = 6 pmol/L.
        let pmol = try MeasurementUnit.parse("pmol/L")
        let uU = try MeasurementUnit.parse("µU/mL")
        #expect(close(uU.factor(to: pmol, substance: .insulin), 6))
        #expect(close(pmol.factor(to: uU, substance: .insulin), 1.0 / 6))
        // UCUM spelling u[IU]/mL and mU/L are the same unit.
        #expect(try MeasurementUnit.parse("u[IU]/mL") == .microInsulinUnitPerMilliliter)
        #expect(try MeasurementUnit.parse("mU/L") == .microInsulinUnitPerMilliliter)
        // 1 U = 6000 pmol = 6e-6 mmol.
        #expect(close(MeasurementUnit.insulinUnit.factor(to: .millimole, substance: .insulin), 6e-6))
    }

    @Test(arguments: ["µg", "\u{03BC}g", "ug", "mcg", "microgram", "UG", "MCG"])
    func acceptsMicrogramSpellings(_ spelling: String) throws {
        // U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU are both µ.
        let unit = try MeasurementUnit.parse(spelling)
        #expect(unit == .microgram)
        #expect(unit.factor == 1e-3)                       // 1 µg = 0.001 mg
    }

    @Test func convertsTimeMassVolumeAndConcentrations() throws {
        #expect(try MeasurementUnit.parse("min").factor == 1.0 / 60)            // 60 min = 1 h
        #expect(try MeasurementUnit.parse("day").factor == 24)
        #expect(try MeasurementUnit.parse("kg").factor == 1e6)                  // 1 kg = 10⁶ mg
        #expect(try MeasurementUnit.parse("g").factor == 1e3)
        #expect(try MeasurementUnit.parse("mL").factor == 1e-3)                 // 1 mL = 10⁻³ L
        #expect(try MeasurementUnit.parse("ng/mL").factor == 1e-3)              // 1 ng/mL = 1 µg/L = 10⁻³ mg/L
        #expect(try MeasurementUnit.parse("µg/mL").factor == 1)                 // 1 µg/mL = 1 mg/L
        #expect(try MeasurementUnit.parse("mg/dL").factor == 10)                // 1 mg/dL = 10 mg/L
        #expect(try MeasurementUnit.parse("mg/dl") == .milligramPerDeciliter)   // case folded
        #expect(try MeasurementUnit.parse("mg/kg") == .milligramPerKilogram)
        #expect(try MeasurementUnit.parse("g carbs").dimension == .carbohydrate)
        // Creatinine 113.12 g/mol: 88.4 µmol/L × 113.12 g/mol = 10.0 mg/L = 1.0 mg/dL.
        #expect(close(MeasurementUnit.micromolePerLiter.convert(88.4, to: .milligramPerDeciliter, substance: .creatinine), 0.99998080))
    }

    @Test func readsRatesAsAmountOverTime() throws {
        let mlPerMin = try MeasurementUnit.parse("mL/min")
        #expect(mlPerMin.dimension == .volumeRate)
        #expect(close(mlPerMin.factor, 0.06))                                  // 1 mL/min = 60 mL/h = 0.06 L/h
        let uPerH = try MeasurementUnit.parse("U/h")
        #expect(uPerH == .insulinUnitPerHour)
        let mgPerMin = try MeasurementUnit.parse("mg/min")
        #expect(mgPerMin.dimension == .massRate && close(mgPerMin.factor, 60))  // 1 mg/min = 60 mg/h
    }

    @Test func unknownUnitNamesItAndListsKnownOnes() {
        let location = RecordLocation(file: "data.csv", line: 1, column: 3, columnName: "DV")
        do {
            _ = try MeasurementUnit.parse("mg/dl/h", location: location)
            Issue.record("expected an error")
        } catch {
            guard case let .unknownUnit(where_, unit, known) = error else { Issue.record("wrong case \(error)"); return }
            #expect(where_ == location)
            #expect(unit == "mg/dl/h")
            #expect(known.contains("mg/dL") && known.contains("µg/mL") && known.contains("h"))
            #expect(error.description.hasPrefix("data.csv line 1, column 3 (DV): unknown unit 'mg/dl/h'; known units: h, min"))
        }
    }

    @Test func columnUnitsParseTheCommandLineForm() throws {
        let units = try ColumnUnits(parsing: "TIME=h, dv=mg/L,AMT=mcg,WT=kg")
        #expect(units["time"] == .hour)
        #expect(units["DV"] == .milligramPerLiter)
        #expect(units["AMT"] == .microgram)
        #expect(throws: RecordError.badValue(RecordLocation(file: "<units>"), expected: "NAME=unit (TIME=h)", found: "TIME")) {
            try ColumnUnits(parsing: "TIME")
        }
    }
}
