import Testing
import TwinData
import TwinFit
import TwinModels

/// The two prediction paths agree, values and Jacobians, including the parameters that move or
/// size events — the lag time (moves the dose), F (scales a dose that states its own F) — whose
/// ODE-path columns are finite differences of whole solves, and the closed form's exact
/// derivatives (LinearPK's, checked there against finite differences of the closed form).
@Suite struct PredictorAgreementTests {
    static func record() -> PatientRecord {
        var r = PatientRecord(id: "lag")
        r.doses = [Dose(time: 0, amount: 320, unit: .milligram, route: .oral, compartment: 1),
                   Dose(time: 12, amount: 200, unit: .milligram, route: .oral, compartment: 1, bioavailability: 0.6),
                   Dose(time: 20, amount: 100, unit: .milligram, route: .intravenous, delivery: .infusion(duration: 1), compartment: 2)]
        r.observations = [0.8, 2, 5, 12.5, 14, 20.5, 24].map {
            Observation(time: $0, quantity: "DV", value: 1, unit: .milligramPerLiter, compartment: 2)
        }
        return r
    }

    @Test(arguments: [false, true])
    func odeAndClosedFormAgreeOnValuesAndJacobians(twoCompartments: Bool) throws {
        let record = Self.record()
        let values: [Double]
        let odeJ: [Double], closedJ: [Double], odeF: [Double]
        if twoCompartments {
            let model = TwoCompartmentPK()
            let p = [1.3, 4, 30, 3, 45, 0.8, 0.4], indices = Array(0..<7)
            (values, closedJ) = try Self.evaluate(ClosedFormPredictor(model: model, record: record, parameterIndices: indices), p)
            (odeF, odeJ) = try Self.evaluate(ODEPredictor(model: model, record: record, parameterIndices: indices, start: p,
                                                          relativeTolerance: 1e-12, absoluteTolerance: 1e-13), p)
        } else {
            let model = OneCompartmentPK()
            let p = [1.3, 4, 30, 0.8, 0.4], indices = Array(0..<5)
            let odePredictor = try ODEPredictor(model: model, record: record, parameterIndices: indices, start: p,
                                                relativeTolerance: 1e-12, absoluteTolerance: 1e-13)
            // F and tlag move or size events; ka, CL, V do not.
            #expect(odePredictor.finiteDifferenceColumns == [3, 4])
            (values, closedJ) = try Self.evaluate(ClosedFormPredictor(model: model, record: record, parameterIndices: indices), p)
            (odeF, odeJ) = try Self.evaluate(odePredictor, p)
        }
        for i in values.indices { #expect(abs(values[i] - odeF[i]) <= 1e-8 * max(values[i], 1e-3), "C[\(i)]") }
        // Finite-difference columns (step 1e-5 relative of whole solves at rtol 1e-12): ~1e-6.
        let scale = closedJ.map(abs).max() ?? 1
        for k in closedJ.indices { #expect(abs(closedJ[k] - odeJ[k]) <= 1e-5 * scale, "J[\(k)] \(closedJ[k]) vs \(odeJ[k])") }
    }

    static func evaluate<P: ObservationPredictor>(_ predictor: P?, _ p: [Double]) throws -> ([Double], [Double]) {
        var predictor = try #require(predictor)
        var f = [Double](repeating: 0, count: predictor.observationCount)
        var j = [Double](repeating: 0, count: predictor.observationCount * predictor.parameterIndices.count)
        #expect(predictor.predict(p, values: &f, jacobian: &j))
        return (f, j)
    }
}
