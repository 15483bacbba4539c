import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// Records to model: which CMT takes which dose, which CMT / DVID / quantity is which output
/// (NONMEM's ADVAN2/4 numbering for the PK models: CMT 1 depot, CMT 2 central).
@Suite struct RecordMappingTests {
    let oneCpt = OneCompartmentPK()
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples")

    func dose(cmt: Int? = nil, route: Route = .unspecified, unit: MeasurementUnit = .milligram) -> Dose {
        Dose(time: 0, amount: 100, unit: unit, route: route, compartment: cmt)
    }

    func level(cmt: Int? = nil, dvid: Int? = nil, quantity: String = "DV") -> Observation {
        Observation(time: 1.5, quantity: quantity, value: 18, unit: .milligramPerLiter, compartment: cmt, outputID: dvid)
    }

    @Test func pkDosesFollowTheADVAN2Numbering() throws {
        for model in [oneCpt, TwoCompartmentPK(), ThreeCompartmentPK(), MichaelisMentenPK()] as [any PhysiologicalModel] {
            #expect(try model.doseCompartment(for: dose(cmt: 1)).name == "depot")
            #expect(try model.doseCompartment(for: dose(cmt: 2)).name == "central")
            #expect(try model.doseCompartment(for: dose(cmt: 0)).name == "depot", "CMT 0: NONMEM's default dose compartment")
            #expect(try model.doseCompartment(for: dose(route: .intravenous)).name == "central")
            #expect(try model.doseCompartment(for: dose(route: .oral)).name == "depot")
            #expect(try model.doseCompartment(for: dose()).name == "depot", "no CMT, no route: the depot, as ADVAN2")
            #expect(try model.doseCompartment(for: dose(cmt: 2, route: .intravenous)).state == 1)
        }
    }

