extension MeasurementUnit {
    // MARK: - Named units (factor to the canonical unit of the dimension)

    /// Hour, the canonical time unit.
    public static let hour = MeasurementUnit(symbol: "h", dimension: .time, factor: 1)
    /// Minute, 1/60 h.
    public static let minute = MeasurementUnit(symbol: "min", dimension: .time, factor: 1.0 / 60)
    /// Second, 1/3600 h.
    public static let second = MeasurementUnit(symbol: "s", dimension: .time, factor: 1.0 / 3600)
    /// Day, 24 h.
    public static let day = MeasurementUnit(symbol: "day", dimension: .time, factor: 24)
    /// Week, 168 h.
    public static let week = MeasurementUnit(symbol: "week", dimension: .time, factor: 168)
    /// Julian year, 365.25 d = 8766 h (for ages).
    public static let year = MeasurementUnit(symbol: "year", dimension: .time, factor: 8766)

    /// Milligram, the canonical mass unit.
    public static let milligram = MeasurementUnit(symbol: "mg", dimension: .mass, factor: 1)
    /// Nanogram, 10⁻⁶ mg.
    public static let nanogram = MeasurementUnit(symbol: "ng", dimension: .mass, factor: 1e-6)
    /// Microgram, 10⁻³ mg.
    public static let microgram = MeasurementUnit(symbol: "µg", dimension: .mass, factor: 1e-3)
    /// Gram, 10³ mg.
    public static let gram = MeasurementUnit(symbol: "g", dimension: .mass, factor: 1e3)
    /// Kilogram, 10⁶ mg.
    public static let kilogram = MeasurementUnit(symbol: "kg", dimension: .mass, factor: 1e6)
    /// Avoirdupois pound, 453.59237 g (exact by definition).
    public static let pound = MeasurementUnit(symbol: "lb", dimension: .mass, factor: 453_592.37)

    /// Millimole, the canonical amount of substance.
    public static let millimole = MeasurementUnit(symbol: "mmol", dimension: .amountOfSubstance, factor: 1)

    /// Insulin unit (U, IU), the canonical insulin amount; 1 U = 6000 pmol for human insulin.
    public static let insulinUnit = MeasurementUnit(symbol: "U", dimension: .insulin, factor: 1)
    /// Milli-unit of insulin, 10⁻³ U.
    public static let milliInsulinUnit = MeasurementUnit(symbol: "mU", dimension: .insulin, factor: 1e-3)

    /// Litre, the canonical volume unit.
    public static let liter = MeasurementUnit(symbol: "L", dimension: .volume, factor: 1)
    /// Millilitre, 10⁻³ L.
    public static let milliliter = MeasurementUnit(symbol: "mL", dimension: .volume, factor: 1e-3)

    /// Centimetre, the canonical length unit.
    public static let centimeter = MeasurementUnit(symbol: "cm", dimension: .length, factor: 1)

    /// mg/L, the canonical mass concentration (equal to µg/mL).
    public static let milligramPerLiter = MeasurementUnit(symbol: "mg/L", dimension: .massConcentration, factor: 1)
    /// µg/mL = mg/L.
    public static let microgramPerMilliliter = MeasurementUnit(symbol: "µg/mL", dimension: .massConcentration, factor: 1)
    /// ng/mL = 10⁻³ mg/L.
    public static let nanogramPerMilliliter = MeasurementUnit(symbol: "ng/mL", dimension: .massConcentration, factor: 1e-3)
    /// mg/dL = 10 mg/L.
    public static let milligramPerDeciliter = MeasurementUnit(symbol: "mg/dL", dimension: .massConcentration, factor: 10)

    /// mmol/L, the canonical molar concentration.
    public static let millimolePerLiter = MeasurementUnit(symbol: "mmol/L", dimension: .molarConcentration, factor: 1)
    /// µmol/L = 10⁻³ mmol/L.
    public static let micromolePerLiter = MeasurementUnit(symbol: "µmol/L", dimension: .molarConcentration, factor: 1e-3)
    /// pmol/L = 10⁻⁹ mmol/L.
    public static let picomolePerLiter = MeasurementUnit(symbol: "pmol/L", dimension: .molarConcentration, factor: 1e-9)

    /// µU/mL (= mU/L), the canonical insulin concentration.
    public static let microInsulinUnitPerMilliliter = MeasurementUnit(symbol: "µU/mL", dimension: .insulinConcentration, factor: 1)

    /// mg/kg, the canonical dose per body weight.
    public static let milligramPerKilogram = MeasurementUnit(symbol: "mg/kg", dimension: .massPerBodyMass, factor: 1)
    /// U/kg, insulin per body weight.
    public static let insulinUnitPerKilogram = MeasurementUnit(symbol: "U/kg", dimension: .insulinPerBodyMass, factor: 1)

