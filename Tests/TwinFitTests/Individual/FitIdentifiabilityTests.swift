import Testing
import TwinData
import TwinFit
import TwinModels

/// A fit reports the parameter its data cannot determine, by name.
@Suite struct FitIdentifiabilityTests {
    /// With IV doses only, no prediction depends on the absorption rate ka (analytically: ∂C/∂ka
    /// = 0 for a dose into the central compartment), so the information is singular along log ka.
    @Test func absorptionRateOfIntravenousDataIsReportedUnidentifiable() throws {
        var record = PatientRecord(id: "iv")
        record.doses = [Dose(time: 0, amount: 500, unit: .milligram, route: .intravenous, delivery: .infusion(duration: 1), compartment: 2)]
        record.observations = zip([1.0, 2, 4, 8, 12, 24], [9.5, 8.7, 7.6, 5.9, 4.4, 2.0]).map {
            Observation(time: $0.0, quantity: "DV", value: $0.1, unit: .milligramPerLiter, compartment: 2)
        }
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], errorModel: .additive(0.3))
        spec.estimateErrorModel = false
        let fit = try IndividualFitter(specification: spec).fit(record)
        let report = try #require(fit.information?.identifiability)
        #expect(report.status == .singular)
        let weakest = try #require(report.weakDirections.first)
        #expect(weakest.terms.map(\.name) == ["log ka"], "\(report.description)")
        #expect(fit.standardErrors == nil)
    }
}
