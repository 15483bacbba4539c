import Foundation
import Testing
import TwinData
import TwinEnsemble
import TwinModels
import TwinODE

/// Sample mean and SD (n − 1) of `values`, by two passes.
private func meanAndSD(_ values: [Double]) -> (mean: Double, sd: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, (ss / Double(values.count - 1)).squareRoot())
}

/// Pearson correlation of two equally long samples.
private func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let (ma, sa) = meanAndSD(a), (mb, sb) = meanAndSD(b)
    var s = 0.0
    for i in a.indices { s += (a[i] - ma) * (b[i] - mb) }
    return s / Double(a.count - 1) / (sa * sb)
}

@Suite struct MemberRandomStreamTests {
    /// Reference quantiles of N(0, 1): Φ⁻¹(p) solved to 40 digits with mpmath 1.3
    /// (`findroot(lambda x: ncdf(x) - p, …)`), rounded to double.
    @Test(arguments: [
        (0.975, 1.9599639845400538),
        (0.025, -1.9599639845400543),
        (1e-10, -6.361340902404057),
        (1e-20, -9.262340089798407),
        (1e-300, -37.0470962993612),
        (0x1p-53, -8.209536151601387),
    ])
    func inverseNormalCDFMatchesReferenceQuantiles(p: Double, expected: Double) {
        let x = MemberRandomStream.inverseNormalCDF(p)
        #expect(abs(x - expected) <= 1e-15 * abs(expected), "Φ⁻¹(\(p)) = \(x), expected \(expected)")
    }

    @Test func inverseNormalCDFIsOddAndHandlesEdges() {
        #expect(MemberRandomStream.inverseNormalCDF(0.5) == 0)
        for p in [0.125, 0.0625, 0x1p-20, 0.25, 0.375] {   // 1 − p exact for these
            #expect(MemberRandomStream.inverseNormalCDF(1 - p) == -MemberRandomStream.inverseNormalCDF(p))
        }
        #expect(MemberRandomStream.inverseNormalCDF(0) == -.infinity)
        #expect(MemberRandomStream.inverseNormalCDF(1) == .infinity)
        #expect(MemberRandomStream.inverseNormalCDF(-0.1).isNaN)
        #expect(MemberRandomStream.inverseNormalCDF(.nan).isNaN)
    }

    /// Expected outputs from an independent Python implementation of the documented derivation
    /// state₀ = mix(mix(seed) ⊕ member·γ); for (0, 0) the state is 0 and the first output is
    /// SplitMix64's well-known first output for seed 0, 0xE220A8397B1DCDAF.
    @Test func derivationMatchesTheDocumentedFormula() {
        var a = MemberRandomStream(seed: 0, member: 0)
        #expect(a.next() == 0xE220_A839_7B1D_CDAF)
        #expect(a.next() == 0x6E78_9E6A_A1B9_65F4)
        var b = MemberRandomStream(seed: 42, member: 7)
        #expect(b.next() == 0xD4A5_B3B1_B3BC_B576)
        #expect(b.next() == 0xC1EC_2196_2C0B_D6C0)
    }

    @Test func isDeterministicPerSeedAndMember() {
        func draws(_ seed: UInt64, _ member: Int) -> [UInt64] {
            var s = MemberRandomStream(seed: seed, member: member)
            return (0..<8).map { _ in s.next() }
        }
        #expect(draws(2024, 17) == draws(2024, 17))
        #expect(draws(2024, 17) != draws(2024, 18))
        #expect(draws(2024, 17) != draws(2025, 17))
        // Neighbouring members share no output among their first draws.
        #expect(Set(draws(1, 0)).isDisjoint(with: Set(draws(1, 1))))
    }

    /// N(0,1) moments over 20,000 draws within 3 standard errors (SE of the mean 1/√n,
    /// of the SD ≈ 1/√(2(n−1))); uniforms lie in the open interval.
    @Test func standardNormalHasUnitMoments() {
        var stream = MemberRandomStream(seed: 7, member: 3)
        let n = 20_000
        let z = (0..<n).map { _ in stream.standardNormal() }
        let (mean, sd) = meanAndSD(z)
        #expect(abs(mean) < 3 / Double(n).squareRoot())
        #expect(abs(sd - 1) < 3 / (2 * Double(n - 1)).squareRoot())
        for _ in 0..<1000 {
            let u = stream.uniform()
            #expect(u > 0 && u < 1)
        }
    }
}

