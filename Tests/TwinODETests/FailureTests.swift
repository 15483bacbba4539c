import Foundation
import Testing
import TwinODE
import TwinWorkloads

/// Bad input is a thrown `ODEError` before any work; numerical failure is a status with the time
/// and advice, never a trap.
@Suite struct FailureTests {
    @Test func badProblemsAreRejectedBeforeAnyWork() {
        #expect(throws: ODEError.invalidTimeSpan(start: 0, end: -1)) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, -1), parameters: [1])
        }
        #expect(throws: ODEError.self) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, .nan), parameters: [1])
        }
        #expect(throws: ODEError.stateSizeMismatch(expected: 1, found: 2)) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1, 2], timeSpan: (0, 1), parameters: [1])
        }
        #expect(throws: ODEError.parameterCountMismatch(expected: 1, found: 0)) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 1))
        }
        #expect(throws: ODEError.nonFiniteValue(what: "parameters", index: 0, value: .infinity)) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 1), parameters: [.infinity])
        }
        #expect(throws: ODEError.self) {
            try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 1), parameters: [1],
                           timeEvents: [TimeEvent(time: 0.5, action: .addToState(state: 3, amount: 1))])
        }
    }

    @Test func badOptionsAreRejectedBeforeAnyWork() throws {
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 1), parameters: [1])
        #expect(throws: ODEError.invalidOption(name: "relativeTolerance", value: -1e-6, requirement: "≥ 0 and finite")) {
            try problem.solve(using: .tsit5, options: ODEOptions(relativeTolerance: -1e-6))
        }
        #expect(throws: ODEError.toleranceSizeMismatch(expected: 1, found: 2)) {
            try problem.solve(using: .tsit5, options: ODEOptions(absoluteTolerances: [1e-9, 1e-9]))
        }
        #expect(throws: ODEError.self) { try problem.solve(using: .tsit5, options: ODEOptions(save: .times([0.5, 2]))) }
        #expect(throws: ODEError.self) { try problem.solve(using: .tsit5, options: ODEOptions(save: .times([0.5, 0.25]))) }
        #expect(throws: ODEError.self) { try problem.solve(using: .tsit5, options: ODEOptions(maxStep: 0)) }
        let message = ODEError.invalidTimeSpan(start: 0, end: -1).description
        #expect(message.contains("end -1.0 is not after start 0.0"))
    }

    @Test func tooManyStepsIsAStatusWithAdvice() throws {
        // Robertson with an explicit method needs tens of thousands of steps.
        let problem = try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, 1e5), parameters: Robertson.typicalParameters)
        let sol = try problem.solve(using: .tsit5, options: ODEOptions(maxSteps: 500))
        guard case let .tooManySteps(time, steps) = sol.status else { Issue.record("status \(sol.status)"); return }
        #expect(steps >= 500 && time > 0 && time < 1e5)
        #expect(sol.status.advice.contains("stiff solver"))
        #expect(sol.finalTime == time)
    }

    @Test(arguments: ["Tsit5", "Rodas4", "BDF"])
    func blowUpEndsWithAStatusNotATrap(_ name: String) throws {
        // y′ = y² from 1 blows up at t = 1.
        struct BlowUp: ODESystem {
            var stateCount: Int { 1 }
            var parameterCount: Int { 0 }
            func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
                dy[0] = y[0] * y[0]
            }
        }
        let algorithm: any ODEAlgorithm = [Tsitouras5() as any ODEAlgorithm, Rodas4(), BDF()].first { $0.name == name }!
        let problem = try ODEProblem(system: BlowUp(), initialState: [1], timeSpan: (0, 2))
        let sol = try problem.solve(using: algorithm, options: ODEOptions(maxSteps: 20_000))
        #expect(!sol.status.isSuccess, "\(name)")
        #expect(sol.finalTime < 1 + 1e-3 && sol.finalTime > 0.9, "\(name): \(sol.status)")
    }

    struct Fragile: ODESystem {
        /// Recoverable failure for negative states (a square root of a concentration), unrecoverable past t = 3.
        var stateCount: Int { 1 }
        var parameterCount: Int { 0 }
        func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
            if t.primal > 3 { throw .unrecoverable("model undefined after 3 h") }
            if y[0].primal < 0 { throw .recoverable("negative amount") }
            dy[0] = -S.sqrt(y[0])
        }
    }

    @Test func recoverableFailureRetriesWithSmallerStepsAndUnrecoverableStops() throws {
        // y′ = −√y from 1: y = (1 − t/2)², reaching 0 at t = 2; trial stages past 0 fail recoverably.
        let problem = try ODEProblem(system: Fragile(), initialState: [1], timeSpan: (0, 1.9))
        let sol = try problem.solve(using: .dp5, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-12))
        #expect(sol.status == .success)
        #expect(abs(sol.finalState[0] - 0.05 * 0.05) < 1e-7)
        let beyond = try ODEProblem(system: Fragile(), initialState: [1], timeSpan: (2.5, 4))
        let failed = try beyond.solve(using: .tsit5)
        guard case let .rightHandSideFailed(time, message) = failed.status else { Issue.record("status \(failed.status)"); return }
        #expect(message == "model undefined after 3 h")
        #expect(time <= 3 && time > 2.5)
    }

    @Test func nanJacobianEndsWithSingularMatrixStatus() throws {
        struct BadJacobian: ODESystem {
            var stateCount: Int { 1 }
            var parameterCount: Int { 0 }
            func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
                dy[0] = -y[0]
            }
            func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) -> Bool {
                jacobian[0] = .nan
                return true
            }
        }
        let problem = try ODEProblem(system: BadJacobian(), initialState: [1], timeSpan: (0, 1))
        for algorithm in [Rodas4() as any ODEAlgorithm, BDF()] {
            let sol = try problem.solve(using: algorithm)
            guard case .singularIterationMatrix = sol.status else { Issue.record("\(algorithm.name): \(sol.status)"); continue }
        }
    }
}
