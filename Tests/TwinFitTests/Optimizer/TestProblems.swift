import Foundation
import TwinFit

/// A residual function given by a closure (test problems only; the timing test uses a struct).
struct ClosureResiduals: ResidualFunction, Sendable {
    let parameterCount: Int
    let residualCount: Int
    let body: @Sendable ([Double], inout [Double], inout [Double]) -> Bool

    mutating func evaluate(_ theta: [Double], residuals: inout [Double], jacobian: inout [Double]) -> Bool {
        body(theta, &residuals, &jacobian)
    }
}

/// Moré, Garbow & Hillstrom (1981), ACM TOMS 7:17–41, problems with analytic Jacobians, and the
/// standard starts. The same definitions are in Tests/Fixtures/Optimizer/mgh_scipy.py.
enum MGH {
    /// Problem 1, Rosenbrock: r = (10(x₂ − x₁²), 1 − x₁); f* = 0 at (1, 1); start (−1.2, 1).
    static let rosenbrock = ClosureResiduals(parameterCount: 2, residualCount: 2) { x, r, j in
        r[0] = 10 * (x[1] - x[0] * x[0]); r[1] = 1 - x[0]
        j[0] = -20 * x[0]; j[1] = 10; j[2] = -1; j[3] = 0
        return true
    }

    /// Problem 2, Freudenstein–Roth; start (0.5, −2); local minimum f = 48.9842… at (11.41…, −0.8968…).
    static let freudensteinRoth = ClosureResiduals(parameterCount: 2, residualCount: 2) { x, r, j in
        let y = x[1]
        r[0] = -13 + x[0] + ((5 - y) * y - 2) * y
        r[1] = -29 + x[0] + ((y + 1) * y - 14) * y
        j[0] = 1; j[1] = 10 * y - 3 * y * y - 2
        j[2] = 1; j[3] = 3 * y * y + 2 * y - 14
        return true
    }

    /// Problem 13, Powell singular; start (3, −1, 0, 1); f* = 0 at 0, where J is singular.
    static let powellSingular = ClosureResiduals(parameterCount: 4, residualCount: 4) { x, r, j in
        let s5 = 5.0.squareRoot(), s10 = 10.0.squareRoot()
        let a = x[1] - 2 * x[2], b = x[0] - x[3]
        r[0] = x[0] + 10 * x[1]; r[1] = s5 * (x[2] - x[3]); r[2] = a * a; r[3] = s10 * b * b
        for k in 0..<16 { j[k] = 0 }
        j[0] = 1; j[1] = 10
        j[6] = s5; j[7] = -s5
        j[9] = 2 * a; j[10] = -4 * a
        j[12] = 2 * s10 * b; j[15] = -2 * s10 * b
        return true
    }

    static let meyerY: [Double] = [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147,
                                   4427, 3820, 3307, 2872]

    /// Problem 10, Meyer: rᵢ = x₁·exp(x₂/(tᵢ + x₃)) − yᵢ, tᵢ = 45 + 5i; start (0.02, 4000, 250); f* = 87.9458….
    static let meyer = ClosureResiduals(parameterCount: 3, residualCount: 16) { x, r, j in
        for i in 0..<16 {
            let t = 45 + 5 * Double(i + 1)
            let e = exp(x[1] / (t + x[2]))
            r[i] = x[0] * e - meyerY[i]
            j[3 * i] = e
            j[3 * i + 1] = x[0] * e / (t + x[2])
            j[3 * i + 2] = -x[0] * e * x[1] / ((t + x[2]) * (t + x[2]))
        }
        return true
    }

    /// Problem 12, Box three-dimensional, m = 10, tᵢ = 0.1i; start (0, 10, 20); f* = 0 at (1, 10, 1).
    static let box3d = ClosureResiduals(parameterCount: 3, residualCount: 10) { x, r, j in
        for i in 0..<10 {
            let t = 0.1 * Double(i + 1)
            let c = exp(-t) - exp(-10 * t)
            r[i] = exp(-t * x[0]) - exp(-t * x[1]) - x[2] * c
            j[3 * i] = -t * exp(-t * x[0])
            j[3 * i + 1] = t * exp(-t * x[1])
            j[3 * i + 2] = -c
        }
        return true
    }

    /// Problem 4, Brown badly scaled; start (1, 1); f* = 0 at (10⁶, 2·10⁻⁶).
    static let brownBadlyScaled = ClosureResiduals(parameterCount: 2, residualCount: 3) { x, r, j in
        r[0] = x[0] - 1e6; r[1] = x[1] - 2e-6; r[2] = x[0] * x[1] - 2
        j[0] = 1; j[1] = 0; j[2] = 0; j[3] = 1; j[4] = x[1]; j[5] = x[0]
        return true
    }
}

/// Options with every tolerance at `tolerance`.
func tightOptions(_ tolerance: Double = 1e-15, maximumIterations: Int = 1000) -> TrustRegionOptions {
    TrustRegionOptions(functionTolerance: tolerance, stepTolerance: tolerance, gradientTolerance: tolerance,
                       maximumIterations: maximumIterations, maximumEvaluations: 2 * maximumIterations)
}

/// Options for the exact optimum: ftol = 0 (the ftol rule bounds the relative error of f, which
/// leaves θ accurate only to about √ftol), xtol = gtol = 1e-15.
func exactOptions(maximumIterations: Int = 1000) -> TrustRegionOptions {
    TrustRegionOptions(functionTolerance: 0, stepTolerance: 1e-15, gradientTolerance: 1e-15,
                       maximumIterations: maximumIterations, maximumEvaluations: 2 * maximumIterations)
}