/// A tiny model whose covariate model is known in closed form: CL = θ·WT/70, V unchanged.
private struct WeightScaledModel: PhysiologicalModel {
    var name: String { "test-weight" }
    var title: String { "test" }
    var reference: String { "none" }
    var timeUnit: ModelTimeUnit { .hour }
    var stateCount: Int { 1 }
    var parameterCount: Int { 2 }
    var states: [ModelState] { [.init("A", "mg", "amount")] }
    var parameters: [ModelParameter] {
        [.init("CL", "L/h", "clearance", typical: 4, range: 0.01...100),
         .init("V", "L", "volume", typical: 30, range: 1...1000)]
    }
    var inputs: [ModelInput] { [] }
    var outputs: [ModelOutput] { [.init("C", "mg/L", "concentration")] }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = -p[0] / p[1] * y[0]
    }
    func doseEntry(for dose: Dose, parameters: [Double]) throws(ModelError) -> DoseEntry { DoseEntry(state: 0, input: nil) }
    func observe(time: Double, state: [Double], parameters: [Double], into out: inout [Double]) { out[0] = state[0] / parameters[1] }
    func individualize(_ parameters: [Double], covariates: [String: Covariate]) -> [Double] {
        guard let wt = covariates[CovariateName.weight]?.value else { return parameters }
        return [parameters[0] * wt / 70, parameters[1]]
    }
}

@Suite struct VirtualPopulationTests {
    let model = OneCompartmentPK()   // ka, CL, V, F, tlag; typical CL 2.8 L/h, V 35 L