    /// Grams of carbohydrate, the canonical carbohydrate unit (meals for glucose models).
    public static let gramCarbohydrate = MeasurementUnit(symbol: "g carbs", dimension: .carbohydrate, factor: 1)

    /// mg/h, the canonical mass rate.
    public static let milligramPerHour = MeasurementUnit(symbol: "mg/h", dimension: .massRate, factor: 1)
    /// U/h, the canonical insulin rate.
    public static let insulinUnitPerHour = MeasurementUnit(symbol: "U/h", dimension: .insulinRate, factor: 1)
    /// mL/min = 0.06 L/h (creatinine clearance).
    public static let milliliterPerMinute = MeasurementUnit(symbol: "mL/min", dimension: .volumeRate, factor: 0.06)

    // MARK: - The catalogue of spellings

    /// Units by spelling; the first spelling of each entry is the one listed in messages.
    static let catalogue: [(spellings: [String], unit: MeasurementUnit)] = [
        (["h", "hr", "hrs", "hour", "hours"], .hour),
        (["min", "mins", "minute", "minutes"], .minute),
        (["s", "sec", "second", "seconds"], .second),
        (["day", "d", "days"], .day),
        (["week", "wk", "weeks"], .week),
        (["year", "y", "yr", "a", "years"], .year),

        (["mg", "milligram", "milligrams"], .milligram),
        (["ng", "nanogram", "nanograms"], .nanogram),
        (["µg", "ug", "mcg", "microgram", "micrograms"], .microgram),
        (["g", "gram", "grams"], .gram),
        (["kg", "kilogram", "kilograms"], .kilogram),
        (["lb", "[lb_av]", "lbs"], .pound),

        (["mol"], MeasurementUnit(symbol: "mol", dimension: .amountOfSubstance, factor: 1e3)),
        (["mmol"], .millimole),
        (["µmol", "umol"], MeasurementUnit(symbol: "µmol", dimension: .amountOfSubstance, factor: 1e-3)),
        (["nmol"], MeasurementUnit(symbol: "nmol", dimension: .amountOfSubstance, factor: 1e-6)),
        (["pmol"], MeasurementUnit(symbol: "pmol", dimension: .amountOfSubstance, factor: 1e-9)),

        (["U", "IU", "[iU]", "[IU]"], .insulinUnit),
        (["mU", "mIU", "m[iU]", "m[IU]"], .milliInsulinUnit),
        (["µU", "uU", "uIU", "u[iU]", "u[IU]"], MeasurementUnit(symbol: "µU", dimension: .insulin, factor: 1e-6)),

        (["L", "l", "liter", "litre"], .liter),
        (["dL", "dl"], MeasurementUnit(symbol: "dL", dimension: .volume, factor: 0.1)),
        (["mL", "ml", "cc", "cm3"], .milliliter),
        (["µL", "uL"], MeasurementUnit(symbol: "µL", dimension: .volume, factor: 1e-6)),

        (["cm"], .centimeter),
        (["m"], MeasurementUnit(symbol: "m", dimension: .length, factor: 100)),
        (["mm"], MeasurementUnit(symbol: "mm", dimension: .length, factor: 0.1)),
        (["in", "[in_i]"], MeasurementUnit(symbol: "in", dimension: .length, factor: 2.54)),

        (["mg/L"], .milligramPerLiter),
        (["µg/mL", "ug/mL", "mcg/mL"], .microgramPerMilliliter),
        (["ng/mL"], .nanogramPerMilliliter),
        (["µg/L", "ug/L", "mcg/L"], MeasurementUnit(symbol: "µg/L", dimension: .massConcentration, factor: 1e-3)),
        (["ng/L"], MeasurementUnit(symbol: "ng/L", dimension: .massConcentration, factor: 1e-6)),
        (["mg/dL"], .milligramPerDeciliter),
        (["µg/dL", "ug/dL", "mcg/dL"], MeasurementUnit(symbol: "µg/dL", dimension: .massConcentration, factor: 1e-2)),
        (["g/L"], MeasurementUnit(symbol: "g/L", dimension: .massConcentration, factor: 1e3)),
        (["g/dL"], MeasurementUnit(symbol: "g/dL", dimension: .massConcentration, factor: 1e4)),
        (["mg/mL"], MeasurementUnit(symbol: "mg/mL", dimension: .massConcentration, factor: 1e3)),

        (["mol/L"], MeasurementUnit(symbol: "mol/L", dimension: .molarConcentration, factor: 1e3)),
        (["mmol/L", "mM"], .millimolePerLiter),
        (["µmol/L", "umol/L", "µM", "uM"], .micromolePerLiter),
        (["nmol/L", "nM"], MeasurementUnit(symbol: "nmol/L", dimension: .molarConcentration, factor: 1e-6)),
        (["pmol/L", "pM"], .picomolePerLiter),

        (["µU/mL", "uU/mL", "uIU/mL", "u[iU]/mL", "u[IU]/mL", "mU/L", "mIU/L", "m[iU]/L", "m[IU]/L"], .microInsulinUnitPerMilliliter),
        (["U/L", "IU/L", "[iU]/L", "[IU]/L"], MeasurementUnit(symbol: "U/L", dimension: .insulinConcentration, factor: 1e3)),

        (["mg/kg"], .milligramPerKilogram),
        (["µg/kg", "ug/kg", "mcg/kg"], MeasurementUnit(symbol: "µg/kg", dimension: .massPerBodyMass, factor: 1e-3)),
        (["g/kg"], MeasurementUnit(symbol: "g/kg", dimension: .massPerBodyMass, factor: 1e3)),
        (["U/kg", "IU/kg", "[iU]/kg", "[IU]/kg"], .insulinUnitPerKilogram),

        (["g carbs", "g carb", "g CHO", "g carbohydrate", "gCHO"], .gramCarbohydrate),
        (["mg carbs"], MeasurementUnit(symbol: "mg carbs", dimension: .carbohydrate, factor: 1e-3)),
    ]

