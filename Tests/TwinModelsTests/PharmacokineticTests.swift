import Foundation
import Testing
import TwinData
import TwinModels
import TwinODE
import _TwinTestSupport

/// Closed forms of the linear compartment models (Gibaldi M, Perrier D (1982) Pharmacokinetics,
/// 2nd ed., Marcel Dekker, ch. 1–2), against which the solved models are checked.
enum ClosedForm {
    /// The two disposition rate constants α > β of the two-compartment model:
    /// the roots of λ² − (k10 + k12 + k21)λ + k10·k21 = 0.
    static func rates(k10: Double, k12: Double, k21: Double) -> (alpha: Double, beta: Double) {
        let s = k10 + k12 + k21
        let root = (s * s - 4 * k10 * k21).squareRoot()
        return ((s + root) / 2, (s - root) / 2)
    }

    /// Two-compartment central concentration after an IV bolus D at 0: D/V1·(A e^(−αt) + B e^(−βt)),
    /// A = (α − k21)/(α − β), B = (k21 − β)/(α − β).
    static func twoCompartmentBolus(_ t: Double, dose: Double, p: [Double]) -> Double {
        let (k10, k12, k21) = (p[1] / p[2], p[3] / p[2], p[3] / p[4])
        let (a, b) = rates(k10: k10, k12: k12, k21: k21)
        let ca = (a - k21) / (a - b), cb = (k21 - b) / (a - b)
        return dose / p[2] * (ca * exp(-a * t) + cb * exp(-b * t))
    }

    /// Two-compartment infusion at rate R over [0, T]: the bolus response convolved with the input.
    static func twoCompartmentInfusion(_ t: Double, rate: Double, duration: Double, p: [Double]) -> Double {
        let (k10, k12, k21) = (p[1] / p[2], p[3] / p[2], p[3] / p[4])
        let (a, b) = rates(k10: k10, k12: k12, k21: k21)
        let ca = (a - k21) / (a - b), cb = (k21 - b) / (a - b)
        let on = min(t, duration)
        let fa = ca / a * (1 - exp(-a * on)) * exp(-a * (t - on))
        let fb = cb / b * (1 - exp(-b * on)) * exp(-b * (t - on))
        return rate / p[2] * (fa + fb)
    }

    /// Two-compartment oral dose D at 0 (after lag): F·ka·D/V1 · Σ over the three exponentials.
    static func twoCompartmentOral(_ t: Double, dose: Double, p: [Double]) -> Double {
        let (ka, k10, k12, k21, f, lag) = (p[0], p[1] / p[2], p[3] / p[2], p[3] / p[4], p[5], p[6])
        let s = t - lag
        if s <= 0 { return 0 }
        let (a, b) = rates(k10: k10, k12: k12, k21: k21)
        let x = (k21 - a) * exp(-a * s) / ((ka - a) * (b - a))
        let y = (k21 - b) * exp(-b * s) / ((ka - b) * (a - b))
        let z = (k21 - ka) * exp(-ka * s) / ((a - ka) * (b - ka))
        return f * ka * dose * (x + y + z) / p[2]
    }

    /// One-compartment oral dose: F·D·ka/(V(ka − k))·(e^(−k s) − e^(−ka s)), s = t − tlag.
    static func oneCompartmentOral(_ t: Double, dose: Double, p: [Double]) -> Double {
        let (ka, k, v, f, lag) = (p[0], p[1] / p[2], p[2], p[3], p[4])
        let s = t - lag
        if s <= 0 { return 0 }
        return f * dose * ka / (v * (ka - k)) * (exp(-k * s) - exp(-ka * s))
    }
}

/// Tight tolerances so that the solver's error is far below the 1e-8 the checks ask for.
let tight = ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14)

@Suite struct PharmacokineticTests {
    let oneCpt = OneCompartmentPK()
    let twoCpt = TwoCompartmentPK()

    func concentration<M: PhysiologicalModel>(_ model: M, _ sol: ODESolution, at t: Double, p: [Double]) throws -> Double {
        let y = try #require(sol(t))
        return model.observe(time: t, state: y, parameters: p)[0]
    }

