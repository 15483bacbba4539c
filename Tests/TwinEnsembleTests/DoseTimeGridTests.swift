import RealModule
import Testing
import TwinData
import TwinEnsemble
import TwinModels
import TwinODE
import TwinWorkloads

/// The lane engine's grid follows the single-solve dose-time convention: a grid time equal to a
/// member's dose time holds the post-dose state, in member rows and bands alike.
@Suite("Ensemble grids at dose times")
struct DoseTimeGridTests {
    /// Member i: k = 0.1 + 0.01·i /h, 100 mg at 0, 12, 24, 36 and 48 h (the last at the end of a
    /// 48 h span), plus its own 50 mg at 6 + i h — a grid time for i = 0, 6, 18, 30.
    static func problem(count: Int) throws -> EnsembleProblem<Elimination> {
        try EnsembleProblem(system: Elimination(), timeSpan: (0, 48), memberCount: count,
                            output: .grid([0, 6, 11.5, 12, 18, 24, 30, 36, 47, 48])) { i, member in
            let doses = [0.0, 12, 24, 36, 48].map { TimeEvent(time: $0, action: .addToState(state: 0, amount: 100)) }
            member.replace(initialState: [0], parameters: [0.1 + 0.01 * Double(i), 0],
                           timeEvents: doses + [TimeEvent(time: 6 + Double(i), action: .addToState(state: 0, amount: 50))])
        }
    }

    /// A(t) = Σ D·e^(−k(t − t_d)) over the doses at or before t (post-dose: the right limit).
    static func amount(_ t: Double, member i: Int) -> Double {
        let k = 0.1 + 0.01 * Double(i)
        let doses = [0.0, 12, 24, 36, 48].map { ($0, 100.0) } + [(6 + Double(i), 50.0)]
        return doses.filter { $0.0 <= t }.reduce(0) { $0 + $1.1 * .exp(-k * (t - $1.0)) }
    }

    /// rtol 1e-9: the lanes' global error stays below 1e-7 relative; the wrong side of a dose is
    /// off by 50 or 100 mg.
    static let closedFormTolerance = 1e-7

    @Test("Grid times at a member's doses (and the dose at the span's end) hold the post-dose amount, for every lane width",
          arguments: [8, 4, 2])
    func gridAtDoseTimesIsPostDose(_ laneWidth: Int) throws {
        var sink = EnsembleCollector()
        var options = EnsembleOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
        options.laneWidth = laneWidth
        let count = 31
        try Self.problem(count: count).solve(using: .tsit5, options: options, sink: &sink)
        for i in 0..<count {
            let chunk = try #require(sink.chunk(containing: i))
            for (g, t) in chunk.gridTimes.enumerated() {
                let value = chunk.gridState(of: i, time: g)[chunk.gridState(of: i, time: g).startIndex]
                let exact = Self.amount(t, member: i)
                #expect(abs(value - exact) <= Self.closedFormTolerance * exact, "member \(i) at \(t) h: \(value) vs \(exact)")
            }
            // The final state includes the dose at the end of the span, as a single solve's does.
            let final = try #require(sink.finalState(of: i))[0]
            #expect(abs(final - Self.amount(48, member: i)) <= Self.closedFormTolerance * final, "member \(i) final")
        }
    }

    /// pk-1cmt without variability (CL 5 L/h, V 50 L), 100 mg IV q12h ×5 over 60 h: every band's
    /// mean is the closed form, post-dose at the dose times — 2.8549 mg/L at 48 h.
    @Test("Bands of a population without variability are the closed form, post-dose at dose times")
    func bandsWithoutVariabilityArePostDose() throws {
        let model = OneCompartmentPK()
        let population = try VirtualPopulation(model: model, base: [1.5, 5, 50, 1, 0], variability: VariabilitySpec())
        let ensemble = ModelEnsemble(model: model, population: population, patients: 20, hours: 60,
                                     regimen: { _ in try Regimen(parsing: "100 mg iv q12h x5") }, seed: 1)
        var sink = DiscardingSink()
        var options = EnsembleOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-11)
        options.laneWidth = 4
        let report = try ensemble.problem(points: 121).solve(using: .tsit5, options: options, sink: &sink)
        let bands = try #require(report.summary?.bands()).filter { $0.quantity == "C" }
        #expect(bands.count == 121)
        for band in bands {
            let exact = [0.0, 12, 24, 36, 48].filter { $0 <= band.time }.reduce(0) { $0 + 2 * .exp(-0.1 * (band.time - $1)) }
            #expect(abs(band.mean - exact) <= Self.closedFormTolerance * exact, "C(\(band.time) h): mean \(band.mean) vs \(exact)")
            // The quantiles come from a sketch with relative accuracy 0.005.
            #expect(abs(band.p50 - exact) <= 0.005 * exact, "C(\(band.time) h): median \(band.p50)")
        }
        let at48 = try #require(bands.first { $0.time == 48 })
        #expect(at48.mean > 2.85, "post-dose peak, not the 0.855 mg/L trough")
    }
}
