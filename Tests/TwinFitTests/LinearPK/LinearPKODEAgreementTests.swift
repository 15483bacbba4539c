import Testing
import TwinData
import TwinFit
import TwinModels
import TwinODE
import _TwinTestSupport

/// The closed forms against the TwinModels ODE models they replace, solved tightly: the same
/// record, the same parameter vector, the same dose-entry convention.
@Suite("Closed-form linear PK agrees with the ODE models")
struct LinearPKODEAgreementTests {
    /// Record doses covering every entry: oral with the model's F and lag, oral with its own F
    /// and lag, an IV bolus, a 1-h infusion into CMT 2, a 2-h zero-order input into the depot,
    /// and overlapping repeated oral doses.
    static let record: [Dose] = [
        Dose(time: 0, amount: 100, unit: .milligram, route: .oral),
        Dose(time: 3, amount: 80, unit: .milligram, route: .intravenous),
        Dose(time: 6, amount: 50, unit: .milligram, route: .oral, bioavailability: 0.5, lag: 0.1),
        Dose(time: 8, amount: 60, unit: .milligram, delivery: .infusion(duration: 1), compartment: 2),
        Dose(time: 10, amount: 40, unit: .milligram, route: .oral, delivery: .infusion(rate: 20)),
        Dose(time: 12, amount: 100, unit: .milligram, route: .oral),
        Dose(time: 13, amount: 100, unit: .milligram, compartment: 1),
    ]
    static let times: [Double] = [0.2, 0.5, 1, 2, 3, 3.5, 5, 6.05, 7, 8.5, 9, 10.5, 12, 12.7, 13.2, 15, 18, 24, 36]

    /// |closed − ODE| ≤ 1e-7·max(|ODE|, 0.01 mg/L): the ODE solution at rtol 1e-10 / atol 1e-12
    /// carries a global error of a few 1e-9 relative; the floor covers the zero before the lag.
    func expectAgreement<M: PhysiologicalModel>(_ model: M, doses: [Dose], hours: Double, times: [Double]) throws {
        let closed = try #require(LinearPKModel(matching: model))
        let p = LinearPKFixture.parameters(compartments: closed.compartments)
        var record = PatientRecord(id: "linpk")
        record.doses = doses
        let sim = try model.simulate(parameters: p, record: record, hours: hours,
                                     options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12), gridHours: times)
        let ode = sim.values.map { $0[0] }
        let c = try LinearPKFixture.values(closed, times, try doses.map(LinearPKDose.init(from:)), p)
        #expect(ode.count == times.count)
        for (i, t) in times.enumerated() {
            #expect(abs(c[i] - ode[i]) <= 1e-7 * max(abs(ode[i]), 0.01), "\(model.name) t = \(t): \(c[i]) vs \(ode[i])")
        }
    }

    @Test func oneCompartmentMixedDosesMatchTheODE() throws {
        try expectAgreement(OneCompartmentPK(), doses: Self.record, hours: 36, times: Self.times)
    }

    @Test func twoCompartmentMixedDosesMatchTheODE() throws {
        try expectAgreement(TwoCompartmentPK(), doses: Self.record, hours: 36, times: Self.times)
    }

    @Test func threeCompartmentMixedDosesMatchTheODE() throws {
        try expectAgreement(ThreeCompartmentPK(), doses: Self.record, hours: 36, times: Self.times)
    }

    @Test func steadyStateDosesMatchTheODE() throws {
        // The ODE path sets the periodic steady state at an SS dose (TwinModels SteadyState):
        // an oral SS = 1 dose q12h with lag (wiping an earlier dose), then an additive SS = 2
        // 1-h infusion q8h into the central compartment.
        let doses = [
            Dose(time: 0, amount: 70, unit: .milligram, route: .intravenous),
            Dose(time: 2, amount: 100, unit: .milligram, route: .oral, steadyState: SteadyState(kind: .reset, interval: 12)),
            Dose(time: 20, amount: 60, unit: .milligram, delivery: .infusion(duration: 1), compartment: 2,
                 steadyState: SteadyState(kind: .additive, interval: 8)),
        ]
        let times: [Double] = [1, 2.1, 2.5, 4, 9, 14, 19, 20.5, 21, 23, 30]
        try expectAgreement(OneCompartmentPK(), doses: doses, hours: 30, times: times)
        try expectAgreement(TwoCompartmentPK(), doses: doses, hours: 30, times: times)
        try expectAgreement(ThreeCompartmentPK(), doses: doses, hours: 30, times: times)
    }

    @Test func matchingKnowsOnlyTheLinearPKModels() throws {
        #expect(LinearPKModel(matching: OneCompartmentPK())?.compartments == 1)
        #expect(LinearPKModel(matching: TwoCompartmentPK())?.compartments == 2)
        #expect(LinearPKModel(matching: ThreeCompartmentPK())?.compartments == 3)
        #expect(LinearPKModel(matching: MichaelisMentenPK()) == nil)
        // Same names, same order as the ODE models, so that a fit can switch paths.
        #expect(try LinearPKModel(compartments: 1).parameterNames == OneCompartmentPK().parameters.map(\.name))
        #expect(try LinearPKModel(compartments: 2).parameterNames == TwoCompartmentPK().parameters.map(\.name))
        #expect(try LinearPKModel(compartments: 3).parameterNames == ThreeCompartmentPK().parameters.map(\.name))
    }
}
