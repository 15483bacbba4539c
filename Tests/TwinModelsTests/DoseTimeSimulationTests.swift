import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// `simulate` follows the dose-time convention (post-dose grid values, pre-dose rows on
/// request) and finds exact peaks and troughs, against the one-compartment closed forms.
@Suite struct DoseTimeSimulationTests {
    /// pk-1cmt with CL = 5 L/h and V = 50 L (k = 0.1 /h); ka, F, tlag play no part in IV doses.
    static let parameters = [1.5, 5, 50, 1, 0]
    static let volume = 50.0, k = 0.1

    /// C(t) = Σ (D/V)·e^(−k(t − tᵢ)) over the boluses at or before t (post-dose) or strictly
    /// before t (pre-dose) (Gibaldi and Perrier 1982, ch. 1).
    static func bolusConcentration(_ t: Double, doses: [Double], amount: Double = 100, preDose: Bool = false) -> Double {
        doses.filter { preDose ? $0 < t : $0 <= t }.reduce(0) { $0 + amount / volume * exp(-k * (t - $1)) }
    }

    static let doseTimes: [Double] = [0, 12, 24, 36, 48]

    /// At simulate's default tolerances (rtol 1e-8, atol 1e-10) the global error stays below
    /// 1e-6 relative; the wrong side of a dose is off by 2 mg/L.
    static let closedFormTolerance = 1e-6

    @Test func gridAtDoseTimesHoldsPostDoseValues() throws {
        let sim = try OneCompartmentPK().simulate(parameters: Self.parameters, regimen: Regimen(parsing: "100 mg iv q12h x5"),
                                                  hours: 60, points: 121)
        let c = try #require(sim.series("C"))
        #expect(sim.times.count == 121 && !sim.isLeftLimit.contains(true))
        for (t, value) in zip(sim.times, c) {
            #expect(isRelativelyClose(value, Self.bolusConcentration(t, doses: Self.doseTimes), tolerance: Self.closedFormTolerance),
                    "C(\(t) h) = \(value)")
        }
        // The old pre-dose grid value at 48 h was 0.855 mg/L; post-dose it is the peak, 2.855 mg/L.
        let at48 = try #require(sim.times.firstIndex(of: 48))
        #expect(c[at48] > 2.85)
    }

    @Test func bothSidesOfDosesAddsDoseTimesAndMarkedPreDoseRows() throws {
        // 7 points over 60 h (every 10 h) miss the doses at 12, 24, 36 and 48 h: they join the grid.
        let sim = try OneCompartmentPK().simulate(parameters: Self.parameters, regimen: Regimen(parsing: "100 mg iv q12h x5"),
                                                  hours: 60, points: 7, bothSidesOfDoses: true)
        #expect(sim.times == [0, 0, 10, 12, 12, 20, 24, 24, 30, 36, 36, 40, 48, 48, 50, 60])
        let c = try #require(sim.series("C"))
        for (i, t) in sim.times.enumerated() {
            let left = sim.isLeftLimit[i]
            #expect(left == (i + 1 < sim.times.count && sim.times[i + 1] == t), "row \(i): only the first of a pair is pre-dose")
            let exact = Self.bolusConcentration(t, doses: Self.doseTimes, preDose: left)
            if exact == 0 { #expect(c[i] == 0); continue }
            #expect(isRelativelyClose(c[i], exact, tolerance: Self.closedFormTolerance), "row \(i) C(\(t) h) = \(c[i]) vs \(exact)")
        }
    }

    @Test func extremaOfRepeatedBolusesAreTheClosedFormPeaksAndTroughs() throws {
        let sim = try OneCompartmentPK().simulate(parameters: Self.parameters, regimen: Regimen(parsing: "100 mg iv q12h x5"),
                                                  hours: 60, points: 121)
        let extrema = try #require(sim.extrema(of: "c"))
        #expect(extrema.peaks.map(\.time) == Self.doseTimes)
        for peak in extrema.peaks {
            #expect(isRelativelyClose(peak.value, Self.bolusConcentration(peak.time, doses: Self.doseTimes), tolerance: Self.closedFormTolerance))
        }
        #expect(extrema.troughs.map(\.time) == Self.doseTimes + [60])
        for trough in extrema.troughs where trough.time > 0 {
            let exact = Self.bolusConcentration(trough.time, doses: Self.doseTimes, preDose: trough.side == .left)
            #expect(isRelativelyClose(trough.value, exact, tolerance: Self.closedFormTolerance), "trough at \(trough.time) h")
        }
        // The summary's max is the exact peak, at the dose time, not the grid's (2.716 at 48.5 h).
        let summary = OneCompartmentPK().summary(of: sim)
        let maxC = try #require(summary.first { $0.name == "max C" }), when = try #require(summary.first { $0.name == "time of max C" })
        #expect(isRelativelyClose(maxC.value, Self.bolusConcentration(48, doses: Self.doseTimes), tolerance: Self.closedFormTolerance))
        #expect(when.value == 48 && when.unit == "h")
        #expect(sim.extrema(of: "no such output") == nil)
    }

    /// 100 mg over 2 h: C rises as (R/CL)(1 − e^(−kt)) with R = 50 mg/h and peaks at the end of
    /// the infusion, 10·(1 − e^(−0.2)) = 1.8127 mg/L at 2 h; the grid (every 0.75 h) misses 2 h.
    @Test func zeroOrderInfusionPeaksAtItsEndOffTheGrid() throws {
        let sim = try OneCompartmentPK().simulate(parameters: Self.parameters, regimen: Regimen(parsing: "100 mg iv over 2h"),
                                                  hours: 12, points: 17)
        #expect(!sim.times.contains(2))
        let extrema = try #require(sim.extrema(of: "C"))
        let peak = 50 / 5 * (1 - exp(-Self.k * 2))
        #expect(extrema.maximum.time == 2)
        #expect(isRelativelyClose(extrema.maximum.value, peak, tolerance: Self.closedFormTolerance), "\(extrema.maximum.value) vs \(peak)")
        let gridMax = try #require(sim.series("C")?.max())
        #expect(gridMax < extrema.maximum.value - 1e-3, "the grid alone misses the peak")
    }
}
