import Foundation
import Testing
import TwinData
import TwinFit
import TwinModels

/// Individual least-squares fits of the one-compartment oral model to the 12 Theophylline
/// subjects reach the optimum SciPy's MINPACK finds at ftol = xtol = gtol = 1e-15
/// (Tests/Fixtures/TwinFit/theophylline_scipy.py, scipy 1.17.1): the residual sum of squares
/// within 1e-8 relative and (log ke, log ka, log CL/kg) within 1e-5, after ordering ka > ke.
@Suite struct TheophyllineIndividualFitTests {
    /// The fit of one subject, started where the SciPy peer starts: (lKe, lKa, lCl) = (−2.4, 0.45, −3.2).
    static func fit(_ record: PatientRecord, closedForm: Bool) throws -> IndividualFit {
        let weight = try #require(record.weight)
        var spec = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], errorModel: .additive(1))
        spec.start = ["ka": exp(0.45), "CL": exp(-3.2) * weight, "V": exp(-3.2 + 2.4) * weight]
        spec.options = TrustRegionOptions(functionTolerance: 1e-15, stepTolerance: 1e-15, gradientTolerance: 1e-15)
        spec.preferClosedForm = closedForm
        spec.relativeTolerance = 1e-12
        spec.absoluteTolerance = 1e-14
        return try IndividualFitter(specification: spec).fit(record)
    }

    /// (lKe, lKa, lCl) of a fit in the book's per-kg parameterisation, ordered so that ka > ke.
    static func bookParameters(_ fit: IndividualFit, weight: Double) -> (Double, Double, Double) {
        let ka = fit.estimates[0], cl = fit.estimates[1], v = fit.estimates[2]
        let ke = cl / v
        return (log(min(ke, ka)), log(max(ke, ka)), log(cl / weight))
    }

    @Test(arguments: [true, false])
    func everySubjectReachesTheSciPyOptimum(closedForm: Bool) throws {
        let cohort = try FitFixtures.theophyllineCohort()
        let reference = try FitFixtures.theophyllineReference()
        #expect(reference.count == 12)
        for expected in reference {
            let record = try #require(cohort.record(id: expected.id))
            let fit = try Self.fit(record, closedForm: closedForm)
            #expect(fit.converged, "subject \(expected.id): \(fit.convergence.summary)")
            #expect(abs(fit.residualSumOfSquares - expected.rss) <= 1e-8 * expected.rss,
                    "subject \(expected.id): RSS \(fit.residualSumOfSquares) vs SciPy \(expected.rss)")
            let (lke, lka, lcl) = Self.bookParameters(fit, weight: try #require(record.weight))
            #expect(abs(lke - expected.lKe) <= 1e-5, "subject \(expected.id) lKe \(lke) vs \(expected.lKe)")
            #expect(abs(lka - expected.lKa) <= 1e-5, "subject \(expected.id) lKa \(lka) vs \(expected.lKa)")
            #expect(abs(lcl - expected.lCl) <= 1e-5, "subject \(expected.id) lCl \(lcl) vs \(expected.lCl)")
        }
    }
}
