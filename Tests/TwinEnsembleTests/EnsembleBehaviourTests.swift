import RealModule
import Testing
import TwinData
import TwinEnsemble
import TwinModels
@_spi(LaneEngine) import TwinODE
import TwinWorkloads

/// First-order elimination A′ = −k·A (k = p[0], 1/h); p[1] > 0 makes the right-hand side fail
/// for good (a member whose model cannot be evaluated) — thrown when any lane carries the flag,
/// as a model running in lanes must.
struct Elimination: ODESystem {
    var stateCount: Int { 1 }
    var parameterCount: Int { 2 }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        if p[1].anyValue({ $0 > 0 }) { throw .unrecoverable("member flagged to fail") }
        dy[0] = -p[0] * y[0]
    }
}

@Suite("Ensemble behaviour: dosing, failures, determinism")
struct EnsembleBehaviourTests {
    /// Member i gets 100 mg at t = 0 and 50 mg at 1 + 0.37·i h (its own time), k = 0.1 + 0.01·i.
    static func bolusProblem(count: Int, failing: Set<Int> = [], nan: Set<Int> = []) throws -> EnsembleProblem<Elimination> {
        try EnsembleProblem(system: Elimination(), timeSpan: (0, 24), memberCount: count, output: .grid([0, 6, 12, 18, 24])) { i, member in
            let k = nan.contains(i) ? Double.nan : 0.1 + 0.01 * Double(i)
            member.replace(initialState: [0], parameters: [k, failing.contains(i) ? 1 : 0],
                           timeEvents: [TimeEvent(time: 1 + 0.37 * Double(i), action: .addToState(state: 0, amount: 50)),
                                        TimeEvent(time: 0, action: .addToState(state: 0, amount: 100))])
        }
    }

    @Test("Per-member doses land exactly: final amounts match the closed form Σ D·e^(−k(t−t_d))")
    func doseEventsMatchClosedForm() throws {
        var sink = EnsembleCollector()
        let options = EnsembleOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        try Self.bolusProblem(count: 29).solve(using: .tsit5, options: options, sink: &sink)
        for i in 0..<29 {
            let k = 0.1 + 0.01 * Double(i), td = 1 + 0.37 * Double(i)
            // Closed form of a sum of first-order decays (superposition).
            let exact = 100 * Double.exp(-k * 24) + 50 * Double.exp(-k * (24 - td))
            let final = try #require(sink.finalState(of: i))[0]
            #expect(abs(final - exact) <= 1e-6 * exact, "member \(i)")
            // On the grid (dense output between doses): at 6 h, only doses before 6 h count.
            let chunk = try #require(sink.chunk(containing: i))
            let at6 = chunk.gridState(of: i, time: 1)[chunk.gridState(of: i, time: 1).startIndex]
            let exact6 = 100 * Double.exp(-k * 6) + (td <= 6 ? 50 * Double.exp(-k * (6 - td)) : 0)
            #expect(abs(at6 - exact6) <= 1e-6 * exact6, "member \(i) at 6 h")
        }
    }

    @Test("A member with NaN parameters and one whose model fails are reported; the others are unaffected, bit for bit")
    func failingMembersDoNotDisturbOthers() throws {
        var clean = EnsembleCollector()
        var faulty = EnsembleCollector()
        try Self.bolusProblem(count: 40).solve(sink: &clean)
        let report = try Self.bolusProblem(count: 40, failing: [5], nan: [17]).solve(sink: &faulty)
        #expect(report.solvedCount == 38)
        #expect(report.invalidCount == 1)
        #expect(report.failedCount == 1)
        guard case .invalidInput(let reason)? = faulty.status(of: 17) else { Issue.record("member 17 should be invalid"); return }
        #expect(reason.contains("parameter 0"))
        guard case .solverFailed(.rightHandSideFailed)? = faulty.status(of: 5) else { Issue.record("member 5 should fail: \(String(describing: faulty.status(of: 5)))"); return }
        for i in 0..<40 where i != 5 && i != 17 {
            #expect(faulty.finalState(of: i) == clean.finalState(of: i), "member \(i)")
        }
    }

