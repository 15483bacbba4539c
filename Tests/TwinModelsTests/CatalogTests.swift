import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// Checks every model of the catalogue shares: consistent descriptors, analytic Jacobians that
/// agree with dual-number differentiation, a default run that succeeds.
@Suite struct CatalogTests {
    /// Every concrete model, for checks that need the static type.
    static let models: [any PhysiologicalModel] = [
        OneCompartmentPK(), TwoCompartmentPK(), ThreeCompartmentPK(), MichaelisMentenPK(), EffectCompartmentEmax(),
        IndirectResponse(.inhibitProduction), IndirectResponse(.inhibitLoss), IndirectResponse(.stimulateProduction),
        IndirectResponse(.stimulateLoss), BergmanMinimalModel(), UVAPadova(), WindkesselHeart(),
        TumourGrowth(growth: .gompertz, kill: .logKill), TumourGrowth(growth: .logistic, kill: .nortonSimon), SEIRHospital(),
    ]

    @Test func namesAreUniqueAndLookupsWork() throws {
        #expect(Set(ModelCatalog.names).count == ModelCatalog.names.count)
        #expect(try ModelCatalog.model(named: "UVA-Padova").name == "uva-padova")
        do {
            _ = try ModelCatalog.model(named: "one-cpt")
            Issue.record("an unknown model was found")
        } catch {
            #expect(error.description.hasPrefix("unknown model 'one-cpt'; known models: pk-1cmt, pk-2cmt"))
        }
    }

    @Test func descriptorsMatchTheSystem() {
        for model in ModelCatalog.all {
            #expect(!model.reference.isEmpty && !model.title.isEmpty)
            for p in model.parameters { #expect(p.admits(p.typical), "\(model.name): typical \(p.name) = \(p.typical) outside its range") }
        }
        for model in Self.models {
            #expect(model.states.count == model.stateCount, "\(model.name)")
            #expect(model.parameters.count + model.inputs.count == model.parameterCount, "\(model.name)")
            #expect(model.initialState(parameters: model.typicalParameters).count == model.stateCount)
            #expect(model.initialInputs(parameters: model.typicalParameters).count == model.inputs.count)
        }
    }

    @Test func analyticJacobiansAgreeWithDualNumbers() throws {
        func check<M: PhysiologicalModel>(_ model: M) throws {
            guard model.providesJacobian else { return }
            let p = model.typicalParameters + model.initialInputs(parameters: model.typicalParameters)
            // A generic state: every compartment filled (so that no max(·, 0) sits on its kink).
            let y = model.initialState(parameters: model.typicalParameters).enumerated().map { $0.element + 3 + Double($0.offset) }
            let exact = try dualJacobian(model, t: 7, y: y, p: p)
            let analytic = analyticJacobian(model, t: 7, y: y, p: p)
            for k in exact.indices {
                #expect(isClose(analytic[k], exact[k], tolerance: 1e-12), "\(model.name) J[\(k)]: \(analytic[k]) vs \(exact[k])")
            }
        }
        for model in Self.models { try check(model) }
    }

    @Test func everyModelRunsFromItsDefaults() throws {
        for model in ModelCatalog.all {
            var request = SimulationRequest(hours: model.timeUnit == .second ? model.timeUnit.toHours(5) : model.timeUnit == .day ? 240 : 24)
            request.points = 11
            if model.name.hasPrefix("pk") || model.name.hasPrefix("tumor") { request.regimen = try Regimen(parsing: "100 mg iv") }
            if model.name == "uva-padova" { request.regimen = try Regimen(parsing: "50 g carbs at 02:00"); request.subject = "child#003" }
            let run = try model.simulate(request)
            #expect(run.simulation.status == .success, "\(model.name): \(run.simulation.status)")
            #expect(run.simulation.values.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(model.name)")
        }
    }

    @Test func regimenBasalReplacesTheModelsBasal() throws {
        // u2ss of adult#001 is its basal; a regimen basal of 0 U/h switches insulin off and glucose rises.
        var request = SimulationRequest(hours: 6)
        request.subject = "adult#001"
        request.regimen = try Regimen(parsing: "basal 0 U/h")
        let run = try ModelCatalog.model(named: "uva-padova").simulate(request)
        #expect(run.parameterSource.contains("adult#001"))
        let glucose = try #require(run.simulation.series("glucose"))
        #expect(glucose.last! > glucose.first! + 10)
    }
}
