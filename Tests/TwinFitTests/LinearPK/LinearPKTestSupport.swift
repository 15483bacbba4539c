import TwinFit

/// Parameter sets and evaluation helpers shared by the closed-form PK tests. The values are of
/// the order of the TwinModels defaults (theophylline-like absorption, hours, L, L/h), with
/// distinct rates so that every exponential matters, and F < 1, tlag > 0 so that both count.
enum LinearPKFixture {
    /// [ka, CL, V, F, tlag]
    static let oneCompartment: [Double] = [1.2, 3.0, 30, 0.8, 0.4]
    /// [ka, CL, V1, Q, V2, F, tlag]
    static let twoCompartment: [Double] = [1.1, 4, 20, 6, 40, 0.7, 0.3]
    /// [ka, CL, V1, Q2, V2, Q3, V3, F, tlag]
    static let threeCompartment: [Double] = [0.9, 5, 15, 8, 30, 2, 80, 0.75, 0.25]

    static func parameters(compartments: Int) -> [Double] {
        switch compartments {
        case 1: return oneCompartment
        case 2: return twoCompartment
        default: return threeCompartment
        }
    }

    static func values(_ model: LinearPKModel, _ times: [Double], _ doses: [LinearPKDose], _ p: [Double]) throws -> [Double] {
        var c: [Double] = []
        try model.concentrations(at: times, doses: doses, parameters: p, into: &c)
        return c
    }

    static func gradient(_ model: LinearPKModel, _ times: [Double], _ doses: [LinearPKDose], _ p: [Double]) throws -> [Double] {
        var c: [Double] = [], g: [Double] = []
        try model.concentrations(at: times, doses: doses, parameters: p, into: &c, gradient: &g)
        return g
    }

    /// Central differences with step 1e-6·|pⱼ| (truncation O(h²) ≈ 1e-12, rounding
    /// ≈ ε/1e-6 ≈ 2e-10 relative): row-major like the analytic gradient.
    static func finiteDifferences(_ model: LinearPKModel, _ times: [Double], _ doses: [LinearPKDose], _ p: [Double]) throws -> [Double] {
        let count = p.count
        var out = [Double](repeating: 0, count: times.count * count)
        for j in 0..<count {
            let h = 1e-6 * max(abs(p[j]), 1e-2)
            var up = p, down = p
            up[j] += h
            down[j] -= h
            let cu = try values(model, times, doses, up), cd = try values(model, times, doses, down)
            for i in times.indices { out[i * count + j] = (cu[i] - cd[i]) / (2 * h) }
        }
        return out
    }

    /// Mixed doses: oral with the model's F and lag, oral with its own F and lag, an IV bolus,
    /// a 1-h infusion into the central compartment, a 2-h zero-order input into the depot, and
    /// two overlapping repeated oral doses.
    static func mixedDoses() throws -> [LinearPKDose] {
        [try LinearPKDose(time: 0, amount: 100),
         try LinearPKDose(time: 6, amount: 50, bioavailability: 0.5, lag: 0.1),
         try LinearPKDose(time: 3, amount: 80, target: .central),
         try LinearPKDose(time: 8, amount: 60, target: .central, duration: 1),
         try LinearPKDose(time: 10, amount: 40, duration: 2),
         try LinearPKDose(time: 12, amount: 100),
         try LinearPKDose(time: 13, amount: 100)]
    }
}