    @Test("Results and summaries are bit-identical for 1 and 2 threads and lane widths 8, 4 and 2")
    func bitIdenticalAcrossThreadsAndLaneWidths() throws {
        let rows = EnsembleBenchmarkProblem.bergman.drawParameters(count: 300, seed: 3)
        let problem = try EnsembleProblem(system: BergmanMealBenchmark(), timeSpan: (0, 600), memberCount: 300,
                                          output: .grid([0, 60, 120, 300, 600]),
                                          summary: .states(["G", "X", "I"])) { i, member in
            member.replace(initialState: [90, 0, 10], parameters: Array(rows[i * 5 ..< i * 5 + 5]), timeEvents: [])
        }
        func run(threads: Int, lanes: Int) throws -> ([[Double]], [PopulationBand]) {
            var options = EnsembleOptions()
            options.laneWidth = lanes
            options.chunkSize = 64
            var sink = EnsembleCollector()
            let report = try problem.solve(options: options, strategy: threads > 1 ? .threads(threads) : .serial, sink: &sink)
            let finals = (0..<300).map { sink.finalState(of: $0) ?? [] }
            return (finals, report.summary?.bands() ?? [])
        }
        let reference = try run(threads: 1, lanes: 8)
        #expect(reference.1.count == 15)
        for (threads, lanes) in [(2, 8), (1, 4), (2, 2)] {
            let other = try run(threads: threads, lanes: lanes)
            #expect(other.0 == reference.0, "final states, \(threads) threads, \(lanes) lanes")
            #expect(other.1.map(\.mean) == reference.1.map(\.mean), "means, \(threads) threads, \(lanes) lanes")
            #expect(other.1.map(\.p95) == reference.1.map(\.p95), "p95, \(threads) threads, \(lanes) lanes")
        }
    }

    /// Records each chunk's first member; throws at chunk number `failAt` (counted from 0).
    struct OrderRecordingSink: EnsembleSink {
        struct Stop: Error {}
        var firstMembers: [Int] = []
        var finals: [Int: [Double]] = [:]
        var failAt: Int?
        mutating func consume(_ chunk: EnsembleChunk) throws {
            if firstMembers.count == failAt { throw Stop() }
            firstMembers.append(chunk.members.lowerBound)
            for i in chunk.members { finals[i] = Array(chunk.finalState(of: i)) }
        }
    }

    @Test("A slow member holds its chunk back: later chunks wait, lanes go on, every chunk reaches the sink once, in order")
    func stragglerKeepsOrderAndBoundedWindow() throws {
        // Member 7 decays 10⁴ times faster (thousands of stability-bound steps); chunks of 4 members,
        // so the workers run up against the window of finished chunks waiting for member 7's.
        let problem = try EnsembleProblem(system: Elimination(), timeSpan: (0, 24), memberCount: 200) { i, member in
            member.replace(initialState: [100], parameters: [i == 7 ? 1000 : 0.1 + 0.001 * Double(i), 0], timeEvents: [])
        }
        var options = EnsembleOptions()
        options.chunkSize = 4
        var serial = OrderRecordingSink(), threaded = OrderRecordingSink()
        try problem.solve(options: options, sink: &serial)
        let report = try problem.solve(options: options, strategy: .threads(2), sink: &threaded)
        #expect(report.solvedCount == 200)
        #expect(serial.firstMembers == Array(stride(from: 0, to: 200, by: 4)))
        #expect(threaded.firstMembers == serial.firstMembers)
        // Exact decay 100·e^(−24k) for every member, to the tolerance; the same bits either way.
        for i in 0..<200 {
            let k = i == 7 ? 1000 : 0.1 + 0.001 * Double(i)
            #expect(threaded.finals[i] == serial.finals[i], "member \(i)")
            #expect(abs((serial.finals[i]?.first ?? .nan) - 100 * Double.exp(-24 * k)) <= 1e-4, "member \(i)")
        }
    }

    @Test("A sink that throws stops the run, on the calling thread or with workers; the chunks before reached it in order")
    func sinkFailureStopsTheRun() throws {
        let problem = try Self.bolusProblem(count: 400)
        var options = EnsembleOptions()
        options.chunkSize = 16
        for strategy in [EnsembleStrategy.serial, .threads(2)] {
            var sink = OrderRecordingSink(failAt: 3)
            #expect(throws: OrderRecordingSink.Stop.self) { try problem.solve(options: options, strategy: strategy, sink: &sink) }
            #expect(sink.firstMembers == [0, 16, 32], "\(strategy)")
        }
    }

