import Foundation
import Testing
import TwinODE
import TwinWorkloads
import _TwinTestSupport

@Suite struct EventTests {
    /// Closed form of the two-compartment oral model for one 100 mg dose at t = 0, by the matrix
    /// exponential of its (linear) system: eigenvalues −ka and the two roots of
    /// λ² + (k10 + k12 + k21)λ + k10·k21 = 0 (Gibaldi and Perrier 1982, Pharmacokinetics, ch. 2).
    static func centralAmount(_ t: Double, dose: Double, p: [Double]) -> Double {
        if t < 0 { return 0 }
        let (ka, k10, k12, k21) = (p[0], p[1] / p[2], p[3] / p[2], p[3] / p[4])
        let s = k10 + k12 + k21
        let root = (s * s - 4 * k10 * k21).squareRoot()
        let alpha = (s + root) / 2, beta = (s - root) / 2
        // Central amount: ka·D·[ (k21−α)e^(−αt)/((ka−α)(β−α)) + (k21−β)e^(−βt)/((ka−β)(α−β)) + (k21−ka)e^(−ka t)/((α−ka)(β−ka)) ]
        let a = (k21 - alpha) * exp(-alpha * t) / ((ka - alpha) * (beta - alpha))
        let b = (k21 - beta) * exp(-beta * t) / ((ka - beta) * (alpha - beta))
        let c = (k21 - ka) * exp(-ka * t) / ((alpha - ka) * (beta - ka))
        return ka * dose * (a + b + c)
    }

    @Test(arguments: ["DP5", "Tsit5", "Rodas4", "BDF"])
    func repeatedDosesLandExactlyAndMatchSuperposition(_ name: String) throws {
        let algorithm: any ODEAlgorithm = [DormandPrince5(), Tsitouras5(), Rodas4(), BDF()].first { $0.name == name }!
        let p = TwoCompartmentOral.typicalParameters
        let doseTimes: [Double] = [0, 12, 24, 36, 48]
        let problem = try ODEProblem(system: TwoCompartmentOral(), initialState: [0, 0, 0], timeSpan: (0, 72), parameters: p,
                                     timeEvents: doseTimes.map { TimeEvent(time: $0, action: .addToState(state: 0, amount: 100)) })
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-10))
        #expect(sol.status == .success)
        // Every dose time is a mesh point: no step straddles a dose.
        for dose in doseTimes.dropFirst() { #expect(sol.times.contains(dose), "\(name): \(dose) not a mesh point") }
        // The linear model superposes: central(t) = Σ doses central₁(t − t_d).
        for t in stride(from: 1.0, through: 72, by: 5.5) {
            let exact = doseTimes.reduce(0) { $0 + Self.centralAmount(t - $1, dose: 100, p: p) }
            let y = try #require(sol(t))
            #expect(isRelativelyClose(y[1], exact, tolerance: 1e-7), "\(name) t=\(t): \(y[1]) vs \(exact)")
        }
    }

    @Test func infusionSwitchesARateOnAndOff() throws {
        // y′ = r − k·y with r (parameter 1) switched to 10 mg/h on [2, 5): y = (r/k)(1 − e^(−k(t−2)))
        // during, then decays. A one-line system using ExponentialDecay's shape plus an input.
        struct Infusion: ODESystem {
            var stateCount: Int { 1 }
            var parameterCount: Int { 2 }
            func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
                dy[0] = p[1] - p[0] * y[0]
            }
        }
        let k = 0.5, r = 10.0
        let problem = try ODEProblem(system: Infusion(), initialState: [0], timeSpan: (0, 10), parameters: [k, 0],
                                     timeEvents: [TimeEvent(time: 2, action: .setParameter(parameter: 1, value: r)),
                                                  TimeEvent(time: 5, action: .setParameter(parameter: 1, value: 0))])
        let sol = try problem.solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        let atEnd = r / k * (1 - exp(-k * 3))
        #expect(isClose(try #require(sol(1.5))[0], 0, tolerance: 1e-12))
        #expect(isRelativelyClose(try #require(sol(5))[0], atEnd, tolerance: 1e-9))
        #expect(isRelativelyClose(sol.finalState[0], atEnd * exp(-k * 5), tolerance: 1e-8))
    }

    @Test(arguments: ["DP5", "Tsit5", "Rodas4", "BDF"])
    func stateEventIsLocatedAtTheClosedFormTime(_ name: String) throws {
        let algorithm: any ODEAlgorithm = [DormandPrince5(), Tsitouras5(), Rodas4(), BDF()].first { $0.name == name }!
        // y′ = −y from 1 falls through 0.5 at t = ln 2.
        let event = StateEvent(name: "half", direction: .falling, action: .stop) { _, y in y[0] - 0.5 }
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 5), parameters: [1], stateEvents: [event])
        let sol = try problem.solve(using: algorithm, options: ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14))
        guard case let .terminatedByEvent(time, eventName) = sol.status else {
            Issue.record("\(name): status \(sol.status)"); return
        }
        #expect(eventName == "half")
        // On the dense output the crossing is located to ~1e-15; the true time ln 2 to rtol 1e-10.
        #expect(abs(sol.finalState[0] - 0.5) < 1e-10, "\(name)")
        #expect(isRelativelyClose(time, log(2.0), tolerance: 1e-10), "\(name): \(time) vs \(log(2.0))")
        #expect(sol.finalTime == time)
        #expect(sol.events.count == 1)
    }

    @Test func eventDirectionIsRespected() throws {
        // cos t from t = 0 crosses zero falling at π/2 and rising at 3π/2.
        let rising = StateEvent(name: "rising", direction: .rising, action: .record) { _, y in y[0] }
        let falling = StateEvent(name: "falling", direction: .falling, action: .record) { _, y in y[0] }
        let problem = try ODEProblem(system: HarmonicOscillator(), initialState: [1, 0], timeSpan: (0, 7), parameters: [1],
                                     stateEvents: [rising, falling])
        let sol = try problem.solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(sol.status == .success)
        #expect(sol.events.map(\.name) == ["falling", "rising"])
        #expect(abs(sol.events[0].time - Double.pi / 2) < 1e-8)
        #expect(abs(sol.events[1].time - 3 * Double.pi / 2) < 1e-8)
    }

    @Test func modifyingEventChangesTheStateAndContinues() throws {
        // Glucose-style rescue: whenever y falls below 0.25, add 0.5 (y′ = −y from 1).
        // Crossings at ln 4, then every ln 3 after (0.75 → 0.25): 1.386, 2.485, 3.584, 4.682.
        let rescue = StateEvent(name: "rescue", direction: .falling, action: .modify { _, y in y[0] += 0.5 }) { _, y in y[0] - 0.25 }
        let problem = try ODEProblem(system: ExponentialDecay(), initialState: [1], timeSpan: (0, 5), parameters: [1], stateEvents: [rescue])
        let sol = try problem.solve(using: .dp5, options: ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13))
        #expect(sol.status == .success)
        let expected = (0..<4).map { log(4.0) + Double($0) * log(3.0) }
        #expect(sol.events.count == 4)
        for (event, time) in zip(sol.events, expected) { #expect(abs(event.time - time) < 1e-8) }
        #expect(isRelativelyClose(sol.finalState[0], 0.75 * exp(-(5 - expected[3])), tolerance: 1e-8))
    }
}
