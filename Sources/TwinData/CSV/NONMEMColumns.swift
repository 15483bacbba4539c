/// The columns of a NONMEM-style file and what MedTwin reads from them.
///
/// | column | meaning | unit |
/// |---|---|---|
/// | ID | subject | — |
/// | TIME | time of the record | TIME's unit (required) |
/// | DV | observed value | DV's unit (required when DV is present) |
/// | AMT | dose amount | AMT's unit (required when AMT is present; mg/kg is multiplied by WT) |
/// | RATE | infusion rate; −1 modelled rate, −2 modelled duration | AMT per TIME |
/// | DUR | infusion duration | TIME |
/// | EVID | 0 observation, 1 dose, 2 other, 3 reset, 4 reset and dose | — |
/// | CMT | compartment | — |
/// | DVID | which model output an observation measures (1, 2, …; ``Observation/outputID``) | — |
/// | MDV | 1: no observation on this row | — |
/// | II, ADDL | interdose interval and additional doses (expanded) | TIME, — |
/// | SS | 1 or 2: steady-state dose | — |
/// | BLQ (or CENS), LLOQ (or LOQ) | censoring flag and limit | —, DV |
/// | ROUTE | iv, oral, sc, im, ev (a MedTwin extension) | — |
/// | F, LAG (or ALAG) | bioavailable fraction, lag time | —, TIME |
/// | anything else | a covariate (WT, AGE, SEX, CRCL …), kept with its time (``PatientRecord/covariateHistory``) | its own unit, optional |
///
/// Names are case-insensitive; "." or an empty field is missing.
public enum NONMEMColumn: String, CaseIterable, Sendable {
    case id = "ID", time = "TIME", dv = "DV", amt = "AMT", rate = "RATE", dur = "DUR"
    case evid = "EVID", cmt = "CMT", mdv = "MDV", ii = "II", addl = "ADDL", ss = "SS"
    case blq = "BLQ", lloq = "LLOQ", route = "ROUTE", f = "F", lag = "LAG", dvid = "DVID"

    /// The column for a header name (upper-cased), including the aliases CENS, LOQ, ALAG.
    init?(header: String) {
        switch header {
        case "CENS": self = .blq
        case "LOQ": self = .lloq
        case "ALAG": self = .lag
        default: self.init(rawValue: header)
        }
    }
}

/// Where each known column sits in a file (0-based field index), and the covariate columns.
struct ColumnLayout {
    var index: [NONMEMColumn: Int] = [:]
    var names: [String] = []
    var covariates: [(field: Int, name: String)] = []

    subscript(_ column: NONMEMColumn) -> Int? { index[column] }
}
