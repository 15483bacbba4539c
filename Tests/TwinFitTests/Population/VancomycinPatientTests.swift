import Testing
import TwinData
import TwinModels
import TwinODE
@testable import TwinFit

@Suite("Bundled vancomycin patient")
struct VancomycinPatientTests {
    // Examples/make_vancomycin_patient.py (SciPy 1.17.1 solve_ivp, Radau, rtol 1e-10, atol 1e-12)
    // printed the patient's true parameters CL 1.7673015434 L/h, V1 68.6505569085 L,
    // V2 54.3597964493 L, Q 6.5 L/h and noise-free concentrations 16.7099958588 mg/L (35.5 h)
    // and 28.2179662738 mg/L (38 h). Both solvers at ≤ 1e-10 relative tolerance, so 1e-7 relative
    // covers them and the script's 10 printed digits.
    @Test("pk-2cmt reproduces the generator's noise-free levels from the file's doses")
    func generatorAgreesWithModel() throws {
        let record = try PopulationFixtures.patient()
        let p = [1, 1.7673015434, 68.6505569085, 6.5, 54.3597964493, 1, 0]
        let sim = try TwoCompartmentPK().simulate(parameters: p, record: record, hours: 40,
                                                  options: ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-12),
                                                  gridHours: [35.5, 38])
        let c = sim.values.map { $0[0] }
        #expect(c.count == 2)
        #expect(abs(c[0] - 16.7099958588) <= 1e-7 * 16.71)
        #expect(abs(c[1] - 28.2179662738) <= 1e-7 * 28.22)
    }

    @Test("MAP individualisation of the bundled patient with the Goti prior moves CL toward the truth")
    func individualisation() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        let record = try PopulationFixtures.patient()
        let spec = try goti.fitSpecification(model: TwoCompartmentPK(), record: record)
        let fit = try IndividualFitter(specification: spec).fit(record)
        #expect(fit.converged)
        // Typical CL for CRCL 64 mL/min is 2.72 L/h (4.5·(64/120)^0.8); the patient was drawn with
        // CL 1.77 L/h and a trough of 17.8 mg/L well above the typical prediction, so the MAP CL
        // lies below the typical value (the direction, not a number: two levels are little data).
        let cl = try #require(fit.estimates.first)
        #expect(cl < 2.7215197863192655)
    }
}