    /// Lookup by normalised spelling (see ``normalizedKey(_:)``).
    static let bySpelling: [String: MeasurementUnit] = {
        var table: [String: MeasurementUnit] = [:]
        for entry in catalogue {
            for spelling in entry.spellings {
                let key = normalizedKey(spelling)
                if table[key] == nil { table[key] = entry.unit }
            }
        }
        return table
    }()

    /// The first spelling of every catalogued unit, for messages, plus a note on rates.
    public static var knownSymbols: [String] {
        catalogue.map { $0.unit.symbol } + ["<amount>/<time> rates such as mg/h, U/h, mL/min"]
    }

    /// Case-folds and unifies spellings: both µ code points (U+00B5, U+03BC) become "u",
    /// spaces are dropped, and "IU"/"[iU]" become "U". Upper-case "M" stays apart from "m"
    /// (mM is millimolar), as do "U" and "u".
    static func normalizedKey(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{00B5}", "\u{03BC}": out.append("u")
            case " ", "\t": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        out = out.replacingAll("[iu]", with: "U")
            .replacingAll("[iU]", with: "U")
            .replacingAll("[IU]", with: "U")
            .replacingAll("IU", with: "U")
        return out
    }

    /// Parses a unit spelling.
    ///
    /// Accepted: every spelling in the catalogue (case as written for the prefixes that
    /// matter, `µ` as U+00B5 or U+03BC or `u`, `mcg`), an `<amount>/<time>` rate such as
    /// `mg/h`, `mU/min`, `mL/min`, `g carbs/h`, and a lower-case form of any of these when it is
    /// unambiguous (`mg/dl`, `ML`).
    ///
    /// - Parameter location: where the spelling came from, for the error.
    /// - Throws: ``RecordError/unknownUnit(_:unit:known:)`` naming the spelling and listing
    ///   the known units.
    public static func parse(_ text: String, location: RecordLocation = RecordLocation(file: "<input>")) throws(RecordError) -> MeasurementUnit {
        if let unit = lookup(text) { return unit }
        throw .unknownUnit(location, unit: text, known: knownSymbols)
    }

    /// The unit for a spelling, or nil (no error).
    public static func lookup(_ text: String) -> MeasurementUnit? {
        let key = normalizedKey(text.trimmingWhitespace())
        if key.isEmpty { return nil }
        if let unit = bySpelling[key] ?? caseFolded[key.lowercased()] { return unit }
        // <amount>/<time> rates
        if let slash = key.lastIndex(of: "/") {
            let numerator = String(key[key.startIndex..<slash])
            let denominator = String(key[key.index(after: slash)...])
            if let time = bySpelling[denominator] ?? caseFolded[denominator.lowercased()], time.dimension == .time,
               let amount = bySpelling[numerator] ?? caseFolded[numerator.lowercased()],
               let rate = amount.dimension.rateDimension {
                let symbol = amount.symbol + "/" + time.symbol
                return MeasurementUnit(symbol: symbol, dimension: rate, factor: amount.factor / time.factor)
            }
        }
        return nil
    }

    /// Lower-cased spellings that map to exactly one unit (so "mg/dl" works but "mu" does not
    /// guess between mU and µU).
    static let caseFolded: [String: MeasurementUnit] = {
        var table: [String: MeasurementUnit] = [:]
        var ambiguous: Set<String> = []
        for (key, unit) in bySpelling {
            let folded = key.lowercased()
            if let existing = table[folded], existing != unit { ambiguous.insert(folded) }
            table[folded] = unit
        }
        for key in ambiguous { table[key] = nil }
        return table
    }()
}

extension String {
    /// Replaces every occurrence of `target` (plain text, no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[rest.startIndex..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }

    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
