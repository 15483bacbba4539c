import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// Time-varying covariates through a model's default covariate relations, by NONMEM's PREDPP
/// convention (a value recorded at t applies over (t_prev, t]).
@Suite struct TimeVaryingCovariateTests {
    /// WT 70 kg on records at 0 and 5 h, 35 kg on the record at 10 h: WT is 70 over [0, 5] and
    /// 35 over (5, 10] and after.
    func record() -> PatientRecord {
        var r = PatientRecord(id: "1", covariates: [CovariateName.weight: Covariate(value: 70, unit: .kilogram)],
                              doses: [Dose(time: 0, amount: 100, unit: .milligram, route: .intravenous)])
        r.covariateHistory[CovariateName.weight] = [TimedCovariate(time: 5, value: 70, unit: .kilogram),
                                                    TimedCovariate(time: 10, value: 35, unit: .kilogram)]
        return r
    }

    /// pk-1cmt, 100 mg IV bolus. Closed form, piece by piece: A(t) = 100·e^(−k₁t) on [0, 5] with
    /// k₁ = 2.8/35; after 5 h CL₂ = 2.8·(1/2)^0.75, V₂ = 17.5 L, k₂ = CL₂/V₂, A(t) = A(5)·e^(−k₂(t−5)),
    /// C = A/V (the amount is continuous; the concentration jumps with V just after 5 h — at 5 h
    /// itself the record's own WT 70, so V = 35 L, applies).
    @Test func parametersSwitchAfterTheLastRecordOfTheOldValue() throws {
        let model = OneCompartmentPK()
        let sim = try model.simulate(record: record(), hours: 12, gridHours: [4, 5, 8, 12], covariateRelations: .modelDefault)
        let k1 = 2.8 / 35, cl2 = 2.8 * pow(0.5, 0.75), v2 = 17.5, k2 = cl2 / v2
        let a5 = 100 * exp(-k1 * 5)
        let expected = [100 * exp(-k1 * 4) / 35, a5 / 35, a5 * exp(-k2 * 3) / v2, a5 * exp(-k2 * 7) / v2]
        // Tolerance: the solve runs at rtol 1e-8, atol 1e-10; 1e-6 relative leaves a wide margin.
        for (value, truth) in zip(sim.values.map { $0[0] }, expected) {
            #expect(isRelativelyClose(value, truth, tolerance: 1e-6), "\(value) vs \(truth)")
        }
        let events = try model.covariateEvents(for: record())
        #expect(events.count == 2 && events.allSatisfy { $0.time == 5 })          // CL and V at 5 h
    }

    @Test func withoutTheRelationsTheCovariatesChangeNothing() throws {
        let model = OneCompartmentPK()
        let sim = try model.simulate(record: record(), hours: 12, gridHours: [8])
        // The typical values throughout: C(8) = 100/35 · e^(−0.08·8).
        #expect(isRelativelyClose(sim.values[0][0], 100.0 / 35 * exp(-0.08 * 8), tolerance: 1e-6))
        #expect(try model.covariateEvents(for: PatientRecord(id: "2", covariates: record().covariates)).isEmpty)
    }

    @Test func theCatalogueEntryAppliesThemWithTheRequest() throws {
        var request = SimulationRequest(hours: 12)
        request.record = record()
        request.covariateRelations = .modelDefault
        let run = try ModelCatalog.model(named: "pk-1cmt").simulate(request)
        let direct = try OneCompartmentPK().simulate(record: record(), hours: 12, points: 1001, covariateRelations: .modelDefault)
        #expect(run.simulation.values == direct.values)                           // the same problem, the same solve
        #expect(run.parameterSource.contains("time-varying WT"))
    }
}
