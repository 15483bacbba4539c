import Foundation
import Testing
import TwinFit

/// One-compartment oral absorption, dose 100 mg, parameters (log ka [1/h], log ke [1/h], log V [L]):
/// C(t) = D·ka/(V·(ka − ke))·(e^(−ke·t) − e^(−ka·t)) mg/L at 11 sampling times (hours). The
/// 3-parameter, 11-residual problem used for the optimiser's timing (Tests/Fixtures/Optimizer/timing_main.swift).
struct OralAbsorptionResiduals: ResidualFunction {
    static let times: [Double] = [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 24]
    /// Truth (ka 1.2, ke 0.15, V 30) × (1 + 0.05·sin 7i), from mgh_scipy.py's "pkData".
    static let data: [Double] = [0.8471474172918245, 1.4909695527852054, 2.2370540459040145, 2.513167897289333,
                                 2.510118337764414, 2.2751936769143546, 1.96498720593856, 1.4722679324439218,
                                 1.1172336846588622, 0.6349771875313311, 0.1081180996432059]
    let dose = 100.0
    var parameterCount: Int { 3 }
    var residualCount: Int { Self.times.count }

    func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool {
        let ka = exp(theta[0]), ke = exp(theta[1]), v = exp(theta[2])
        guard ka != ke, ka.isFinite, ke.isFinite, v.isFinite else { return false }
        let a = dose * ka / (v * (ka - ke))
        for i in 0..<Self.times.count {
            let t = Self.times[i]
            let eke = exp(-ke * t), eka = exp(-ka * t)
            let d = eke - eka
            residuals[i] = a * d - Self.data[i]
            // ∂C/∂log ka = ka·∂C/∂ka, etc. (chain rule through the log transform).
            let dka = (-ke / (ka - ke)) * a / ka * d + a * t * eka
            let dke = a / (ka - ke) * d - a * t * eke
            jacobian[3 * i] = dka * ka
            jacobian[3 * i + 1] = dke * ke
            jacobian[3 * i + 2] = -a * d
        }
        return true
    }
}

@Suite struct OralAbsorptionFitTests {
    @Test func fitMatchesSciPyMinpack() throws {
        var objective = LeastSquaresObjective(OralAbsorptionResiduals())
        let fit = try TrustRegionMinimizer(options: exactOptions()).minimize(&objective, from: [log(0.5), log(0.3), log(10)])
        // SciPy least_squares(method='lm', 1e-15 tolerances): mgh_scipy.json "pkOral".
        let reference = [0.27126140188597203, -1.8774594112991725, 3.4074436528791163]
        #expect(fit.converged, "\(fit.summary)")
        for k in 0..<3 { #expect(abs(fit.parameters[k] - reference[k]) <= 1e-9 * max(1, abs(reference[k]))) }
        #expect(abs(fit.objective - 0.014611848404667614) <= 1e-12 * 0.0146)
    }

    @Test func defaultTolerancesGiveTheSameFitToEightDigits() throws {
        var objective = LeastSquaresObjective(OralAbsorptionResiduals())
        let fit = try TrustRegionMinimizer().minimize(&objective, from: [log(0.5), log(0.3), log(10)])
        // ftol = 1e-8 bounds f's relative error by ~1e-8, so θ to about √1e-8 = 1e-4 of its scale.
        #expect(fit.converged)
        #expect(abs(fit.objective - 0.014611848404667614) <= 1e-8 * 0.0146)
        #expect(abs(fit.parameters[0] - 0.27126140188597203) <= 1e-4)
    }
}
