import Foundation
import Testing
import TwinODE
import TwinWorkloads
import _TwinTestSupport

/// The dose-time convention (post-dose wherever a solution is sampled, pre-dose on request) and
/// the exact peaks and troughs, against closed forms.
@Suite struct DoseTimeConventionTests {
    // One-compartment IV bolus: 100 mg q12h ×5 into V = 50 L with CL = 5 L/h (k = 0.1 /h).
    static let dose = 100.0, volume = 50.0, k = 0.1
    static let doseTimes: [Double] = [0, 12, 24, 36, 48]

    /// Closed form C(t) = Σ (D/V)·e^(−k(t − tᵢ)) (Gibaldi and Perrier 1982, ch. 1) over the doses
    /// at or before t (post-dose, the right limit) or strictly before t (pre-dose, the left limit).
    static func concentration(_ t: Double, preDose: Bool = false) -> Double {
        doseTimes.filter { preDose ? $0 < t : $0 <= t }.reduce(0) { $0 + dose / volume * exp(-k * (t - $1)) }
    }

    /// The solves run at rtol 1e-10: their global error stays far below 1e-7 relative, while the
    /// wrong side of a dose is off by the dose itself (2 mg/L against values of 0.6…2.9 mg/L).
    static let closedFormTolerance = 1e-7

    static let algorithms: [String] = ["DP5", "Tsit5", "Rodas4", "BDF"]
    static func algorithm(_ name: String) -> any ODEAlgorithm {
        [DormandPrince5(), Tsitouras5(), Rodas4(), BDF()].first { $0.name == name } ?? Tsitouras5()
    }

    static func bolusProblem() throws -> ODEProblem<ExponentialDecay> {
        try ODEProblem(system: ExponentialDecay(), initialState: [0], timeSpan: (0, 60), parameters: [k],
                       timeEvents: doseTimes.map { TimeEvent(time: $0, action: .addToState(state: 0, amount: dose)) })
    }

