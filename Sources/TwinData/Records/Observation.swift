/// A measured value: when, what, how much, in which unit, and whether it was below the lower
/// limit of quantification (censored).
///
/// Values are in the canonical unit of their dimension (mg/L, mmol/L, µU/mL …).
/// A censored observation (`isCensored`) carries the LLOQ as its value when the file gave no
/// value; the model should treat it as "somewhere below ``lowerLimitOfQuantification``".
///
/// ```swift
/// let c = Observation(time: 1.12, quantity: "DV", value: 10.5, unit: .milligramPerLiter, compartment: 2)
/// let second = Observation(time: 2, quantity: "DV", value: 0.4, unit: .milligramPerLiter, outputID: 2)   // DVID 2
/// let blq = Observation(time: 24, quantity: "DV", value: 0.1, unit: .milligramPerLiter,
///                       lowerLimitOfQuantification: 0.1, isCensored: true)
/// ```
public struct Observation: Hashable, Sendable, Codable {
    /// Time of the sample, hours from the segment's origin.
    public var time: Double
    /// What was measured: "DV" for a NONMEM file, a name such as "glucose" or "loinc:4049-3"
    /// for FHIR.
    public var quantity: String
    /// The value, in `unit`.
    public var value: Double
    /// The canonical unit of the value.
    public var unit: MeasurementUnit
    /// The lower limit of quantification, in `unit`, when known.
    public var lowerLimitOfQuantification: Double?
    /// True when the sample was below the LLOQ (BLQ = 1).
    public var isCensored: Bool
    /// The observed compartment (CMT), or nil.
    public var compartment: Int?
    /// Which of a model's outputs this measures, as NONMEM's DVID column numbers them (1, 2, …
    /// in the model's declared order; see TwinModels' `PhysiologicalModel.outputIndex(for:)`),
    /// or nil when the record does not say. Not a covariate.
    public var outputID: Int?
    /// Segment of the record: 0 before the first reset, k after the k-th.
    public var segment: Int

    /// An observation with every field.
    public init(time: Double, quantity: String, value: Double, unit: MeasurementUnit,
                lowerLimitOfQuantification: Double? = nil, isCensored: Bool = false,
                compartment: Int? = nil, segment: Int = 0, outputID: Int? = nil) {
        self.time = time
        self.quantity = quantity
        self.value = value
        self.unit = unit
        self.lowerLimitOfQuantification = lowerLimitOfQuantification
        self.isCensored = isCensored
        self.compartment = compartment
        self.segment = segment
        self.outputID = outputID
    }
}