    @Test func unknownParameterListsTheModelsParameters() {
        #expect(throws: EnsembleError.unknownParameter(name: "Vd", known: ["ka", "CL", "V", "F", "tlag"])) {
            try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "CL=30%, Vd=20%"))
        }
        #expect(throws: EnsembleError.unknownParameter(name: "Q", known: ["ka", "CL", "V", "F", "tlag"])) {
            try VirtualPopulation(model: model, variability: VariabilitySpec(),
                                  omega: OmegaMatrix(names: ["CL", "Q"], covariance: [[0.09, 0], [0, 0.04]]))
        }
    }

    @Test func rejectsBadBaseVectorsAndLogNormalAroundZero() {
        #expect(throws: EnsembleError.self) { try VirtualPopulation(model: model, base: [1, 2], variability: VariabilitySpec()) }
        #expect(throws: EnsembleError.self) {
            try VirtualPopulation(model: model, base: [1.5, .nan, 35, 1, 0], variability: VariabilitySpec())
        }
        // tlag's typical value is 0: exp(η)·0 would never vary.
        #expect(throws: EnsembleError.self) { try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "tlag=30%")) }
        #expect((try? VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "sd:tlag=0.1"))) != nil)
    }

    @Test func sameSeedAndIndexGiveTheSameMember() throws {
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "cl=30%, V=20%, sd:tlag=0.2"),
                                               covariates: CovariateSource(parsing: "WT~N(70,12)[40,150] kg"))
        #expect(population.member(5, seed: 99) == population.member(5, seed: 99))
        #expect(population.member(5, seed: 99).parameters != population.member(6, seed: 99).parameters)
        #expect(population.member(5, seed: 99).parameters != population.member(5, seed: 100).parameters)
        let typical = population.typicalMember()
        #expect(typical.parameters == model.typicalParameters && typical.eta == [0, 0, 0, 0, 0] && typical.covariates.isEmpty)
    }

    /// CL = 2.8·exp(η), η ~ N(0, ln 1.09): over 20,000 members the median of CL is 2.8 and the SD of
    /// ln(CL/2.8) is √ln 1.09, within 3 standard errors (SE of the median of η ≈ 1.2533·ω/√n, of
    /// the SD ≈ ω/√(2(n−1))). Parameters without variability stay at their typical values.
    @Test func logNormalDrawsHaveTypicalMedianAndOmegaSpread() throws {
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "CL=30%"))
        let n = 20_000
        let omega = log(1.09).squareRoot()
        var logRatios: [Double] = []
        var clearances: [Double] = []
        for i in 0..<n {
            let m = population.member(i, seed: 2024)
            clearances.append(m.parameters[1])
            logRatios.append(log(m.parameters[1] / 2.8))
            if i < 100 {
                #expect(m.parameters[0] == 1.5 && m.parameters[2] == 35 && m.eta[0] == 0)
                #expect(abs(m.parameters[1] - 2.8 * exp(m.eta[1])) < 1e-15 * m.parameters[1])
            }
        }
        clearances.sort()
        let median = (clearances[n / 2 - 1] + clearances[n / 2]) / 2
        #expect(abs(log(median / 2.8)) < 3 * 1.2533 * omega / Double(n).squareRoot())
        let (_, sd) = meanAndSD(logRatios)
        #expect(abs(sd - omega) < 3 * omega / (2 * Double(n - 1)).squareRoot())
    }

    /// sd:V=10% is an additive normal with SD 3.5 L around V = 35 L (20,000 members, 3 SE).
    @Test func normalVariabilityIsAdditive() throws {
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "sd:V=10%"))
        #expect(population.independent[2] == .normal(sd: 3.5))
        let n = 20_000
        let v = (0..<n).map { population.member($0, seed: 1).parameters[2] }
        let (mean, sd) = meanAndSD(v)
        #expect(abs(mean - 35) < 3 * 3.5 / Double(n).squareRoot())
        #expect(abs(sd - 3.5) < 3 * 3.5 / (2 * Double(n - 1)).squareRoot())
    }

    /// Ω with ω_CL = 0.3, ω_V = 0.2 and correlation 0.6: the log-scale η of 20,000 members have
    /// correlation 0.6 ± 0.03 (SE of r ≈ (1 − ρ²)/√n = 0.0045) and SDs 0.3 and 0.2. CL also in the
    /// spec (50 %) takes Omega's spread.
    @Test func omegaCorrelatesTheLogScaleEffects() throws {
        let omega = try OmegaMatrix(parsing: "V, CL\n0.04, 0.036\n0.036, 0.09", source: "test")
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(parsing: "CL=50%, ka=40%"), omega: omega)
        #expect(population.omegaParameterIndices == [2, 1])
        #expect(population.independent[1] == nil && population.independent[0] != nil)
        let n = 20_000
        var etaCL: [Double] = [], etaV: [Double] = [], logCL: [Double] = []
        for i in 0..<n {
            let m = population.member(i, seed: 11)
            etaCL.append(m.eta[1]); etaV.append(m.eta[2])
            logCL.append(log(m.parameters[1] / 2.8))
        }
        #expect(abs(correlation(etaCL, etaV) - 0.6) < 0.03)
        #expect(abs(meanAndSD(etaCL).sd - 0.3) < 3 * 0.3 / (2 * Double(n - 1)).squareRoot())
        #expect(abs(meanAndSD(etaV).sd - 0.2) < 3 * 0.2 / (2 * Double(n - 1)).squareRoot())
        #expect(abs(meanAndSD(logCL).sd - 0.3) < 3 * 0.3 / (2 * Double(n - 1)).squareRoot())
    }

    /// Member i takes cohort record i mod 3; OneCompartmentPK scales CL by (WT/70)^0.75 and V by
    /// WT/70 (Holford 1996), applied to the typical values.
    @Test func cohortCovariatesCycleAndIndividualize() throws {
        let records = [50.0, 70, 90].enumerated().map { i, wt in
            PatientRecord(id: "\(i)", covariates: [CovariateName.weight: Covariate(value: wt, unit: .kilogram)])
        }
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(),
                                               covariates: CovariateSource(cohort: Cohort(records)), covariateRelations: .modelDefault)
        for i in 0..<7 {
            let m = population.member(i, seed: 3)
            let wt = [50.0, 70, 90][i % 3]
            #expect(m.covariates[CovariateName.weight]?.value == wt)
            #expect(abs(m.parameters[1] - 2.8 * pow(wt / 70, 0.75)) < 1e-14)
            #expect(abs(m.parameters[2] - 35 * wt / 70) < 1e-13)
        }
    }

    /// Without `covariateRelations: .modelDefault` the members keep their covariates (for per-kg
    /// doses) but the model's allometry is not applied: CL = 2.8, V = 35 L (the typical values).
    @Test func covariatesLeaveParametersAloneUnlessRelationsAreAskedFor() throws {
        let records = [50.0, 90].enumerated().map { i, wt in
            PatientRecord(id: "\(i)", covariates: [CovariateName.weight: Covariate(value: wt, unit: .kilogram)])
        }
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(),
                                               covariates: CovariateSource(cohort: Cohort(records)))
        for i in 0..<4 {
            let m = population.member(i, seed: 3)
            #expect(m.covariates[CovariateName.weight]?.value == [50.0, 90][i % 2])
            #expect(m.parameters == model.typicalParameters)
        }
    }

    /// With CL = 4·WT/70 (the test model) and CL=20% on top, CL·70/(4·WT) = exp(η) for every member.
    @Test func individualizeComesBeforeRandomEffects() throws {
        let population = try VirtualPopulation(model: WeightScaledModel(), variability: VariabilitySpec(parsing: "CL=20%"),
                                               covariates: CovariateSource(parsing: "WT~N(70,15)[40,120] kg"), covariateRelations: .modelDefault)
        for i in 0..<50 {
            let m = population.member(i, seed: 5)
            let wt = try #require(m.covariates["WT"]?.value)
            #expect(abs(m.parameters[0] - 4 * wt / 70 * exp(m.eta[0])) < 1e-13)
            #expect(m.parameters[1] == 30)
        }
    }

    @Test func drawnCovariatesRespectTruncation() throws {
        let population = try VirtualPopulation(model: model, variability: VariabilitySpec(),
                                               covariates: CovariateSource(parsing: "WT~N(70,30)[60,80] kg, AGE~LN(40,50%)[18,90]"))
        for i in 0..<2000 {
            let c = population.member(i, seed: 8).covariates
            let wt = try #require(c["WT"]), age = try #require(c["AGE"])
            #expect(wt.value >= 60 && wt.value <= 80 && wt.unit == .kilogram)
            #expect(age.value >= 18 && age.value <= 90 && age.unit == .year)
        }
        // P(z > 10) ≈ 7.6e-24: every one of the 100 attempts misses, so the draw is clamped to 10.
        let far = try CovariateDistribution(name: "X", shape: .normal(mean: 0, sd: 1), lower: 10, upper: 11)
        var stream = MemberRandomStream(seed: 1, member: 1)
        #expect(far.draw(using: &stream) == 10)
    }
}
