import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// ``MyPK`` on a minute clock: CL in L/min, infusion input in mg/min, oral doses absorbed after a
/// lag of half an hour (``DoseEntry/lagHours``). The same patient as ``MyPK`` with CL/60.
private struct MinuteClockPK: PhysiologicalModel {
    var name: String { "my-pk-min" }
    var title: String { "One-compartment IV, minutes" }
    var reference: String { "Gibaldi M, Perrier D (1982) Pharmacokinetics, 2nd ed." }
    var timeUnit: ModelTimeUnit { .minute }
    var stateCount: Int { 1 }
    var parameterCount: Int { 3 }
    var states: [ModelState] { [.init("A", "mg", "amount in the body")] }
    var parameters: [ModelParameter] {
        [.init("CL", "L/min", "clearance", typical: 5.0 / 60, range: 1e-5...100),
         .init("V", "L", "volume", typical: 20, range: 0.1...10000)]
    }
    var inputs: [ModelInput] { [.init("R", "mg/min", "IV infusion")] }
    var outputs: [ModelOutput] { [.init("C", "mg/L", "concentration")] }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>,
                                     dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = p[2] - p[0] / p[1] * y[0]
    }
    func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry {
        try requireMass(dose)
        return DoseEntry(state: 0, input: 0, lagHours: dose.route == .oral ? 0.5 : 0)
    }
    func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) {
        out[0] = state[0] / parameters[1]
    }
}

@Suite struct ModelTimeTests {
    static let samples: [Double] = [0, 0.25, 1.0 / 3, 1, 7, 18.5, 24, 100.1, 8760]

    @Test(arguments: ModelTimeUnit.allCases)
    func timeHelperRoundTrips(unit: ModelTimeUnit) {
        for hours in Self.samples {
            // One multiplication and one division: back within 2 ulp.
            let back = unit.toHours(unit.fromHours(hours))
            #expect(abs(back - hours) <= 2 * hours.ulp, "\(unit): \(hours) h → \(unit.fromHours(hours)) \(unit.symbol) → \(back) h")
            let modelTime = unit.fromHours(hours)
            #expect(abs(unit.fromHours(unit.toHours(modelTime)) - modelTime) <= 2 * modelTime.ulp)
        }
    }

    @Test func timeHelperAppliesExactFactors() {
        // Whole hours are whole minutes, seconds and exact days: no rounded 1/60 on the way.
        #expect(ModelTimeUnit.minute.fromHours(7) == 420)
        #expect(ModelTimeUnit.minute.fromHours(18.5) == 1110)
        #expect(ModelTimeUnit.second.fromHours(2) == 7200)
        #expect(ModelTimeUnit.hour.fromHours(36) == 36)
        #expect(ModelTimeUnit.day.fromHours(48) == 2)
        #expect(ModelTimeUnit.day.toHours(2) == 48)
        #expect(ModelTimeUnit.minute.toHours(90) == 1.5)
        // 60 mg/h is 1 mg/min and 1/60 mg/s; 24 persons/h is 576 persons/day.
        #expect(ModelTimeUnit.minute.fromPerHour(60) == 1)
        #expect(ModelTimeUnit.day.fromPerHour(24) == 576)
    }

    /// UVA/Padova runs in minutes. Asked for a span and a grid in hours, it gives what a solve of
    /// the same problem saved at the matching minutes gives (the pre-issue-14 way: grid in
    /// model time).
    @Test func minuteModelWithHourGridMatchesModelTimeSolveAtSamePhysicalTimes() throws {
        let model = UVAPadova()
        let subject = try model.subject(named: "adult#001")
        let regimen = try Regimen(parsing: "45 g carbs at 07:00; 4.5 U sc over 1min at 07:00; 70 g carbs at 12:00")
        let options = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
        let gridHours: [Double] = [0, 0.5, 6.75, 7, 7.25, 8, 12, 12.5, 18, 24]
        let sim = try model.simulate(parameters: subject.parameters, regimen: regimen, hours: 24, options: options, gridHours: gridHours)
        #expect(sim.status == .success)
        #expect(sim.timeUnit == .minute)
        #expect(sim.times == [0, 30, 405, 420, 435, 480, 720, 750, 1080, 1440], "grid in the model's minutes")
        #expect(sim.timesInHours == gridHours)

        let problem = try model.problem(parameters: subject.parameters, regimen: regimen, hours: 24)
        #expect(problem.timeSpan.end == 1440)
        var direct = options
        direct.save = .times([0, 30, 405, 420, 435, 480, 720, 750, 1080, 1440])
        let reference = try problem.solve(using: Tsitouras5(), options: direct)
        #expect(reference.times == sim.times)
        // Same problem, same solver, same save times: the same numbers.
        for (row, state) in reference.states.enumerated() {
            #expect(sim.states[row] == state, "state at \(sim.times[row]) min")
        }
        let glucose = try #require(sim.series("glucose"))
        #expect(glucose[5] > glucose[3] + 10, "the 07:00 meal raises glucose by 08:00: \(glucose)")
    }

    /// The same one-compartment patient on an hour clock (``MyPK``) and a minute clock: bolus
    /// and infusion times, infusion and basal rates, the span and the grid all go through the one
    /// conversion, so concentrations agree at the same physical times.
    @Test func hourAndMinuteClocksGiveTheSameConcentrations() throws {
        let regimen = try Regimen(parsing: "100 mg iv over 1h q12h x3; 50 mg iv at 2h; basal 3 mg/h from 20h for 4h")
        let gridHours = stride(from: 0.0, through: 36, by: 0.25).map { $0 }
        let tight = ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        let hourly = try MyPK().simulate(parameters: [5, 20], regimen: regimen, hours: 36, options: tight, gridHours: gridHours)
        let minutely = try MinuteClockPK().simulate(parameters: [5.0 / 60, 20], regimen: regimen, hours: 36, options: tight,
                                                    gridHours: gridHours)
        #expect(hourly.status == .success && minutely.status == .success)
        #expect(minutely.times.last == 2160, "36 h is minute 2160")
        let a = try #require(hourly.series("C")), b = try #require(minutely.series("C"))
        // Two solves of one curve at rtol 1e-10 (the time scale differs by 60): agree to 1e-7.
        for (i, t) in gridHours.enumerated() {
            #expect(isRelativelyClose(a[i], b[i], tolerance: 1e-7), "C at \(t) h: \(a[i]) vs \(b[i])")
        }
    }

    @Test func absorptionLagIsInHoursOnAnyClock() throws {
        let regimen = try Regimen(parsing: "50 mg po at 2h; 100 mg iv over 1h at 12h")
        let events = try MinuteClockPK().standardDosingEvents(doses: regimen.doses(weight: nil), basal: [], parameters: [5.0 / 60, 20])
        let boluses = events.filter { if case .addToState = $0.action { return true } else { return false } }
        #expect(boluses.map(\.time) == [150], "50 mg po at 2 h with a 0.5 h lag lands at minute 150")
        let starts = events.compactMap { e -> Double? in
            if case let .addToParameter(_, amount) = e.action, amount > 0 { return e.time } else { return nil }
        }
        #expect(starts == [720], "the iv infusion at 12 h has no lag: minute 720")
        let rates = events.compactMap { e -> Double? in
            if case let .addToParameter(_, amount) = e.action, amount > 0 { return amount } else { return nil }
        }
        #expect(rates == [100.0 / 60], "100 mg over 1 h is 5/3 mg/min")
    }
}
