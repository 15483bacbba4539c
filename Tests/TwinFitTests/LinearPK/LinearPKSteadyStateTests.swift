import Testing
import TwinFit
import _TwinTestSupport

/// Steady-state doses against the superposition of many ordinary doses.
@Suite("Closed-form linear PK steady state")
struct LinearPKSteadyStateTests {
    /// A steady-state dose at 200·II equals 201 ordinary doses at 0, II, …, 200·II: what the
    /// truncated series leaves out is e^(−λ_min·200·II) < 1e-20 for the slowest rate here
    /// (λ_min ≈ 0.02/h, II = 12 h), and 201 terms add ~1e-14 relative rounding.
    func expectSeries(compartments: Int, target: LinearPKDose.Target, duration: Double) throws {
        let model = try LinearPKModel(compartments: compartments)
        let p = LinearPKFixture.parameters(compartments: compartments)
        let ii = 12.0, last = 200 * ii
        let ss = [try LinearPKDose(time: last, amount: 100, target: target, duration: duration, steadyStateInterval: ii)]
        let repeated = try (0...200).map { try LinearPKDose(time: Double($0) * ii, amount: 100, target: target, duration: duration) }
        // Before the lag (0.1), during an infusion, at II, and past it with no further dose.
        let offsets: [Double] = [0, 0.1, 0.2, 1, 1.5, 2, 2.5, 5, 11.99, 12, 18, 40]
        let times = offsets.map { last + $0 }
        let a = try LinearPKFixture.values(model, times, ss, p)
        let b = try LinearPKFixture.values(model, times, repeated, p)
        for i in times.indices {
            #expect(abs(a[i] - b[i]) <= 1e-10 * abs(b[i]), "\(compartments)-cmt \(target) T = \(duration) at +\(offsets[i]) h: \(a[i]) vs \(b[i])")
        }
    }

    @Test(arguments: [1, 2, 3])
    func bolusSteadyStateIsTheLimitOfRepeatedDoses(compartments: Int) throws {
        try expectSeries(compartments: compartments, target: .central, duration: 0)
    }

    @Test(arguments: [1, 2, 3])
    func infusionSteadyStateIsTheLimitOfRepeatedDoses(compartments: Int) throws {
        try expectSeries(compartments: compartments, target: .central, duration: 2)
    }

    @Test(arguments: [1, 2, 3])
    func oralSteadyStateIsTheLimitOfRepeatedDoses(compartments: Int) throws {
        try expectSeries(compartments: compartments, target: .depot, duration: 0)
    }

    @Test(arguments: [1, 2, 3])
    func depotInfusionSteadyStateIsTheLimitOfRepeatedDoses(compartments: Int) throws {
        try expectSeries(compartments: compartments, target: .depot, duration: 2)
    }

    @Test func lagLongerThanTheIntervalCountsEarlierDoses() throws {
        // tlag = 15 h > II = 12 h: at the SS dose, two earlier doses have arrived. Truth: the
        // superposition of 201 ordinary doses, as above.
        let model = try LinearPKModel(compartments: 1)
        let p: [Double] = [1.2, 3, 30, 0.8, 15]
        let ss = [try LinearPKDose(time: 2400, amount: 100, steadyStateInterval: 12)]
        let repeated = try (0...200).map { try LinearPKDose(time: Double($0) * 12, amount: 100) }
        let times: [Double] = [2400, 2401, 2403.5, 2414, 2420]
        let a = try LinearPKFixture.values(model, times, ss, p), b = try LinearPKFixture.values(model, times, repeated, p)
        for i in times.indices { #expect(isRelativelyClose(a[i], b[i], tolerance: 1e-10), "t = \(times[i])") }
    }

    @Test func resetDropsEarlierDosesAndAdditiveKeepsThem() throws {
        let model = try LinearPKModel(compartments: 2)
        let p = LinearPKFixture.twoCompartment
        let early = try LinearPKDose(time: 0, amount: 500, target: .central)
        let reset = try LinearPKDose(time: 10, amount: 100, steadyStateInterval: 12)
        let additive = try LinearPKDose(time: 10, amount: 100, steadyStateInterval: 12, resetsToSteadyState: false)
        let times: [Double] = [5, 10.5, 15, 30]
        let alone = try LinearPKFixture.values(model, times, [reset], p)
        let earlyAlone = try LinearPKFixture.values(model, times, [early], p)
        let withReset = try LinearPKFixture.values(model, times, [early, reset], p)
        let withAdditive = try LinearPKFixture.values(model, times, [additive, early], p)
        // SS = 1 (NONMEM reset): before 10 h only the early dose; from 10 h only the steady state.
        // SS = 2: superposition of both. Exact equalities of the same sums.
        #expect(withReset[0] == earlyAlone[0])
        for i in 1..<4 {
            #expect(withReset[i] == alone[i])
            #expect(isRelativelyClose(withAdditive[i], alone[i] + earlyAlone[i], tolerance: 1e-14))
        }
    }
}
