import Foundation
import TwinData
@testable import TwinFit

/// The shipped population models and the bundled vancomycin patient (Examples/).
enum PopulationFixtures {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples")
    static let goti = examples.appendingPathComponent("populations/vancomycin-goti2018.json")
    static let theophylline = examples.appendingPathComponent("populations/theophylline-pinheiro-bates.json")
    static let vancomycinPatient = examples.appendingPathComponent("vancomycin-patient.csv")

    static func load(_ url: URL) throws -> PopulationModel {
        try PopulationModel.decode(Data(contentsOf: url))
    }

    /// The bundled patient, read as the CLI reads it: NONMEM CSV with its units sidecar.
    static func patient() throws -> PatientRecord {
        let units = try ColumnUnits.loadSidecar(for: vancomycinPatient) ?? ColumnUnits()
        let cohort = try NONMEMReader(units: units).read(contentsOf: vancomycinPatient).cohort
        guard let record = cohort.records.first else { throw CocoaError(.fileReadCorruptFile) }
        return record
    }

    /// A record with only covariates (kg, mL/min as TwinData stores them).
    static func record(id: String = "1", weight: Double? = nil, crcl: Double? = nil, dialysis: Double? = nil) -> PatientRecord {
        var r = PatientRecord(id: id)
        if let weight { r.covariates["WT"] = Covariate(value: weight, unit: .kilogram) }
        if let crcl { r.covariates["CRCL"] = Covariate(value: crcl, unit: .milliliterPerMinute) }
        if let dialysis { r.covariates["DIAL"] = Covariate(value: dialysis) }
        return r
    }

    /// Pinheiro & Bates' fm3Theo.nlme (no random effect on lKe), from
    /// Tests/Fixtures/TwinFit/theophylline_nlme_population.txt (R 4.2.2, nlme 3.1-162).
    static func fm3Theo() -> PopulationModel {
        PopulationModel(
            name: "theophylline-fm3", model: "pk-1cmt",
            parameters: [PopulationParameter(name: "ke", typical: Foundation.exp(-2.45470376), unit: "1/h"),
                         PopulationParameter(name: "ka", typical: Foundation.exp(0.4657338574), unit: "1/h", randomEffect: .exponential),
                         PopulationParameter(name: "CL", typical: Foundation.exp(-3.227222626), unit: "L/h/kg", randomEffect: .exponential)],
            derived: [DerivedParameter(parameter: "V", relation: .quotient(numerator: "CL", denominator: "ke"))],
            covariates: [CovariateRelation(parameter: "CL", covariate: "WT", unit: "kg", effect: .power(reference: 1, exponent: 1), fixed: true)],
            omega: [OmegaBlock(parameters: ["ka", "CL"], structure: .diagonal, values: [0.4141922312, 0.02786499967])],
            errorModels: [OutputErrorModel(output: "C", unit: "mg/L", model: .additive(0.7092541428))])
    }
}
