import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// The model of Documentation.docc/TwinModels.md, "Writing a model", verbatim: the example compiles and runs.
struct MyPK: PhysiologicalModel {
    var name: String { "my-pk" }
    var title: String { "One-compartment IV" }
    var reference: String { "Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed." }
    var timeUnit: ModelTimeUnit { .hour }
    var stateCount: Int { 1 }
    var parameterCount: Int { 3 }                        // CL, V, then the infusion input
    var states: [ModelState] { [.init("A", "mg", "amount in the body")] }
    var parameters: [ModelParameter] {
        [.init("CL", "L/h", "clearance", typical: 5, range: 0.001...1000),
         .init("V", "L", "volume", typical: 20, range: 0.1...10000)]
    }
    var inputs: [ModelInput] { [.init("R", "mg/h", "IV infusion")] }
    var outputs: [ModelOutput] { [.init("C", "mg/L", "concentration")] }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>,
                                     dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = p[2] - p[0] / p[1] * y[0]
    }
    func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try requireMass(dose)
        return DoseEntry(state: 0, input: 0)             // boluses into A, infusions into R
    }
    func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[0] / parameters[1]
    }
}

@Suite struct DocumentationExampleTests {
    @Test func theDocumentedModelRuns() throws {
        let sim = try MyPK().simulate(regimen: Regimen(parsing: "100 mg iv over 1h q12h x3"), hours: 36, points: 37)
        #expect(sim.status == .success)
        // Steady infusion of 100 mg/h for 1 h: C(1 h) = R/CL·(1 − e^(−CL/V)) (Gibaldi and Perrier 1982, ch. 2).
        let c = try #require(sim.series("C"))
        #expect(isRelativelyClose(c[1], 100.0 / 5 * (1 - exp(-5.0 / 20)), tolerance: 1e-7))
    }

    @Test func theOverviewExampleRuns() throws {
        let model = TwoCompartmentPK()
        var record = PatientRecord(id: "7")
        record.covariates[CovariateName.weight] = Covariate(value: 54, unit: .kilogram)
        let regimen = try Regimen(parsing: "100 mg po q12h x6; 200 mg iv over 1h at 80h")
        let problem = try model.problem(regimen: regimen, record: record, hours: 96, covariateRelations: .modelDefault)
        #expect(try problem.solve(using: .tsit5).status == .success)
        #expect(isRelativelyClose(problem.parameters[2], 20.0 * 54 / 70, tolerance: 1e-15))   // V1 × WT/70, as the comment says (two roundings)
        let sim = try model.simulate(regimen: regimen, record: record, hours: 96, points: 97)
        #expect(sim.series("C")?.count == 97)
    }

    /// "Hours in, model time inside", verbatim: a minute-clock model asked in hours.
    @Test func theHoursInExampleRuns() throws {
        let day = try UVAPadova().simulate(regimen: Regimen(parsing: "50 g carbs at 07:00"), hours: 24,
                                           gridHours: [0, 7, 8, 12])
        #expect(day.times == [0, 420, 480, 720])
        #expect(day.timesInHours == [0, 7, 8, 12])
    }
}