    @Test func oneCompartmentIVBolusMatchesClosedForm() throws {
        let p = oneCpt.typicalParameters
        let problem = try oneCpt.problem(regimen: Regimen(parsing: "100 mg iv"), hours: 48)
        let sol = try problem.solve(using: .tsit5, options: tight)
        for t in stride(from: 0.5, through: 48, by: 2.5) {
            // C = D/V·e^(−(CL/V)t) (Gibaldi and Perrier 1982, eq. 1.3).
            let exact = 100 / p[2] * exp(-p[1] / p[2] * t)
            #expect(isRelativelyClose(try concentration(oneCpt, sol, at: t, p: p), exact, tolerance: 1e-8), "t = \(t)")
        }
    }

    @Test func oneCompartmentInfusionMatchesClosedForm() throws {
        let p = oneCpt.typicalParameters
        let problem = try oneCpt.problem(regimen: Regimen(parsing: "200 mg iv over 4h"), hours: 24)
        let sol = try problem.solve(using: .tsit5, options: tight)
        let (k, rate) = (p[1] / p[2], 50.0)
        for t in stride(from: 0.5, through: 24, by: 1.5) {
            // R/CL·(1 − e^(−kt)) while infusing; then the end value decays at k (Gibaldi and Perrier 1982, ch. 2).
            let end = rate / p[1] * (1 - exp(-k * 4))
            let exact = t <= 4 ? rate / p[1] * (1 - exp(-k * t)) : end * exp(-k * (t - 4))
            #expect(isRelativelyClose(try concentration(oneCpt, sol, at: t, p: p), exact, tolerance: 1e-8), "t = \(t)")
        }
    }

    @Test func oneCompartmentOralWithLagAndBioavailabilityMatchesClosedForm() throws {
        let p = try oneCpt.resolveParameters(overrides: ["F": 0.7, "tlag": 0.75])
        let problem = try oneCpt.problem(parameters: p, regimen: Regimen(parsing: "320 mg po"), hours: 36)
        let sol = try problem.solve(using: .tsit5, options: tight)
        #expect(try concentration(oneCpt, sol, at: 0.5, p: p) == 0)
        for t in stride(from: 1.0, through: 36, by: 2.5) {
            let exact = ClosedForm.oneCompartmentOral(t, dose: 320, p: p)
            #expect(isRelativelyClose(try concentration(oneCpt, sol, at: t, p: p), exact, tolerance: 1e-8), "t = \(t)")
        }
    }

