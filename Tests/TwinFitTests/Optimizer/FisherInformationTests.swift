import Foundation
import Testing
import TwinFit

@Suite struct FisherInformationTests {
    static let x: [Double] = [0.5, 1, 2, 3, 5, 8]
    static let y: [Double] = [1.4, 2.1, 4.3, 5.8, 10.4, 15.7]

    /// y = a·b·x in (log a, log b): rᵢ = e^(la + lb)·xᵢ − yᵢ; both Jacobian columns are e^(la+lb)·xᵢ.
    static let product = ClosureResiduals(parameterCount: 2, residualCount: x.count) { t, r, j in
        let ab = exp(t[0] + t[1])
        for i in x.indices {
            r[i] = ab * x[i] - y[i]
            j[2 * i] = ab * x[i]; j[2 * i + 1] = ab * x[i]
        }
        return true
    }

    @Test func productModelReportsTheDifferenceOfLogsAsUnidentifiable() throws {
        var objective = LeastSquaresObjective(Self.product)
        let fit = try TrustRegionMinimizer(options: tightOptions()).minimize(&objective, from: [0, 0])
        // Closed form: only a·b is determined, a·b = Σxy/Σx² (a linear fit through the origin).
        let sxy = zip(Self.x, Self.y).reduce(0.0) { $0 + $1.0 * $1.1 }, sxx = Self.x.reduce(0.0) { $0 + $1 * $1 }
        #expect(fit.converged, "\(fit.summary)")
        #expect(abs(exp(fit.parameters[0] + fit.parameters[1]) - sxy / sxx) <= 1e-12 * sxy / sxx)
        let info = try FisherInformation(curvature: fit.curvature, parameterNames: ["log a", "log b"],
                                         residualVariance: fit.objective / 5)
        // Analytic null space of JᵀJ ∝ [[1, 1], [1, 1]]: (1, −1)/√2, i.e. log a − log b.
        let report = info.identifiability
        #expect(report.status == .singular)
        #expect(info.covariance == nil && info.standardErrors == nil)
        let weakest = try #require(report.weakDirections.first)
        #expect(abs(weakest.loadings[0] - 0.5.squareRoot()) <= 1e-12 && abs(weakest.loadings[1] + 0.5.squareRoot()) <= 1e-12)
        #expect(weakest.description == "log a − log b (0.71, −0.71)")
        #expect(report.description.contains("log a − log b"))
    }

    @Test func wellPosedStandardErrorsMatchTheClosedFormCovariance() throws {
        // y = c₀ + c₁·x: J has rows (1, xᵢ), JᵀJ = [[m, Sx], [Sx, Sxx]].
        let line = ClosureResiduals(parameterCount: 2, residualCount: Self.x.count) { c, r, j in
            for i in Self.x.indices {
                r[i] = c[0] + c[1] * Self.x[i] - Self.y[i]
                j[2 * i] = 1; j[2 * i + 1] = Self.x[i]
            }
            return true
        }
        var objective = LeastSquaresObjective(line)
        let fit = try TrustRegionMinimizer(options: tightOptions()).minimize(&objective, from: [0, 0])
        let m = Double(Self.x.count)
        let sigma2 = fit.objective / (m - 2)
        let info = try FisherInformation(curvature: fit.curvature, parameterNames: ["intercept", "slope"], residualVariance: sigma2)
        // Closed form: (JᵀJ)⁻¹ = [[Sxx, −Sx], [−Sx, m]] / (m·Sxx − Sx²); SE = √(diag·σ²);
        // correlation = −Sx/√(m·Sxx).
        let sx = Self.x.reduce(0, +), sxx = Self.x.reduce(0) { $0 + $1 * $1 }
        let det = m * sxx - sx * sx
        let se = try #require(info.standardErrors)
        #expect(abs(se[0] - (sxx / det * sigma2).squareRoot()) <= 1e-12 * se[0])
        #expect(abs(se[1] - (m / det * sigma2).squareRoot()) <= 1e-12 * se[1])
        let correlation = try #require(info.correlation)
        #expect(abs(correlation[1] + sx / (m * sxx).squareRoot()) <= 1e-12)
        #expect(correlation[0] == 1 && correlation[3] == 1)
        #expect(info.identifiability.status == .identifiable && info.identifiability.weakDirections.isEmpty)
        // Condition number = λmax/λmin of JᵀJ/σ² (the σ² cancels): closed-form 2×2 eigenvalues.
        let (tr, half) = (m + sxx, ((m - sxx) * (m - sxx) / 4 + sx * sx).squareRoot())
        #expect(abs(info.conditionNumber - (tr / 2 + half) / (tr / 2 - half)) <= 1e-12 * info.conditionNumber)
    }

    @Test func illConditionedInformationNamesTheWeakCombination() throws {
        // I = Q·diag(1e-9, 1, 4)·Qᵀ with Q's first column (0.6, 0, 0.8), a rotation in the (ka, V) plane:
        // condition number 4e9 > 1/√ε ≈ 6.7e7 but far above n·ε, so ill-conditioned, not singular.
        let (c, s) = (0.6, 0.8)
        let lambdaSmall = 1e-9, lambdaV = 4.0
        let information = [c * c * lambdaSmall + s * s * lambdaV, 0, c * s * (lambdaSmall - lambdaV),
                           0, 1, 0,
                           c * s * (lambdaSmall - lambdaV), 0, s * s * lambdaSmall + c * c * lambdaV]
        let info = try FisherInformation(information: information, parameterNames: ["log ka", "log ke", "log V"])
        #expect(info.identifiability.status == .illConditioned)
        #expect(abs(info.conditionNumber - 4e9) <= 1e-3 * 4e9)     // rounding in λmin ≈ ε·λmax/λmin relative
        #expect(info.identifiability.weakDirections.map(\.description) == ["log ka + log V (0.60, 0.80)"])
        #expect(info.covariance != nil)
    }

    @Test func badMatricesAreTypedErrors() {
        #expect(throws: FisherInformationError.dimensionMismatch(names: 2, found: 3)) {
            try FisherInformation(information: [1, 0, 1], parameterNames: ["a", "b"])
        }
        #expect(throws: FisherInformationError.nonFinite(row: 0, column: 1)) {
            try FisherInformation(information: [1, .nan, 0, 1], parameterNames: ["a", "b"])
        }
        #expect(throws: FisherInformationError.notSymmetric(row: 1, column: 0)) {
            try FisherInformation(information: [1, 0.5, 0, 1], parameterNames: ["a", "b"])
        }
        #expect(throws: FisherInformationError.notPositiveSemidefinite(eigenvalue: -1, largest: 1)) {
            try FisherInformation(information: [1, 0, 0, -1], parameterNames: ["a", "b"])
        }
        #expect(throws: FisherInformationError.empty) { try FisherInformation(information: [], parameterNames: []) }
    }
}
