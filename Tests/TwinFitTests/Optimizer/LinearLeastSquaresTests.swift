import Testing
import TwinFit
import TwinLinearAlgebra

/// A linear model is the one case where the minimiser's answer has a closed form.
@Suite struct LinearLeastSquaresTests {
    static let x: [Double] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
    static let y: [Double] = [1.1, 1.9, 3.2, 3.8, 5.3, 7.1, 8.8, 13.4]

    /// rᵢ = c₀ + c₁·xᵢ + c₂·xᵢ² − yᵢ.
    static let quadratic = ClosureResiduals(parameterCount: 3, residualCount: x.count) { c, r, j in
        for i in x.indices {
            r[i] = c[0] + c[1] * x[i] + c[2] * x[i] * x[i] - y[i]
            j[3 * i] = 1; j[3 * i + 1] = x[i]; j[3 * i + 2] = x[i] * x[i]
        }
        return true
    }

    @Test func solutionEqualsTheQRLeastSquaresSolution() throws {
        var objective = LeastSquaresObjective(Self.quadratic)
        let fit = try TrustRegionMinimizer(options: exactOptions()).minimize(&objective, from: [0, 0, 0])
        // Truth: TwinLinearAlgebra's Householder-QR least squares on the same design matrix.
        let design = Matrix<Double>(rows: Self.x.map { [1, $0, $0 * $0] })
        let reference = try design.leastSquares(Self.y)
        #expect(fit.converged, "\(fit.summary)")
        // Both are backward stable; κ(design) ≈ 1e2, so 1e-12 relative leaves a wide margin.
        for k in 0..<3 { #expect(abs(fit.parameters[k] - reference[k]) <= 1e-12 * max(1, abs(reference[k]))) }
        // f = ‖A·c − y‖², recomputed from the reference solution.
        var rss = 0.0
        for i in Self.x.indices {
            let e = reference[0] + reference[1] * Self.x[i] + reference[2] * Self.x[i] * Self.x[i] - Self.y[i]
            rss += e * e
        }
        #expect(abs(fit.objective - rss) <= 1e-12 * rss)
    }

    @Test func curvatureAtTheSolutionIsTwiceTheNormalMatrix() throws {
        var objective = LeastSquaresObjective(Self.quadratic)
        let fit = try TrustRegionMinimizer().minimize(&objective, from: [1, 1, 1])
        // Closed form: 2·AᵀA with A's rows (1, x, x²); its entries are 2·Σ x^(j+k).
        for j in 0..<3 { for k in 0..<3 {
            let expected = 2 * Self.x.reduce(0.0) { $0 + pow(x: $1, j + k) }
            #expect(abs(fit.curvature[3 * j + k] - expected) <= 1e-13 * expected)
        } }
    }
}

private func pow(x: Double, _ k: Int) -> Double {
    var result = 1.0
    for _ in 0..<k { result *= x }
    return result
}
