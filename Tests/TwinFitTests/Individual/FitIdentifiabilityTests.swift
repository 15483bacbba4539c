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

/// The observed information (half the Hessian of the objective at the estimate) through a fit:
/// present when asked for, positive on the diagonal, near the expected information at a good fit
/// (they differ by the residual-weighted second derivatives of the predictions).
@Suite struct ObservedInformationTests {
    @Test func aFitReportsItsObservedInformationWhenAsked() throws {
        let record = try #require(try FitFixtures.theophyllineCohort().record(id: "1"))
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], errorModel: .additive(1))
        #expect(try IndividualFitter(specification: spec).fit(record).observedInformation == nil)
        spec.observedInformation = true
        let fit = try IndividualFitter(specification: spec).fit(record)
        let observed = try #require(fit.observedInformation), expected = try #require(fit.information)
        let n = observed.parameterNames.count
        #expect(n == 4 && observed.parameterNames == expected.parameterNames)
        for i in 0..<n {
            let ratio = observed.information[i * n + i] / expected.information[i * n + i]
            #expect(ratio > 0.5 && ratio < 2, "diagonal \(i): observed/expected \(ratio)")
        }
        #expect(observed.standardErrors != nil)
    }
}