    @Test(arguments: algorithms)
    func gridTimeAtABolusGivesThePostDoseValueAtZeroAsElsewhere(_ name: String) throws {
        let times: [Double] = [0, 6, 12, 24, 36, 48, 48.5, 60]
        let sol = try Self.bolusProblem().solve(using: Self.algorithm(name),
                                                options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, save: .times(times)))
        #expect(sol.status == .success)
        #expect(sol.times == times, "one row per time without saveLeftLimits")
        #expect(sol.isLeftLimit == Array(repeating: false, count: times.count))
        for (t, y) in zip(sol.times, sol.states) {
            let c = y[0] / Self.volume
            #expect(isRelativelyClose(c, Self.concentration(t), tolerance: Self.closedFormTolerance), "\(name) C(\(t)) = \(c)")
        }
    }

    @Test(arguments: algorithms)
    func saveLeftLimitsAddsAMarkedPreDoseRowBeforeEachPostDoseRow(_ name: String) throws {
        var options = ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, save: .times([0, 6, 12, 24, 30, 48, 60]))
        options.saveLeftLimits = true
        let sol = try Self.bolusProblem().solve(using: Self.algorithm(name), options: options)
        #expect(sol.times == [0, 0, 6, 12, 12, 24, 24, 30, 48, 48, 60])
        #expect(sol.isLeftLimit == [true, false, false, true, false, true, false, false, true, false, false])
        for (i, t) in sol.times.enumerated() {
            let c = sol.state(at: i)[0] / Self.volume
            let exact = Self.concentration(t, preDose: sol.isLeftLimit[i])
            // The trough before the first dose is exactly 0 (the initial state).
            if exact == 0 { #expect(c == 0); continue }
            #expect(isRelativelyClose(c, exact, tolerance: Self.closedFormTolerance), "\(name) row \(i) C(\(t)) = \(c), closed form \(exact)")
        }
    }

    @Test func evaluatingAtADoseTimeGivesPostDoseAndTheLeftSideOnRequest() throws {
        let sol = try Self.bolusProblem().solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(sol.discontinuities.map(\.time) == Self.doseTimes)
        for t in Self.doseTimes {
            let post = try #require(sol(t))[0] / Self.volume, pre = try #require(sol(t, side: .left))[0] / Self.volume
            #expect(isRelativelyClose(post, Self.concentration(t), tolerance: Self.closedFormTolerance), "C(\(t)⁺)")
            #expect(isClose(pre, Self.concentration(t, preDose: true), tolerance: Self.closedFormTolerance), "C(\(t)⁻)")
            // The jump is the dose, to the rounding of the stored states.
            #expect(abs((post - pre) - Self.dose / Self.volume) < 1e-12, "jump at \(t)")
        }
        // Between doses both sides are the one continuous value.
        #expect(try #require(sol(30))[0] == (try #require(sol(30, side: .left)))[0])
    }

    @Test(arguments: algorithms)
    func repeatedBolusesPeakAfterEachDoseAndTroughJustBefore(_ name: String) throws {
        let sol = try Self.bolusProblem().solve(using: Self.algorithm(name), options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        let extrema = try #require(sol.extrema { _, y in y[0] / Self.volume })
        // The largest value is the post-dose value at the last dose: Σ_{i=0}^{4} 2·e^(−0.1·12i) = 2.8549… mg/L at 48 h.
        #expect(extrema.maximum.time == 48 && extrema.maximum.side == .right)
        #expect(isRelativelyClose(extrema.maximum.value, Self.concentration(48), tolerance: Self.closedFormTolerance))
        #expect(extrema.peaks.map(\.time) == Self.doseTimes)
        for peak in extrema.peaks {
            #expect(isRelativelyClose(peak.value, Self.concentration(peak.time), tolerance: Self.closedFormTolerance), "\(name) peak at \(peak.time)")
        }
        // Troughs: just before each dose (0 before the first), and the end of the span, where C still falls.
        #expect(extrema.troughs.map(\.time) == Self.doseTimes + [60])
        #expect(extrema.troughs.dropLast().allSatisfy { $0.side == .left })
        for trough in extrema.troughs {
            let exact = Self.concentration(trough.time, preDose: trough.side == .left)
            #expect(isClose(trough.value, exact, tolerance: Self.closedFormTolerance), "\(name) trough at \(trough.time)")
        }
        #expect(extrema.minimum.time == 0 && extrema.minimum.value == 0 && extrema.minimum.side == .left)
    }

    @Test func severalQuantitiesAtOnceGiveWhatEachGivesAlone() throws {
        let sol = try Self.bolusProblem().solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        // C and a quantity falling where C rises (its troughs are C's peaks): one scan, two answers.
        let both = try #require(sol.extrema(count: 2) { _, y, out in out[0] = y[0] / Self.volume; out[1] = 10 - y[0] })
        #expect(both.count == 2)
        #expect(both[0] == sol.extrema { _, y in y[0] / Self.volume })
        #expect(both[1] == sol.extrema { _, y in 10 - y[0] })
        #expect(both[1].troughs.map(\.time) == Self.doseTimes)
    }

    /// y′ = R − k·y with R = 10 mg/h on [2, 5): the amount rises to (R/k)(1 − e^(−3k)) at the
    /// infusion's end, then decays — the peak is at 5 h, where the state is continuous.
    @Test(arguments: algorithms)
    func zeroOrderInfusionPeaksAtItsEnd(_ name: String) throws {
        struct Infusion: ODESystem {
            var stateCount: Int { 1 }
            var parameterCount: Int { 2 }
            func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
                dy[0] = p[1] - p[0] * y[0]
            }
        }
        let k = 0.5, rate = 10.0
        let problem = try ODEProblem(system: Infusion(), initialState: [0], timeSpan: (0, 10), parameters: [k, 0],
                                     timeEvents: [TimeEvent(time: 2, action: .addToParameter(parameter: 1, amount: rate)),
                                                  TimeEvent(time: 5, action: .addToParameter(parameter: 1, amount: -rate))])
        let sol = try problem.solve(using: Self.algorithm(name), options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        let extrema = try #require(sol.extrema { _, y in y[0] })
        let peak = rate / k * (1 - exp(-k * 3))
        #expect(extrema.maximum.time == 5, "\(name): the peak is the infusion's end, not a grid point near it")
        #expect(isRelativelyClose(extrema.maximum.value, peak, tolerance: Self.closedFormTolerance), "\(name): \(extrema.maximum.value) vs \(peak)")
        #expect(extrema.peaks.count == 1)
    }

    /// First-order absorption (Bateman): C(t) = (F·D/V)·kₐ/(kₐ − k)·(e^(−kt) − e^(−kₐt)) peaks
    /// between steps, at t_max = ln(kₐ/k)/(kₐ − k) — found from the dense output, not a grid.
    @Test(arguments: algorithms)
    func oralDosePeaksAtTheStationaryPointOfTheDenseOutput(_ name: String) throws {
        struct Oral: ODESystem {
            var stateCount: Int { 2 }
            var parameterCount: Int { 2 }
            func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
                dy[0] = -p[0] * y[0]
                dy[1] = p[0] * y[0] - p[1] * y[1]
            }
        }
        let ka = 1.5, k = 0.1
        let problem = try ODEProblem(system: Oral(), initialState: [0, 0], timeSpan: (0, 24), parameters: [ka, k],
                                     timeEvents: [TimeEvent(time: 0, action: .addToState(state: 0, amount: Self.dose))])
        let sol = try problem.solve(using: Self.algorithm(name), options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        let extrema = try #require(sol.extrema { _, y in y[1] / Self.volume })
        let tMax = log(ka / k) / (ka - k)
        let cMax = Self.dose / Self.volume * ka / (ka - k) * (exp(-k * tMax) - exp(-ka * tMax))
        // The value at a stationary point is insensitive to its time (second order): rtol-level.
        #expect(isRelativelyClose(extrema.maximum.value, cMax, tolerance: Self.closedFormTolerance), "\(name): \(extrema.maximum.value) vs \(cMax)")
        // Its time is first order in the interpolant's derivative error: 1e-4 h (0.4 s) is ample for a
        // 4th-order interpolant at rtol 1e-10, and 10⁴ times finer than any output grid.
        #expect(abs(extrema.maximum.time - tMax) < 1e-4, "\(name): t_max \(extrema.maximum.time) vs \(tMax)")
        #expect(extrema.peaks.count == 1)
    }
}
