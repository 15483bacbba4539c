import Foundation
import Testing
import TwinData
import TwinFit
import TwinModels

/// Bad input to a fit is a typed error naming the subject, observation or parameter, and the
/// other subjects of a cohort are still fitted.
@Suite struct FitBadInputTests {
    /// A 320 mg oral dose and three levels (mg/L).
    static func record(_ id: String, levels: [(Double, Double)] = [(0.5, 6), (1, 8), (2, 8.5), (4, 7), (8, 5.6), (12, 4)]) -> PatientRecord {
        var r = PatientRecord(id: id)
        r.doses = [Dose(time: 0, amount: 320, unit: .milligram, route: .oral, compartment: 1)]
        r.observations = levels.map { Observation(time: $0.0, quantity: "DV", value: $0.1, unit: .milligramPerLiter, compartment: 2) }
        return r
    }

    static func spec(_ error: ResidualErrorModel = .additive(1), fixed: [String: Double] = [:]) throws -> FitSpecification<OneCompartmentPK> {
        var s = try FitSpecification(model: OneCompartmentPK(), estimate: ["ka", "CL", "V"], fixed: fixed, errorModel: error)
        s.preferClosedForm = false
        return s
    }

    @Test func aSubjectWithoutObservationsIsNamed() throws {
        let fitter = IndividualFitter(specification: try Self.spec())
        #expect(throws: FitError.noObservations(subject: "7", reason: "the record has none")) {
            try fitter.fit(Self.record("7", levels: []))
        }
    }

    @Test func aParameterTheModelLacksIsRefusedWithTheKnownNames() {
        #expect(throws: FitError.unknownParameter(model: "pk-1cmt", name: "KE", known: ["ka", "CL", "V", "F", "tlag"])) {
            try Self.spec(fixed: ["KE": 0.1])
        }
        #expect(throws: FitError.self) { try Self.spec(fixed: ["CL": 2]) }      // both estimated and fixed
        #expect(throws: FitError.self) { try Self.spec(fixed: ["F": 3]) }       // outside F's range (0, 1]
    }

    @Test func aNegativeConcentrationWithProportionalErrorIsLocated() throws {
        let fitter = IndividualFitter(specification: try Self.spec(.proportional(0.1)))
        do throws(FitError) {
            _ = try fitter.fit(Self.record("3", levels: [(1, 8), (4, -0.2), (12, 4)]))
            Issue.record("expected an error")
        } catch {
            guard case let .unusableObservation(subject, time, _, reason) = error else { Issue.record("\(error)"); return }
            #expect(subject == "3" && time == 4)
            #expect(reason.contains("negative"))
        }
    }

    @Test func aZeroPredictionWithProportionalErrorIsLocated() throws {
        // A pre-dose sample at time 0: the prediction is 0, so proportional error has zero variance there.
        let fitter = IndividualFitter(specification: try Self.spec(.proportional(0.1)))
        do throws(FitError) {
            _ = try fitter.fit(Self.record("4", levels: [(0, 0.1), (1, 7), (2, 8), (6, 6), (12, 4)]))
            Issue.record("expected an error")
        } catch {
            guard case let .unusableObservation(subject, time, _, reason) = error else { Issue.record("\(error)"); return }
            #expect(subject == "4" && time == 0)
            #expect(reason.contains("zero variance"))
        }
    }

    @Test func tooFewObservationsToEstimateTheResidualErrorAreRefused() throws {
        let fitter = IndividualFitter(specification: try Self.spec())
        #expect(throws: FitError.self) { try fitter.fit(Self.record("5", levels: [(1, 8), (4, 7), (12, 4)])) }
    }

    @Test func aDoseCompartmentTheModelHasNoEntryForIsAModelError() throws {
        var bad = Self.record("9")
        bad.doses[0].compartment = 5
        let fitter = IndividualFitter(specification: try Self.spec())
        #expect(throws: FitError.self) { try fitter.fit(bad) }
        do { _ = try fitter.fit(bad) } catch { #expect(error.description.contains("subject 9")) }
    }

    /// A failing subject in the middle of a cohort leaves the others' fits, which are the same
    /// for one and two threads (each subject is fitted on its own).
    @Test func oneFailingSubjectDoesNotStopTheOthersAndThreadsDoNotChangeResults() throws {
        let records = [Self.record("1"), Self.record("2", levels: []), Self.record("3", levels: [(0.5, 5), (1, 9), (3, 8), (8, 5), (24, 1.5)])]
        let fitter = IndividualFitter(specification: try Self.spec())
        let one = fitter.fit(records, threads: 1)
        let two = fitter.fit(records, threads: 2)
        #expect(one.count == 3)
        guard case .success(let a1) = one[0], case .failure = one[1], case .success(let a3) = one[2],
              case .success(let b1) = two[0], case .failure = two[1], case .success(let b3) = two[2] else {
            Issue.record("unexpected outcomes \(one) \(two)"); return
        }
        #expect(a1.estimates == b1.estimates && a3.estimates == b3.estimates)
    }
}

/// Fits that start far from the optimum — typical values of a model for another drug, the error
/// SD at 1 mg/L against residuals of tens of mg/L — still converge: the standard deviations
/// start at their profile optimum given the start parameters.
@Suite struct FitStartTests {
    @Test func vancomycinCohortConvergesFromTheModelsTypicalValues() throws {
        let url = FitFixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/vancomycin-cohort.csv")
        let cohort = try NONMEMReader.read(contentsOf: url, units: nil, options: ReadOptions()).cohort
        #expect(cohort.count == 8)
        let spec = try FitSpecification(model: TwoCompartmentPK(), estimate: ["CL", "V1"], errorModel: .additive(1))
        for result in IndividualFitter(specification: spec).fit(cohort.records, threads: 2) {
            let fit = try result.get()
            #expect(fit.converged, "subject \(fit.subject): \(fit.convergence.summary)")
            // At the maximum-likelihood optimum of additive error, a² = RSS/n (closed form in a).
            guard case .additive(let a) = fit.errorModels[0] else { Issue.record("error model changed"); continue }
            #expect(abs(a * a - fit.residualSumOfSquares / Double(fit.observationCount)) <= 1e-6 * a * a)
        }
    }
}
