import Foundation
import Testing
import TwinData
import TwinFit
import TwinModels

/// Fits in a population model's parameterisation rather than the model's own: pk-1cmt in
/// Pinheiro & Bates' fm3Theo form, ka and CL estimated with ke held, V = CL/ke derived.
@Suite struct DerivedParameterFitTests {
    static let lKe = -2.454704     // Tests/Fixtures/TwinFit/theophylline_fixed_ke_scipy.py

    /// Every Theophylline subject reaches SciPy's optimum of the same two-parameter problem
    /// (least_squares at 1e-15, theophylline_fixed_ke_scipy.csv): RSS to 1e-8 relative and
    /// (log ka, log CL/kg) to 1e-5, through the closed form and (subject 1) the ODEs.
    @Test func fm3ParameterisationReachesSciPysOptimum() throws {
        let cohort = try FitFixtures.theophyllineCohort()
        let text = try String(contentsOf: FitFixtures.root.appendingPathComponent("TwinFit/theophylline_fixed_ke_scipy.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 12)
        for row in rows {
            let record = try #require(cohort.record(id: row[0]))
            let weight = try #require(record.weight)
            for closedForm in row[0] == "1" ? [true, false] : [true] {
                var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL"], errorModel: .additive(1))
                spec.derived = [DerivedModelParameter(target: "V", factor: 1 / exp(Self.lKe), powers: ["CL": 1])]
                spec.start = ["ka": exp(0.45), "CL": exp(-3.2) * weight]
                spec.options = TrustRegionOptions(functionTolerance: 0, stepTolerance: 1e-15, gradientTolerance: 1e-15)
                spec.preferClosedForm = closedForm
                spec.relativeTolerance = 1e-12
                spec.absoluteTolerance = 1e-14
                let fit = try IndividualFitter(specification: spec).fit(record)
                let rss = try #require(Double(row[3])), lka = try #require(Double(row[1])), lcl = try #require(Double(row[2]))
                #expect(fit.converged, "subject \(row[0]): \(fit.convergence.summary)")
                #expect(abs(fit.residualSumOfSquares - rss) <= 1e-8 * rss, "subject \(row[0]) (\(fit.method)): RSS \(fit.residualSumOfSquares) vs \(rss)")
                #expect(abs(log(fit.estimates[0]) - lka) <= 1e-5, "subject \(row[0]) lKa")
                #expect(abs(log(fit.estimates[1] / weight) - lcl) <= 1e-5, "subject \(row[0]) lCl")
                // The derived V is CL/ke in the full parameter vector.
                let full = spec.fullParameters(estimates: fit.estimates)
                #expect(abs(full[2] - fit.estimates[1] / exp(Self.lKe)) <= 1e-12 * full[2])
            }
        }
    }

    @Test func derivedParametersAreChecked() throws {
        let record = try #require(try FitFixtures.theophyllineCohort().record(id: "1"))
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL"], errorModel: .additive(1))
        spec.derived = [DerivedModelParameter(target: "CL", factor: 1, powers: ["ka": 1])]          // CL is estimated
        #expect(throws: FitError.self) { try IndividualFitter(specification: spec).fit(record) }
        spec.derived = [DerivedModelParameter(target: "V", factor: 1, powers: ["F": 1])]            // F is not estimated
        #expect(throws: FitError.self) { try IndividualFitter(specification: spec).fit(record) }
        spec.derived = [DerivedModelParameter(target: "Vd", factor: 1, powers: ["CL": 1])]          // no such parameter
        #expect(throws: FitError.self) { try IndividualFitter(specification: spec).fit(record) }
        spec.derived = [DerivedModelParameter(target: "V", factor: -2, powers: ["CL": 1])]          // factor ≤ 0
        #expect(throws: FitError.self) { try IndividualFitter(specification: spec).fit(record) }
    }
}
