/// A physical dimension, each with one canonical unit that readers convert to on input.
///
/// | dimension | canonical unit | other units accepted |
/// |---|---|---|
/// | ``time`` | h | min, s, day (d), week, year (y) |
/// | ``mass`` | mg | ng, µg (ug, mcg), g, kg, lb |
/// | ``amountOfSubstance`` | mmol | mol, µmol, nmol, pmol |
/// | ``insulin`` | U | mU, µU (IU and [iU] spellings) |
/// | ``volume`` | L | dL, mL, µL |
/// | ``length`` | cm | m, mm, in |
/// | ``massConcentration`` | mg/L | µg/mL, ng/mL, µg/L, mg/dL, g/L, g/dL |
/// | ``molarConcentration`` | mmol/L | mol/L, µmol/L, nmol/L, pmol/L |
/// | ``insulinConcentration`` | µU/mL | mU/L, U/L, pmol/L via a ``Substance`` |
/// | ``massPerBodyMass`` | mg/kg | µg/kg, g/kg |
/// | ``insulinPerBodyMass`` | U/kg | |
/// | ``carbohydrate`` | g carbs | mg carbs |
/// | ``massRate``, ``insulinRate``, ``volumeRate``, ``carbohydrateRate`` | mg/h, U/h, L/h, g carbs/h | any amount unit over any time unit (mL/min, mU/min …) |
///
/// Molar and mass quantities of one substance convert into each other through the
/// substance's molar mass (``Substance/molarMass``), and insulin units through
/// 1 U = 6000 pmol (``Substance/picomolesPerUnit``).
///
/// ```swift
/// MeasurementUnit.parse("ug/mL").dimension == .massConcentration   // true
/// UnitDimension.massConcentration.canonicalSymbol                   // "mg/L"
/// ```
public enum UnitDimension: String, Hashable, Sendable, CaseIterable, Codable {
    case time
    case mass
    case amountOfSubstance
    case insulin
    case volume
    case length
    case massConcentration
    case molarConcentration
    case insulinConcentration
    case massPerBodyMass
    case insulinPerBodyMass
    case carbohydrate
    case massRate
    case insulinRate
    case volumeRate
    case carbohydrateRate

    /// The symbol of the canonical unit.
    public var canonicalSymbol: String {
        switch self {
        case .time: return "h"
        case .mass: return "mg"
        case .amountOfSubstance: return "mmol"
        case .insulin: return "U"
        case .volume: return "L"
        case .length: return "cm"
        case .massConcentration: return "mg/L"
        case .molarConcentration: return "mmol/L"
        case .insulinConcentration: return "µU/mL"
        case .massPerBodyMass: return "mg/kg"
        case .insulinPerBodyMass: return "U/kg"
        case .carbohydrate: return "g carbs"
        case .massRate: return "mg/h"
        case .insulinRate: return "U/h"
        case .volumeRate: return "L/h"
        case .carbohydrateRate: return "g carbs/h"
        }
    }

    /// The canonical unit of this dimension.
    public var canonicalUnit: MeasurementUnit {
        MeasurementUnit(symbol: canonicalSymbol, dimension: self, factor: 1)
    }

    /// A phrase for messages ("a time unit such as h or min").
    var phrase: String {
        switch self {
        case .time: return "a time unit (h, min, day)"
        case .mass: return "a mass unit (mg, µg, g, kg)"
        case .amountOfSubstance: return "an amount of substance (mmol, µmol)"
        case .insulin: return "an insulin amount (U, mU)"
        case .volume: return "a volume unit (L, mL)"
        case .length: return "a length unit (cm, m)"
        case .massConcentration: return "a mass concentration (mg/L, µg/mL, ng/mL, mg/dL)"
        case .molarConcentration: return "a molar concentration (mmol/L, µmol/L, pmol/L)"
        case .insulinConcentration: return "an insulin concentration (µU/mL, mU/L)"
        case .massPerBodyMass: return "a dose per body weight (mg/kg)"
        case .insulinPerBodyMass: return "an insulin dose per body weight (U/kg)"
        case .carbohydrate: return "a carbohydrate amount (g carbs)"
        case .massRate: return "a mass rate (mg/h)"
        case .insulinRate: return "an insulin rate (U/h)"
        case .volumeRate: return "a volume rate (L/h, mL/min)"
        case .carbohydrateRate: return "a carbohydrate rate (g carbs/h)"
        }
    }

    /// The rate dimension of an amount dimension (mass → massRate), if any.
    public var rateDimension: UnitDimension? {
        switch self {
        case .mass: return .massRate
        case .insulin: return .insulinRate
        case .volume: return .volumeRate
        case .carbohydrate: return .carbohydrateRate
        default: return nil
        }
    }

    /// The amount dimension of a rate dimension (massRate → mass), if any.
    public var amountDimension: UnitDimension? {
        switch self {
        case .massRate: return .mass
        case .insulinRate: return .insulin
        case .volumeRate: return .volume
        case .carbohydrateRate: return .carbohydrate
        default: return nil
        }
    }

    /// True for dimensions a dose amount can have (mass, insulin, carbohydrate, volume, amount
    /// of substance, and the per-body-weight forms that a weight turns into mass or insulin).
    public var isDoseAmount: Bool {
        switch self {
        case .mass, .insulin, .carbohydrate, .volume, .amountOfSubstance, .massPerBodyMass, .insulinPerBodyMass: return true
        default: return false
        }
    }
}
