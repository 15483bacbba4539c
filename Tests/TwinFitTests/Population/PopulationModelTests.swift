import Foundation
import Testing
import TwinData
import TwinModels
@testable import TwinFit

/// Relative closeness for values computed in floating point from exact decimal inputs.
private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol * max(abs(b), 1e-300) }

@Suite("Population model file")
struct PopulationModelTests {
    // Goti V, Chaturvedula A, Fossler MJ, Mok S, Jacob JT (2018) Ther Drug Monit 40(2):212–221,
    // Table 2 (final model): CL 4.5 L/h, Vc 58.4 L, Vp 38.4 L, Q 6.5 L/h, CrCL exponent 0.8
    // (reference 120 mL/min), DIAL ×0.7 on CL and ×0.5 on Vc, Vc ∝ WT/70; BSV 39.8 %, 81.6 %,
    // 57.1 % CV on CL, Vc, Vp; residual 3.4 mg/L additive + 22.7 % proportional.
    @Test("the shipped Goti 2018 model carries the paper's Table 2 values")
    func gotiPublishedValues() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        #expect(goti.model == "pk-2cmt")
        let theta = Dictionary(uniqueKeysWithValues: goti.parameters.map { ($0.name, $0.typical) })
        #expect(theta == ["CL": 4.5, "V1": 58.4, "V2": 38.4, "Q": 6.5])
        #expect(goti.randomEffectParameters == ["CL", "V1", "V2"])
        // ω² = CV² (see the file's description for the convention).
        let omega = try goti.omegaMatrix()
        #expect(close(omega[0], 0.398 * 0.398) && close(omega[4], 0.816 * 0.816) && close(omega[8], 0.571 * 0.571))
        #expect(omega[1] == 0 && omega[2] == 0 && omega[5] == 0)
        #expect(goti.errorModels.map(\.model) == [.combined(additive: 3.4, proportional: 0.227)])
        #expect(goti.covariates.map(\.effect) == [.power(reference: 120, exponent: 0.8), .categorical(factor: 0.7),
                                                  .power(reference: 70, exponent: 1), .categorical(factor: 0.5)])
    }

    @Test("Goti covariate relations give the hand-computed typical values")
    func gotiCovariates() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        // CrCL 60 mL/min, WT 80 kg, no dialysis: CL = 4.5·(60/120)^0.8 = 2.584571298743328 L/h,
        // V1 = 58.4·80/70 = 66.74285714285714 L; pk-2cmt order [ka, CL, V1, Q, V2, F, tlag], with
        // ka, F, tlag at the model's defaults (1, 1, 0).
        let p = try goti.typicalParameters(for: PopulationFixtures.record(weight: 80, crcl: 60, dialysis: 0))
        #expect(p.count == 7)
        #expect(close(p[1], 2.584571298743328) && close(p[2], 66.74285714285714))
        #expect(p[3] == 6.5 && p[4] == 38.4 && p[0] == 1 && p[5] == 1 && p[6] == 0)
        // On dialysis: CL ×0.7 = 1.809199909120330 L/h, V1 ×0.5 = 33.37142857142857 L.
        let d = try goti.typicalParameters(for: PopulationFixtures.record(weight: 80, crcl: 60, dialysis: 1))
        #expect(close(d[1], 1.809199909120330) && close(d[2], 33.37142857142857))
        // CrCL given in L/h converts to mL/min first: 3.6 L/h = 60 mL/min.
        var r = PopulationFixtures.record(weight: 80, dialysis: 0)
        r.covariates["CRCL"] = Covariate(value: 3.6, unit: MeasurementUnit(symbol: "L/h", dimension: .volumeRate, factor: 1))
        #expect(close(try goti.typicalParameters(for: r)[1], 2.584571298743328, 1e-12))
    }

    @Test("a covariate a relation needs, missing from the record, is named")
    func missingCovariate() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        #expect(throws: PopulationModelError.missingCovariate(record: "7", covariate: "CRCL", parameter: "CL")) {
            try goti.typicalParameters(for: PopulationFixtures.record(id: "7", weight: 80, dialysis: 0))
        }
        #expect(throws: PopulationModelError.self) {   // DIAL must be 0 or 1
            try goti.typicalParameters(for: PopulationFixtures.record(weight: 80, crcl: 60, dialysis: 2))
        }
    }

    // Pinheiro & Bates (2000) §6.2, fm1Theo.nlme; values from R nlme 3.1-162 (ML), committed in
    // Tests/Fixtures/TwinFit/theophylline_nlme_population.txt: lKe −2.432670972,
    // lKa 0.4514104804, lCl −3.214452443 (to be checked against the book's printed table).
    @Test("the shipped Theophylline model gives CL = e^lCl·WT and V = CL/ke")
    func theophyllineDerived() throws {
        let theo = try PopulationFixtures.load(PopulationFixtures.theophylline)
        #expect(close(log(theo.parameters[0].typical), -2.432670972))
        #expect(close(log(theo.parameters[1].typical), 0.4514104804))
        #expect(close(log(theo.parameters[2].typical), -3.214452443))
        #expect(theo.errorModels.map(\.model) == [.additive(0.6818261752)])
        // Subject 1, WT 79.6 kg: ka = e^0.4514104804 = 1.570525819865840 1/h,
        // CL = e^−3.214452443·79.6 = 3.198115243408974 L/h, V = CL/e^−2.432670972 = 36.42417206074799 L.
        let p = try theo.typicalParameters(for: PopulationFixtures.record(weight: 79.6))
        #expect(close(p[0], 1.570525819865840) && close(p[1], 3.198115243408974) && close(p[2], 36.42417206074799))
        #expect(p[3] == 1 && p[4] == 0)
    }

    @Test("the prior maps Ω through V = CL/ke exactly: Ω_model = A·Ω·Aᵀ on the logs")
    func theophyllinePrior() throws {
        let theo = try PopulationFixtures.load(PopulationFixtures.theophylline)
        #expect(try theo.estimatedParameters() == ["ka", "CL", "V"])
        let prior = try theo.prior(for: PopulationFixtures.record(weight: 79.6))
        // log V = log CL − log ke: var = ω_CL + ω_ke − 2ω_ke,CL = 0.01477499263,
        // cov(log ka, log V) = ω_ka,CL − ω_ka,ke = −0.0152557777743,
        // cov(log CL, log V) = ω_CL − ω_ke,CL = 0.03034600834 (entries from the nlme output).
        let o = prior.omega
        #expect(close(o[0], 0.4067650908) && close(o[4], 0.06308955316) && close(o[1], -0.0142837821))
        #expect(close(o[8], 0.01477499263, 1e-9) && close(o[2], -0.0152557777743, 1e-9) && close(o[5], 0.03034600834, 1e-9))
        #expect(close(prior.typical[2], 36.42417206074799))
    }

    @Test("fm3Theo (no η on ke): ka and CL estimated with their prior, V = CL/ke derived from the estimate")
    func fm3DerivesVolumeFromClearance() throws {
        let fm3 = PopulationFixtures.fm3Theo()
        try fm3.validate()
        let record = PopulationFixtures.record(weight: 70)
        #expect(try fm3.estimatedParameters() == ["ka", "CL"])
        let prior = try fm3.prior(for: record)
        // Ω on (log ka, log CL) is the file's diagonal itself.
        #expect(prior.omega == [0.4141922312, 0, 0, 0.02786499967])
        let spec = try fm3.fitSpecification(model: OneCompartmentPK(), record: record)
        let ke = Foundation.exp(-2.45470376)
        #expect(spec.derived.count == 1 && spec.derived[0].target == "V" && spec.derived[0].powers == ["CL": 1])
        #expect(abs(spec.derived[0].factor - 1 / ke) <= 1e-12 / ke)
        #expect(spec.fixed["V"] == nil)
        // V follows CL at the typical values: CL = e^lCl·WT, V = CL/ke.
        let full = spec.fullParameters(estimates: prior.typical)
        #expect(abs(full[2] - Foundation.exp(-3.227222626) * 70 / ke) <= 1e-9 * full[2])
    }

    @Test("the fit specification estimates the random-effect parameters on their scale, fixes the rest")
    func gotiFitSpecification() throws {
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        let record = PopulationFixtures.record(weight: 80, crcl: 60, dialysis: 0)
        let spec = try goti.fitSpecification(model: TwoCompartmentPK(), record: record)
        #expect(spec.estimated == ["CL", "V1", "V2"])
        #expect(spec.transforms == [.log, .log, .log])
        #expect(spec.fixed["Q"] == 6.5)
        #expect(spec.errorModels == [.combined(additive: 3.4, proportional: 0.227)])
        #expect(spec.estimateErrorModel == false)
        #expect(spec.prior?.typical.count == 3)
        #expect(close(spec.start["CL"] ?? 0, 2.584571298743328))
        #expect(throws: PopulationModelError.modelMismatch(population: "pk-2cmt", given: "pk-1cmt")) {
            try goti.fitSpecification(model: OneCompartmentPK(), record: record)
        }
    }

    @Test("encoding and decoding give the same population model")
    func roundTrip() throws {
        for url in [PopulationFixtures.goti, PopulationFixtures.theophylline] {
            let model = try PopulationFixtures.load(url)
            #expect(try PopulationModel.decode(model.encoded()) == model)
        }
        let fm3 = PopulationFixtures.fm3Theo()
        #expect(try PopulationModel.decode(fm3.encoded()) == fm3)
    }

    @Test("a newer schema is refused with the version in the message")
    func newerSchema() throws {
        var text = try String(contentsOf: PopulationFixtures.goti, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2")
        #expect(throws: PopulationModelError.newerSchema(found: 2, supported: 1)) { try PopulationModel.decode(Data(text.utf8)) }
        #expect(PopulationModelError.newerSchema(found: 2, supported: 1).description == "this file is schema v2; this MedTwin reads v1 and older")
    }

    @Test("malformed JSON, an unknown model or parameter, a non-positive-definite Ω: typed errors")
    func badFiles() throws {
        let text = try String(contentsOf: PopulationFixtures.goti, encoding: .utf8)
        do {
            _ = try PopulationModel.decode(Data(text.replacingOccurrences(of: "\"model\": \"pk-2cmt\",", with: "\"model\": \"pk-2cmt\" \"x\",").utf8))
            Issue.record("accepted malformed JSON")
        } catch {
            guard case .malformedJSON(let location, _) = error else { Issue.record("wrong error \(error)"); return }
            // Line 5 is `  "model": "pk-2cmt" "x",`; the stray string starts in column 22.
            #expect(location == "line 5, column 22")
        }
        #expect(throws: PopulationModelError.unknownModel(name: "pk-9cmt", known: ModelCatalog.names)) {
            try PopulationModel.decode(Data(text.replacingOccurrences(of: "\"pk-2cmt\"", with: "\"pk-9cmt\"").utf8))
        }
        #expect(throws: PopulationModelError.unknownParameter(model: "pk-2cmt", name: "Vz", known: TwoCompartmentPK().parameters.map(\.name))) {
            try PopulationModel.decode(Data(text.replacingOccurrences(of: "\"name\": \"V2\"", with: "\"name\": \"Vz\"")
                .replacingOccurrences(of: "\"V1\",\n        \"V2\"", with: "\"V1\",\n        \"Vz\"").utf8))
        }
        var bad = PopulationFixtures.fm3Theo()
        bad.omega = [OmegaBlock(parameters: ["ka", "CL"], structure: .full, values: [0.04, 0.05, 0.04])]   // |ρ| = 1.25
        #expect(throws: PopulationModelError.omegaNotPositiveDefinite(parameters: ["ka", "CL"])) { try bad.validate() }
        #expect(throws: PopulationModelError.self) { try PopulationModel.decode(Data("{\"kind\": \"medtwin.twin\", \"schemaVersion\": 1}".utf8)) }
    }

    // Examples/make_vancomycin_patient.py: 1000 mg over 1 h every 12 h (4 doses, CMT 2, IV),
    // a trough at 35.5 h (17.8 mg/L) and a peak at 38 h (23.2 mg/L); WT 82 kg, CRCL 64 mL/min.
    @Test("the bundled vancomycin patient reads with two levels and IV doses into the central compartment")
    func bundledPatient() throws {
        let record = try PopulationFixtures.patient()
        #expect(record.observations.count == 2)
        #expect(record.observations.map(\.time) == [35.5, 38])
        #expect(record.observations.map(\.value) == [17.8, 23.2])
        #expect(record.doses.count == 4)
        #expect(record.doses.allSatisfy { $0.compartment == 2 && $0.amount == 1000 })
        #expect(record.weight == 82)
        let goti = try PopulationFixtures.load(PopulationFixtures.goti)
        // CL = 4.5·(64/120)^0.8 = 2.721519786319266 L/h; V1 = 58.4·82/70 = 68.41142857142857 L.
        let p = try goti.typicalParameters(for: record)
        #expect(close(p[1], 2.721519786319266, 1e-12) && close(p[2], 68.41142857142857))
    }
}