    @Test func contradictoryOrUnknownDoseCompartmentsAreRefused() {
        #expect {
            try oneCpt.doseCompartment(for: dose(cmt: 1, route: .intravenous))
        } throws: { error in
            guard let e = error as? ModelError, case let .unsupportedDose(model, dose, reason) = e else { return false }
            return model == "pk-1cmt" && dose.contains("cmt 1") && reason.contains("iv doses go to CMT 2 (central)")
        }
        #expect {
            try oneCpt.doseCompartment(for: dose(cmt: 3))
        } throws: { error in
            "\(error)".contains("compartment 3 takes no such doses") && "\(error)".contains("CMT 1 depot") && "\(error)".contains("CMT 2 central (iv)")
        }
        #expect(throws: ModelError.self) { try WindkesselHeart().doseCompartment(for: dose()) }
        #expect(throws: ModelError.self) { try oneCpt.doseCompartment(for: dose(unit: .insulinUnit)) }
    }

    @Test func otherModelsDeclareTheirDoseCompartments() throws {
        let bergman = BergmanMinimalModel()
        #expect(try bergman.doseCompartment(for: dose(unit: .insulinUnit)).number == 3)
        #expect(try bergman.doseCompartment(for: dose(unit: .gramCarbohydrate)).number == 1)
        #expect(throws: ModelError.self) { try bergman.doseCompartment(for: dose(cmt: 1, unit: .insulinUnit)) }
        #expect(try UVAPadova().doseCompartment(for: dose(unit: .insulinUnit)).state == 10)
        #expect(try TumourGrowth(growth: .gompertz, kill: .logKill).doseCompartment(for: dose(cmt: 1)).state == 0)
    }

    @Test func singleOutputObservationsAreOutputZeroUnlessTheCMTSaysOtherwise() throws {
        let twoCpt = TwoCompartmentPK()
        #expect(try twoCpt.outputIndex(for: level()) == 0)                             // "DV", no CMT
        #expect(try twoCpt.outputIndex(for: level(cmt: 2)) == 0)                       // central
        #expect(try twoCpt.outputIndex(for: level(cmt: 0)) == 0)                       // CMT 0: default
        #expect(try twoCpt.outputIndex(for: level(dvid: 1)) == 0)
        #expect(try twoCpt.outputIndex(for: level(quantity: "vancomycin")) == 0)       // a drug name
        #expect(try twoCpt.outputIndex(for: level(quantity: "C")) == 0)                // the output's name
        #expect {
            try twoCpt.outputIndex(for: level(cmt: 1))
        } throws: { error in
            guard let e = error as? ModelError, case let .unmappedObservation(model, observation, reason) = e else { return false }
            return model == "pk-2cmt" && observation == "DV = 18.0 mg/L at 1.5 h, CMT 1" && reason.contains("CMT 2")
        }
        #expect {
            try twoCpt.outputIndex(for: Observation(time: 3, quantity: "DV", value: 80, unit: .hour))
        } throws: { error in
            "\(error)".contains("C is in mg/L, to which h does not convert")
        }
        // A molar concentration converts (given the substance): accepted.
        #expect(try twoCpt.outputIndex(for: Observation(time: 3, quantity: "DV", value: 0.05, unit: .millimolePerLiter)) == 0)
        #expect {
            try twoCpt.outputIndex(for: level(cmt: 2, dvid: 2))
        } throws: { error in
            "\(error)".contains("DVID 2") && "\(error)".contains("no output has DVID 2; DVID 1 C (mg/L)")
        }
    }

    @Test func multiOutputObservationsNeedADVIDANameOrACMT() throws {
        let emax = EffectCompartmentEmax()                                              // C, Ce, E_direct, E_effect
        #expect(try emax.outputIndex(for: level(dvid: 3)) == 2)
        #expect(try emax.outputIndex(for: level(quantity: "ce")) == 1)                  // names are case-insensitive
        #expect(try emax.outputIndex(for: level(cmt: 2)) == 0)                          // the concentration, CMT 2
        #expect(throws: ModelError.self) { try emax.outputIndex(for: level()) }         // "DV": which one?
        #expect(throws: ModelError.self) { try emax.outputIndex(for: level(cmt: 1, dvid: 1)) }
        let bergman = BergmanMinimalModel()                                             // glucose, insulin, X
        #expect(try bergman.outputIndex(for: level(quantity: "insulin")) == 1)
        #expect(try bergman.outputIndex(for: level(quantity: "glucose")) == 0)
        #expect(throws: ModelError.self) { try bergman.outputIndex(for: level(quantity: "loinc:4049-3")) }
    }

    /// The CSV (CMT 2, ROUTE iv) and FHIR (route IV, no CMT) copies of the vancomycin example
    /// are simulated identically, and as an IV infusion: at typical pk-1cmt values (CL 2.8 L/h,
    /// V 35 L, k = 0.08 h⁻¹) patient 101's 1000 mg over 1 h gives, by the closed form of a
    /// zero-order infusion into one compartment (Gibaldi & Perrier 1982, ch. 2),
    /// C(1 h) = R/CL·(1 − e^(−k)), C(1.5 h) = C(1 h)·e^(−0.5k). (Before the fix, CMT 1 sent the
    /// CSV's dose to the depot: absorbed, not infused.)
    @Test func vancomycinCSVAndFHIRCopiesSimulateAlike() throws {
        let csv = try NONMEMReader.read(contentsOf: Self.examples.appendingPathComponent("vancomycin-cohort.csv")).cohort
        let fhir = try FHIRReader().read(contentsOf: [Self.examples.appendingPathComponent("vancomycin-cohort.json")]).cohort
        #expect(csv.count == 8 && fhir.count == 8)
        for model in [oneCpt, TwoCompartmentPK()] as [any PhysiologicalModel] {
            for (a, b) in zip(csv, fhir) {
                let times = a.observations.map(\.time)
                #expect(times == b.observations.map(\.time))
                let simA = try model.simulate(record: a, hours: 48, gridHours: times)
                let simB = try model.simulate(record: b, hours: 48, gridHours: times)
                // The same events (central compartment, same rates and times) in the same solver:
                // the same numbers.
                #expect(simA.values == simB.values, "\(model.name) patient \(a.id)")
                for (o, p) in zip(a.observations, b.observations) {
                    #expect(try model.outputIndex(for: o) == 0 && model.outputIndex(for: p) == 0)
                }
            }
        }
        let patient = try #require(csv.record(id: "101"))
        let sim = try oneCpt.simulate(record: patient, hours: 2, gridHours: [1, 1.5])
        let k = 2.8 / 35, c1 = 1000 / 2.8 * (1 - exp(-k))
        // Tolerance: the solve runs at rtol 1e-8; 1e-6 relative leaves a margin of 100.
        #expect(isRelativelyClose(sim.values[0][0], c1, tolerance: 1e-6))
        #expect(isRelativelyClose(sim.values[1][0], c1 * exp(-0.5 * k), tolerance: 1e-6))
    }

    @Test func allometryIsAppliedOnlyWhenAskedAndReported() throws {
        var record = PatientRecord(id: "1", covariates: [CovariateName.weight: Covariate(value: 35, unit: .kilogram)])
        record.doses = [Dose(time: 0, amount: 100, unit: .milligram, route: .intravenous)]
        let plain = try oneCpt.simulate(record: record, hours: 1, gridHours: [0])
        let scaled = try oneCpt.simulate(record: record, hours: 1, gridHours: [0], covariateRelations: .modelDefault)
        // IV bolus: C(0) = 100 mg / V; V = 35 L unscaled, 35 · 35/70 = 17.5 L with allometry.
        #expect(isRelativelyClose(plain.values[0][0], 100.0 / 35, tolerance: 1e-14))
        #expect(isRelativelyClose(scaled.values[0][0], 100.0 / 17.5, tolerance: 1e-14))
        #expect(oneCpt.covariateReport(.none, covariates: record.covariates).hasPrefix("none applied (pk-1cmt's default covariate relations, CL × (WT/70)^0.75"))
        #expect(oneCpt.covariateReport(.modelDefault, covariates: record.covariates).contains("applied (CL × (WT/70)^0.75, V × WT/70"))
        #expect(oneCpt.covariateReport(.modelDefault, covariates: record.covariates).hasSuffix("to WT 35.0 kg"))
        #expect(WindkesselHeart().covariateReport(.modelDefault, covariates: [:]).contains("has no built-in covariate relations"))
    }
}
