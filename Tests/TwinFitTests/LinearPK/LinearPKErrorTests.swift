import Testing
import TwinData
import TwinFit

/// Every ``LinearPKError`` case from the input that should raise it, and the dose mapping.
@Suite("Closed-form linear PK input checks")
struct LinearPKErrorTests {
    let oral: [LinearPKDose]

    init() throws { oral = [try LinearPKDose(time: 0, amount: 100)] }

    func evaluate(_ compartments: Int, _ p: [Double], times: [Double] = [1]) throws(LinearPKError) {
        var c: [Double] = []
        try LinearPKModel(compartments: compartments).concentrations(at: times, doses: oral, parameters: p, into: &c)
    }

    @Test func compartmentCountMustBeOneToThree() {
        #expect(throws: LinearPKError.unsupportedCompartmentCount(4)) { try LinearPKModel(compartments: 4) }
        #expect(throws: LinearPKError.unsupportedCompartmentCount(0)) { try LinearPKModel(compartments: 0) }
    }

    @Test func parameterVectorIsChecked() {
        #expect(throws: LinearPKError.wrongParameterCount(expected: 7, found: 5)) { try evaluate(2, LinearPKFixture.oneCompartment) }
        #expect(throws: LinearPKError.invalidParameter(name: "CL", value: 0)) { try evaluate(1, [1, 0, 30, 1, 0]) }
        #expect(throws: LinearPKError.invalidParameter(name: "ka", value: -1)) { try evaluate(1, [-1, 3, 30, 1, 0]) }
        #expect(throws: LinearPKError.invalidParameter(name: "V3", value: .infinity)) {
            try evaluate(3, [1, 5, 15, 8, 30, 2, .infinity, 1, 0])
        }
        #expect(throws: LinearPKError.invalidParameter(name: "F", value: -0.5)) { try evaluate(1, [1, 3, 30, -0.5, 0]) }
        #expect(throws: LinearPKError.invalidParameter(name: "tlag", value: -1)) { try evaluate(2, [1, 4, 20, 6, 40, 1, -1]) }
        #expect(throws: LinearPKError.invalidDoseValue(what: "evaluation time (h)", value: .infinity)) {
            try evaluate(1, LinearPKFixture.oneCompartment, times: [1, .infinity])
        }
    }

    @Test func doseValuesAreChecked() {
        #expect(throws: LinearPKError.invalidDoseValue(what: "dose amount (mg)", value: -1)) { try LinearPKDose(time: 0, amount: -1) }
        #expect(throws: LinearPKError.invalidDuration(-1)) { try LinearPKDose(time: 0, amount: 1, duration: -1) }
        #expect(throws: LinearPKError.negativeLag(-0.5)) { try LinearPKDose(time: 0, amount: 1, lag: -0.5) }
        #expect(throws: LinearPKError.invalidBioavailability(-0.1)) { try LinearPKDose(time: 0, amount: 1, bioavailability: -0.1) }
        #expect(throws: LinearPKError.invalidSteadyStateInterval(interval: 2, duration: 2)) {
            try LinearPKDose(time: 0, amount: 1, duration: 2, steadyStateInterval: 2)
        }
        #expect(throws: LinearPKError.invalidSteadyStateInterval(interval: 0, duration: 0)) {
            try LinearPKDose(time: 0, amount: 1, steadyStateInterval: 0)
        }
    }

    @Test func recordDosesTheClosedFormCannotTakeAreRejected() {
        #expect(throws: LinearPKError.unsupportedDoseUnit("U")) {
            try LinearPKDose(from: Dose(time: 0, amount: 4, unit: .insulinUnit, route: .subcutaneous))
        }
        #expect(throws: LinearPKError.unsupportedDoseCompartment(3)) {
            try LinearPKDose(from: Dose(time: 0, amount: 4, unit: .milligram, compartment: 3))
        }
        #expect(throws: LinearPKError.self) {
            try LinearPKDose(from: Dose(time: 0, amount: 4, unit: .milligram, delivery: .modelledRate))
        }
        #expect(throws: LinearPKError.invalidSteadyStateInterval(interval: 0, duration: 0)) {
            try LinearPKDose(from: Dose(time: 0, amount: 4, unit: .milligram, steadyState: SteadyState(kind: .reset, interval: 0)))
        }
    }

    @Test func messagesNameTheProblem() {
        #expect(LinearPKError.invalidParameter(name: "CL", value: 0).description.contains("CL"))
        #expect(LinearPKError.wrongParameterCount(expected: 7, found: 5).description.contains("7"))
        #expect(LinearPKError.unsupportedDoseUnit("U").description.contains("U"))
        #expect(LinearPKError.invalidSteadyStateInterval(interval: 1, duration: 2).description.contains("2.0 h"))
    }

    @Test func recordDosesMapLikeTheODEModels() throws {
        // PKDosing.entry: IV route → central, no F, no lag; CMT 1 → depot with the record's F and
        // lag; µg → mg; a rate (mg/h) → a duration.
        let iv = try LinearPKDose(from: Dose(time: 1, amount: 5000, unit: .microgram, route: .intravenous, bioavailability: 0.5, lag: 1))
        #expect(iv.target == .central && iv.amount == 5 && iv.bioavailability == nil && iv.lag == nil)
        let depot = try LinearPKDose(from: Dose(time: 2, amount: 100, unit: .milligram, route: .intravenous,
                                                delivery: .infusion(rate: 50), compartment: 1, bioavailability: 0.5, lag: 1,
                                                steadyState: SteadyState(kind: .additive, interval: 12)))
        #expect(depot.target == .depot && depot.duration == 2 && depot.bioavailability == 0.5 && depot.lag == 1)
        #expect(depot.steadyStateInterval == 12 && !depot.resetsToSteadyState)
    }
}
