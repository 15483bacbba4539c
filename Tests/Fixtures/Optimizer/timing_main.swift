// Release timing of TrustRegionMinimizer on the 3-parameter, 11-residual oral-absorption fit
// (the same problem as Tests/TwinFitTests/Optimizer/OralAbsorptionFitTests.swift). Not part of the
// package: compiled together with the optimiser's sources into one optimised module, as the fitting
// code in TwinFit sees them. Run: sh Tests/Fixtures/Optimizer/timing.sh
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

struct OralAbsorptionResiduals: ResidualFunction {
    let times: [Double] = [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 24]
    let data: [Double] = [0.8471474172918245, 1.4909695527852054, 2.2370540459040145, 2.513167897289333,
                          2.510118337764414, 2.2751936769143546, 1.96498720593856, 1.4722679324439218,
                          1.1172336846588622, 0.6349771875313311, 0.1081180996432059]
    let dose = 100.0
    var parameterCount: Int { 3 }
    var residualCount: Int { 11 }

    func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool {
        let ka = exp(theta[0]), ke = exp(theta[1]), v = exp(theta[2])
        guard ka != ke, ka.isFinite, ke.isFinite, v.isFinite else { return false }
        let a = dose * ka / (v * (ka - ke))
        for i in 0..<times.count {
            let t = times[i]
            let eke = exp(-ke * t), eka = exp(-ka * t)
            let d = eke - eka
            residuals[i] = a * d - data[i]
            jacobian[3 * i] = ((-ke / (ka - ke)) * a / ka * d + a * t * eka) * ka
            jacobian[3 * i + 1] = (a / (ka - ke) * d - a * t * eke) * ke
            jacobian[3 * i + 2] = -a * d
        }
        return true
    }
}

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)   // CPU time: robust to a loaded machine
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

@main struct OptimizerTiming {
    static func main() throws {
        do {    // the cost of one evaluation (residuals, Jacobian, gradient, 2JᵀJ) for comparison
            var objective = LeastSquaresObjective(OralAbsorptionResiduals())
            var g = [Double](repeating: 0, count: 3), h = [Double](repeating: 0, count: 9)
            var theta = [log(0.5), log(0.3), log(10.0)]
            var checksum = 0.0
            let t0 = seconds()
            for k in 0..<200_000 {
                theta[0] = log(0.5) + Double(k % 7) * 1e-3
                checksum += objective.evaluate(theta, gradient: &g, curvature: &h) ?? 0
            }
            print("one evaluation: \((seconds() - t0) / 200_000 * 1e6) µs  [checksum \(checksum)]")
        }
        let start = [log(0.5), log(0.3), log(10.0)]
        for (label, options) in [("default tolerances (1e-8)", TrustRegionOptions()),
                                 ("ftol 0, xtol = gtol = 1e-15", TrustRegionOptions(functionTolerance: 0, stepTolerance: 1e-15, gradientTolerance: 1e-15))] {
            let minimizer = TrustRegionMinimizer(options: options)
            var objective = LeastSquaresObjective(OralAbsorptionResiduals())
            var checksum = 0.0
            var last: OptimizationResult?
            let repeats = 20_000
            var best = Double.infinity
            for _ in 0..<5 {
                let t0 = seconds()
                for k in 0..<repeats {
                    var s = start
                    s[0] += Double(k % 7) * 1e-3          // vary the start a little so nothing is hoisted
                    let fit = try minimizer.minimize(&objective, from: s)
                    checksum += fit.objective
                    last = fit
                }
                best = min(best, (seconds() - t0) / Double(repeats))
            }
            print("\(label): \(best * 1e6) µs per fit (best of 5 × \(repeats)); \(last?.summary ?? "")  [checksum \(checksum)]")
        }
    }
}