    @Test("Rober members (Rodas4 lanes) match TwinODE's single-trajectory Rodas4 within the tolerance")
    func roberMembersMatchSingleSolves() throws {
        let rows = EnsembleBenchmarkProblem.rober.drawParameters(count: 12, seed: 5)
        let problem = try EnsembleProblem(system: Robertson(), timeSpan: (0, 1e5), memberCount: 12) { i, member in
            member.replace(initialState: [1, 0, 0], parameters: Array(rows[i * 3 ..< i * 3 + 3]), timeEvents: [])
        }
        var sink = EnsembleCollector()
        let report = try problem.solve(using: .rodas4, options: EnsembleOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-10), sink: &sink)
        #expect(report.solvedCount == 12)
        for i in 0..<12 {
            // Independent check: TwinODE's scalar Rodas4 at a 100× tighter tolerance.
            let tight = try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, 1e5), parameters: Array(rows[i * 3 ..< i * 3 + 3]))
                .solve(using: .rodas4, options: ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-12, save: .finalOnly))
            let final = try #require(sink.finalState(of: i))
            let expected = try #require(tight.states.last)
            for k in 0..<3 {
                let scale = 1e-10 + 1e-6 * abs(expected[k])
                #expect(abs(final[k] - expected[k]) <= 20 * scale, "member \(i) state \(k): \(final[k]) vs \(expected[k])")
            }
        }
    }

    @Test("A model ensemble draws members reproducibly, doses each one, and summarises the outputs")
    func modelEnsembleSummarisesOutputs() throws {
        let model = TwoCompartmentPK()
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "CL=30%,V1=25%"))
        let regimen = try Regimen(parsing: "100 mg oral q12h x2")
        let ensemble = ModelEnsemble(model: model, population: population, patients: 200, hours: 24, regimen: { _ in regimen }, seed: 11)
        let problem = try ensemble.problem(points: 25)
        var sink = EnsembleCollector()
        let report = try problem.solve(options: EnsembleOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10), strategy: .threads(2), sink: &sink)
        #expect(report.solvedCount == 200)
        let summary = try #require(report.summary)
        #expect(summary.memberCount == 200)
        // Member 7 equals the library's single-patient simulation with the same drawn parameters.
        let drawn = population.member(7, seed: 11)
        let single = try model.simulate(parameters: drawn.parameters, regimen: regimen, hours: 24, points: 25)
        let chunk = try #require(sink.chunk(containing: 7))
        for g in [3, 12, 24] {
            let state = Array(chunk.gridState(of: 7, time: g))
            let c = model.observe(time: single.times[g], state: state, parameters: drawn.parameters)[0]
            let expected = single.values[g][0]
            #expect(abs(c - expected) <= 1e-6 * abs(expected) + 1e-9, "C at \(single.times[g]) h")
        }
        // The median concentration at 13 h lies between the 5% and 95% bands and near the typical patient's.
        let band = try #require(summary.band(time: 13, quantity: "C"))
        let typical = try model.simulate(regimen: regimen, hours: 24, points: 25).values[13][0]
        #expect(band.p5 < band.p50 && band.p50 < band.p95)
        #expect(abs(band.p50 - typical) < 0.25 * typical)
    }
}

@Suite("README: the TwinEnsemble snippet runs")
struct EnsembleReadmeTests {
    @Test("The README's ensemble lines run as written (with fewer patients)")
    func readmeSnippetRuns() throws {
        let population = try VirtualPopulation(model: TwoCompartmentPK(), variability: VariabilitySpec(parsing: "CL=30%,V1=25%"))
        let ensemble = ModelEnsemble(model: TwoCompartmentPK(), population: population, patients: 500, hours: 48,
                                     regimen: { _ in try Regimen(parsing: "100 mg po q12h x4") }, seed: 1)
        var sink = DiscardingSink()
        let report = try ensemble.problem(points: 97).solve(strategy: .threads(2), sink: &sink)
        let bands = try #require(report.summary?.bands())
        #expect(bands.count == 97)
        #expect(report.solvedCount == 500)
    }
}

@Suite("Lanes.exp")
struct LanesExpTests {
    @Test("Vector exp is within 2 ulp of the correctly rounded libm exp (glibc's exp is correctly rounded in practice) from −745 to 709, and exact at the edges")
    func vectorExpMatchesScalar() {
        var worst = 0.0
        var x = -744.9
        while x < 709.7 {
            let v = Lanes<SIMD8<Double>>(SIMD8((0..<8).map { x + Double($0) * 0.0137 }))
            let e = Lanes.exp(v).vector
            for i in 0..<8 {
                let exact = Double.exp(x + Double(i) * 0.0137)
                guard exact.isNormal else { continue }
                worst = max(worst, abs(e[i] - exact) / exact.ulp)
            }
            x += 0.913
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        let edges = Lanes.exp(Lanes<SIMD4<Double>>(SIMD4(0, -.infinity, .infinity, .nan))).vector
        #expect(edges[0] == 1 && edges[1] == 0 && edges[2] == .infinity && edges[3].isNaN)
    }
}
