/// What a measured or dosed quantity is made of, for conversions between mass, molar and
/// insulin-unit quantities.
///
/// `mmol/L → mg/L` multiplies by the molar mass in g/mol (1 mmol/L of glucose, 180.16 g/mol, is
/// 180.16 mg/L = 18.016 mg/dL). `pmol/L → µU/mL` divides by 6 for insulin
/// (1 U = 6000 pmol, so 1 µU/mL = 10⁻³ U/L = 6 pmol/L).
///
/// ```swift
/// let f = MeasurementUnit.millimolePerLiter.factor(to: .milligramPerDeciliter, substance: .glucose)
/// // f == 18.016
/// ```
public struct Substance: Hashable, Sendable, Codable {
    /// A short name for messages and files ("glucose").
    public var name: String
    /// Molar mass, g/mol; nil when unknown.
    public var molarMass: Double?
    /// Picomoles per unit of activity (insulin: 6000 pmol/U); nil for substances dosed by mass.
    public var picomolesPerUnit: Double?

    /// A substance with the given properties.
    public init(name: String, molarMass: Double? = nil, picomolesPerUnit: Double? = nil) {
        self.name = name
        self.molarMass = molarMass
        self.picomolesPerUnit = picomolesPerUnit
    }

    /// Glucose, C₆H₁₂O₆, 180.16 g/mol.
    public static let glucose = Substance(name: "glucose", molarMass: 180.16)
    /// Human insulin, 5808 g/mol; 1 U = 6000 pmol (the conversion used by clinical laboratories).
    public static let insulin = Substance(name: "insulin", molarMass: 5808, picomolesPerUnit: 6000)
    /// Creatinine, C₄H₇N₃O, 113.12 g/mol.
    public static let creatinine = Substance(name: "creatinine", molarMass: 113.12)
    /// Theophylline, C₇H₈N₄O₂, 180.16 g/mol.
    public static let theophylline = Substance(name: "theophylline", molarMass: 180.16)
    /// Indomethacin, C₁₉H₁₆ClNO₄, 357.79 g/mol.
    public static let indomethacin = Substance(name: "indomethacin", molarMass: 357.79)
}