    @Test func twoCompartmentBolusInfusionAndOralMatchClosedForms() throws {
        let p = twoCpt.typicalParameters
        let bolus = try twoCpt.problem(regimen: Regimen(parsing: "100 mg iv"), hours: 48).solve(using: .tsit5, options: tight)
        let infusion = try twoCpt.problem(regimen: Regimen(parsing: "100 mg iv over 2h"), hours: 48).solve(using: .tsit5, options: tight)
        let oral = try twoCpt.problem(regimen: Regimen(parsing: "100 mg po"), hours: 48).solve(using: .tsit5, options: tight)
        for t in stride(from: 0.25, through: 48, by: 1.75) {
            #expect(isRelativelyClose(try concentration(twoCpt, bolus, at: t, p: p), ClosedForm.twoCompartmentBolus(t, dose: 100, p: p), tolerance: 1e-8))
            #expect(isRelativelyClose(try concentration(twoCpt, infusion, at: t, p: p),
                                      ClosedForm.twoCompartmentInfusion(t, rate: 50, duration: 2, p: p), tolerance: 1e-8))
            #expect(isRelativelyClose(try concentration(twoCpt, oral, at: t, p: p), ClosedForm.twoCompartmentOral(t, dose: 100, p: p), tolerance: 1e-8))
        }
    }

    @Test func repeatedDosesSuperpose() throws {
        let p = try twoCpt.resolveParameters(overrides: ["tlag": 0.5, "F": 0.8])
        let problem = try twoCpt.problem(parameters: p, regimen: Regimen(parsing: "100 mg po q12h x5"), hours: 72)
        let sol = try problem.solve(using: .tsit5, options: tight)
        for t in stride(from: 1.0, through: 72, by: 3.25) {
            // Linear model: the response to five doses is the sum of five single-dose responses.
            let exact = (0..<5).reduce(0.0) { $0 + ClosedForm.twoCompartmentOral(t - 12 * Double($1), dose: 100, p: p) }
            #expect(isRelativelyClose(try concentration(twoCpt, sol, at: t, p: p), exact, tolerance: 1e-8), "t = \(t)")
        }
    }

    @Test func steadyStateMatchesAccumulationRatio() throws {
        let p = oneCpt.typicalParameters
        let (k, v, tau) = (p[1] / p[2], p[2], 12.0)
        var record = PatientRecord(id: "ss")
        record.doses = [Dose(time: 0, amount: 100, unit: .milligram, route: .intravenous, steadyState: SteadyState(kind: .reset, interval: tau))]
        let sol = try oneCpt.problem(record: record, hours: tau).solve(using: .tsit5, options: tight)
        // Peak and trough at steady state: (D/V)/(1 − e^(−kτ)) and that times e^(−kτ) — the
        // accumulation ratio 1/(1 − e^(−kτ)) (Gibaldi and Perrier 1982, ch. 3).
        let peak = 100 / v / (1 - exp(-k * tau))
        #expect(isRelativelyClose(try concentration(oneCpt, sol, at: 0, p: p), peak, tolerance: 1e-8))
        #expect(isRelativelyClose(try concentration(oneCpt, sol, at: tau, p: p), peak * exp(-k * tau), tolerance: 1e-8))

        // Oral: C_ss(t) = F·D·ka/(V(ka − k))·[e^(−kt)/(1 − e^(−kτ)) − e^(−ka t)/(1 − e^(−ka τ))].
        record.doses = [Dose(time: 0, amount: 100, unit: .milligram, route: .oral, steadyState: SteadyState(kind: .reset, interval: tau))]
        let oral = try oneCpt.problem(record: record, hours: tau).solve(using: .tsit5, options: tight)
        let ka = p[0]
        for t in stride(from: 0.5, through: tau, by: 1.5) {
            let exact = 100 * ka / (v * (ka - k)) * (exp(-k * t) / (1 - exp(-k * tau)) - exp(-ka * t) / (1 - exp(-ka * tau)))
            #expect(isRelativelyClose(try concentration(oneCpt, oral, at: t, p: p), exact, tolerance: 1e-8), "t = \(t)")
        }
    }

    @Test func additiveSteadyStateAddsToTheCurrentState() throws {
        let p = oneCpt.typicalParameters
        let (k, v, tau) = (p[1] / p[2], p[2], 8.0)
        var record = PatientRecord(id: "ss2")
        record.doses = [Dose(time: 0, amount: 50, unit: .milligram, route: .intravenous),
                        Dose(time: 4, amount: 100, unit: .milligram, route: .intravenous, steadyState: SteadyState(kind: .additive, interval: tau))]
        let sol = try oneCpt.problem(record: record, hours: 6).solve(using: .tsit5, options: tight)
        // SS = 2 superposes the steady state of 100 mg q8h on what the 50 mg dose left.
        let exact = 50 / v * exp(-k * 6) + 100 / v / (1 - exp(-k * tau)) * exp(-k * 2)
        #expect(isRelativelyClose(try concentration(oneCpt, sol, at: 6, p: p), exact, tolerance: 1e-8))
    }

    @Test func michaelisMentenSteadyStateIsPeriodic() throws {
        let model = MichaelisMentenPK()
        let dose = Dose(time: 0, amount: 300, unit: .milligram, route: .oral, steadyState: SteadyState(kind: .reset, interval: 24))
        let p = model.typicalParameters + [0, 0]
        let trough = try model.steadyStateTrough(of: dose, parameters: p)
        // Φ(y*) = y*: one more interval from the trough returns to it (no closed form for the non-linear model).
        let problem = try model.problem(regimen: Regimen(parsing: "300 mg po"), hours: 24, initialState: trough)
        let after = try problem.solve(using: .tsit5, options: tight).finalState
        for i in 0..<2 { #expect(isClose(after[i], trough[i], tolerance: 1e-8), "state \(i): \(after[i]) vs \(trough[i])") }
        #expect(trough[1] > 0)
    }

    /// Dose given = remaining in the body + eliminated, the eliminated amount integrated
    /// independently of the solver from the dense output.
    @Test(arguments: ["pk-1cmt", "pk-2cmt", "pk-3cmt", "pk-mm"])
    func massBalanceHolds(_ name: String) throws {
        let regimen = try Regimen(parsing: "100 mg po q12h x3; 50 mg iv over 2h at 30h; 20 mg iv at 40h")
        let given = 370.0
        func check<M: PhysiologicalModel>(_ model: M, elimination: @escaping ([Double], [Double]) -> Double) throws {
            let p = model.typicalParameters
            let sol = try model.problem(regimen: regimen, hours: 60).solve(using: .tsit5, options: tight)
            let remaining = sol.finalState.reduce(0, +)
            let eliminated = integrate(sol) { _, y in elimination(y, p) }
            #expect(isRelativelyClose(remaining + eliminated, given, tolerance: 1e-8), "\(name): \(remaining) + \(eliminated) vs \(given)")
        }
        switch name {
        case "pk-1cmt": try check(OneCompartmentPK()) { y, p in p[1] / p[2] * y[1] }
        case "pk-2cmt": try check(TwoCompartmentPK()) { y, p in p[1] / p[2] * y[1] }
        case "pk-3cmt": try check(ThreeCompartmentPK()) { y, p in p[1] / p[2] * y[1] }
        default: try check(MichaelisMentenPK()) { y, p in let c = y[1] / p[3]; return p[1] * c / (p[2] + c) }
        }
    }

    @Test func weightScalesAllometricallyOnlyWhenAsked() throws {
        var record = PatientRecord(id: "child")
        record.covariates[CovariateName.weight] = Covariate(value: 35, unit: .kilogram)
        let typical = twoCpt.typicalParameters
        // Not asked: the covariates change nothing.
        #expect(try twoCpt.resolveParameters(covariates: record.covariates) == typical)
        #expect(try twoCpt.problem(record: record, hours: 1).parameters.prefix(typical.count).elementsEqual(typical))
        let p = try twoCpt.resolveParameters(covariates: record.covariates, covariateRelations: .modelDefault)
        // CL, Q × (35/70)^0.75; V1, V2 × 35/70 (Holford 1996).
        #expect(isRelativelyClose(p[1], typical[1] * pow(0.5, 0.75), tolerance: 1e-15))
        #expect(isRelativelyClose(p[3], typical[3] * pow(0.5, 0.75), tolerance: 1e-15))
        #expect(p[2] == typical[2] * 0.5 && p[4] == typical[4] * 0.5 && p[0] == typical[0])
    }

    @Test func sensitivitiesFlowThroughTheParameters() throws {
        let problem = try oneCpt.problem(regimen: Regimen(parsing: "100 mg iv"), hours: 10)
        let result = try problem.solveWithSensitivities(using: .tsit5, parameters: [1], options: tight)
        let p = oneCpt.typicalParameters
        // A(t) = D·e^(−(CL/V)t) ⇒ ∂A/∂CL = −(t/V)·A.
        let a = 100 * exp(-p[1] / p[2] * 10)
        #expect(isRelativelyClose(result.finalSensitivities[1][0], -10 / p[2] * a, tolerance: 1e-7))
    }

    @Test func rejectsDosesAndParametersItCannotTake() throws {
        #expect(throws: ModelError.self) { try oneCpt.problem(regimen: Regimen(parsing: "60 g carbs at 07:00"), hours: 24) }
        #expect(throws: ModelError.self) { try oneCpt.problem(regimen: Regimen(parsing: "100 mg cmt 3"), hours: 24) }
        do {
            _ = try oneCpt.resolveParameters(overrides: ["CL": -1])
            Issue.record("a negative clearance was accepted")
        } catch {
            #expect(error == .parameterOutOfBounds(model: "pk-1cmt", name: "CL", value: -1, lower: 1e-4, upper: 1e4, unit: "L/h"))
            #expect(error.description.contains("CL = -1.0 L/h"))
        }
        #expect(throws: ModelError.unknownParameter(model: "pk-1cmt", name: "Cl2", known: ["ka", "CL", "V", "F", "tlag"])) {
            try oneCpt.resolveParameters(overrides: ["Cl2": 3])
        }
        #expect(throws: ModelError.self) { try oneCpt.problem(hours: 0) }
    }
}
