import Foundation
import Testing
import TwinODE
import TwinWorkloads
import _TwinTestSupport

/// The shooting solver for periodic steady states (``ODEProblem/periodicSteadyState``).
@Suite struct PeriodicSteadyStateTests {
    static let options = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13)

    /// A bolus D every τ into y′ = −k·y: the trough is D·e^(−kτ)/(1 − e^(−kτ)) (the accumulation
    /// ratio; Gibaldi and Perrier 1982, ch. 3).
    @Test func findsTheTroughOfARepeatedBolus() throws {
        let (dose, k, tau) = (100.0, 0.1, 12.0)
        let period = try ODEProblem(system: ExponentialDecay(), initialState: [0], timeSpan: (0, tau), parameters: [k],
                                    timeEvents: [TimeEvent(time: 0, action: .addToState(state: 0, amount: dose))])
        let result = try period.periodicSteadyState(scale: dose, using: .tsit5, options: Self.options)
        #expect(result.isConverged, "\(result.outcome)")
        let exact = dose * exp(-k * tau) / (1 - exp(-k * tau))
        // rtol 1e-11 solves, converged to 1e-10 of the dose: 1e-9 relative leaves 10× room.
        #expect(isRelativelyClose(result.state[0], exact, tolerance: 1e-9), "\(result.state[0]) vs \(exact)")
        // Linear: Φ is affine, one Newton step lands on y*, the next iteration confirms it.
        #expect(result.iterations <= 2)
    }

    /// Without elimination every period adds the dose: no fixed point. An outcome, not a throw.
    @Test func reportsAMapWithoutAFixedPointAsAnOutcome() throws {
        let period = try ODEProblem(system: ExponentialDecay(), initialState: [0], timeSpan: (0, 12), parameters: [0],
                                    timeEvents: [TimeEvent(time: 0, action: .addToState(state: 0, amount: 100))])
        let result = try period.periodicSteadyState(scale: 100, using: .tsit5, options: Self.options)
        // J = ∂Φ/∂y − I is zero up to rounding in the differences: singular, or Newton's steps
        // wander until the iteration limit — either way a reported outcome.
        #expect(!result.isConverged, "\(result.outcome)")
        #expect(!result.outcome.description.isEmpty)
    }

    @Test func rejectsANonPositiveScale() throws {
        let period = try ODEProblem(system: ExponentialDecay(), initialState: [0], timeSpan: (0, 12), parameters: [0.1])
        #expect(throws: ODEError.invalidOption(name: "scale", value: 0, requirement: "finite and > 0")) {
            _ = try period.periodicSteadyState(scale: 0, using: .tsit5, options: Self.options)
        }
    }
}
