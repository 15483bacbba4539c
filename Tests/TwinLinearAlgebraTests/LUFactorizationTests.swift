import Foundation
import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

@Suite struct LUFactorizationTests {
    func checkReconstruction<S: BLASScalar>(_: S.Type) throws {
        for n in [1, 2, 5, 8, 9, 40, 129] {
            for method in [LUFactorization<S>.Method.automatic, .lapack, .unblocked] where !(method == .unblocked && n > 40) {
                let a = LinalgWorkloads.random(S.self, rows: n, columns: n, seed: UInt64(n))
                let lu = try LUFactorization(a, method: method)
                // ‖L·U − P·A‖ / ‖A‖ within a few ulps · n (normwise backward stability of partial pivoting).
                var pa = Matrix<S>(rows: n, columns: n)
                for (k, row) in lu.rowPermutation.enumerated() { try pa.setRow(k, to: a.row(row)) }
                let product = NaiveBLAS.product(lu.lower, lu.upper)
                #expect(relativeError(product, pa) <= ulpTolerance(S.self, n: n), "n=\(n) \(method)")
                // Solving: residual ‖A·x − b‖ / (‖A‖‖x‖) small, for A and Aᵀ.
                let b = LinalgWorkloads.random(S.self, rows: n, columns: 3, seed: 99)
                for t in [Transpose.none, .transpose] {
                    let x = try lu.solve(b, transpose: t)
                    let ax = NaiveBLAS.product(a, x, transposeA: t == .transpose)
                    let residual = try (ax - b).frobeniusNorm / (a.frobeniusNorm * x.frobeniusNorm)
                    #expect(residual <= ulpTolerance(S.self, n: n), "n=\(n) \(method) \(t)")
                }
            }
        }
    }

    @Test(arguments: Precision.allCases)
    func factorsReconstructPermutedMatrixAndSolve(_ p: Precision) throws {
        switch p {
        case .float: try checkReconstruction(Float.self)
        case .double: try checkReconstruction(Double.self)
        }
    }

    @Test func smallPathGivesLAPACKsFactorsAndPivots() throws {
        for n in 1...8 {
            let a = LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: UInt64(100 + n))
            let small = try LUFactorization(a, method: .unblocked)
            let lapack = try LUFactorization(a, method: .lapack)
            // Same pivots: these random matrices have no near-ties in the pivot columns, so the
            // kernels' different rounding cannot change the choice.
            #expect(small.pivots == lapack.pivots, "n=\(n)")
            #expect(relativeError(small.factors, lapack.factors) <= 1e-13, "n=\(n)")
        }
    }

    @Test func refactorReusesTheValueForANewMatrix() throws {
        var lu = try LUFactorization(Matrix<Double>(rows: [[2, 0], [0, 2]]))
        try lu.refactor(Matrix(rows: [[4, 3], [6, 3]]))
        // det [[4, 3], [6, 3]] = 12 − 18 = −6; solution of [[4,3],[6,3]]·x = [10, 12] is [1, 2].
        #expect(isClose(lu.determinant, -6, tolerance: 1e-15))
        #expect(relativeError(try lu.solve([10, 12]), [1, 2]) <= 1e-15)
        try lu.refactor(LinalgWorkloads.wellConditioned(Double.self, n: 12, seed: 5))
        #expect(lu.order == 12)
    }

    @Test func determinantsOfKnownMatrices() throws {
        // Permutation matrix swapping two rows: det = −1.
        #expect(try Matrix<Double>(rows: [[0, 1, 0], [1, 0, 0], [0, 0, 1]]).determinant() == -1)
        // Triangular: the product of the diagonal, 2·3·4 = 24.
        #expect(try Matrix<Double>(rows: [[2, 7, 1], [0, 3, 5], [0, 0, 4]]).determinant() == 24)
        // Exactly singular: 0, not an error.
        #expect(try Matrix<Double>(rows: [[1, 2], [2, 4]]).determinant() == 0)
        // Hilbert: det H₅ = 1/266716800000 (Choi 1983); relative accuracy ≈ κ·ε ≈ 5e5·1e-16.
        let h5 = LinalgWorkloads.hilbert(Double.self, n: 5)
        #expect(isRelativelyClose(try h5.determinant(), HilbertMatrix.exactDeterminant(5), tolerance: 1e-9))
        #expect(isRelativelyClose(HilbertMatrix.exactDeterminant(5), 1 / 266_716_800_000, tolerance: 1e-15))
        let lu = try LUFactorization(h5)
        let (logAbs, sign) = lu.logAbsDeterminant
        #expect(sign == 1)
        #expect(isClose(logAbs, -log(266_716_800_000.0), tolerance: 1e-9))
    }

    @Test func hilbertInverseMatchesClosedForm() throws {
        // Double up to n = 8 (κ₁ ≈ 3.4e10: expect ~κ·ε ≈ 1e-5 relative error at most).
        for n in 2...8 {
            let inv = try LinalgWorkloads.hilbert(Double.self, n: n).inverse()
            let tolerance = HilbertMatrix.exactConditionNumber(n) * 1e-15
            #expect(relativeError(inv, HilbertMatrix.exactInverse(n)) <= tolerance, "n=\(n)")
        }
        // Float up to n = 4 (κ₁ ≈ 2.8e4, ε ≈ 6e-8: the inverse is good to 1e-3 at most). n = 5
        // (κ₁ ≈ 9.4e5) sits within 10× of the default threshold rcond ≥ ε_f and is not tested.
        for n in 2...4 {
            let inv = try LinalgWorkloads.hilbert(Float.self, n: n).inverse()
            let exact = HilbertMatrix.exactInverse(n)
            let asFloat = Matrix<Float>(rows: n, columns: n) { i, j in Float(exact[i, j]) }
            let tolerance = Float(HilbertMatrix.exactConditionNumber(n)) * 6e-7
            #expect(relativeError(inv, asFloat) <= tolerance, "n=\(n)")
        }
    }

    @Test func conditionEstimateIsWithinGeconsFactorOfTheExactValue() throws {
        // gecon estimates ‖A⁻¹‖₁ from below (Higham 1988, ACM TOMS 14, 381–396: rarely off by more
        // than a factor 3), so rcond_true ≤ rcond_est ≤ 3·rcond_true, allowing 10% for rounding.
        for n in 2...8 {
            let exact = 1 / HilbertMatrix.exactConditionNumber(n)
            let estimate = try LUFactorization(LinalgWorkloads.hilbert(Double.self, n: n)).reciprocalCondition()
            #expect(estimate >= 0.9 * exact && estimate <= 3 * exact, "Double n=\(n): \(estimate) vs \(exact)")
        }
        for n in 2...5 {
            let exact = Float(1 / HilbertMatrix.exactConditionNumber(n))
            // Unchecked: H₅'s rcond (1.1e-6) is within 10× of the Float threshold ε_f.
            let estimate = try LUFactorization(LinalgWorkloads.hilbert(Float.self, n: n), conditionCheck: .unchecked).reciprocalCondition()
            #expect(estimate >= 0.9 * exact && estimate <= 3 * exact, "Float n=\(n): \(estimate) vs \(exact)")
        }
        // Identity: ‖I‖₁ = ‖I⁻¹‖₁ = 1 and gecon's estimate is exact for it.
        #expect(isClose(try LUFactorization(Matrix<Double>.identity(4)).reciprocalCondition(), 1, tolerance: 1e-15))
    }

    @Test(arguments: [LUFactorization<Double>.Method.automatic, .lapack, .unblocked])
    func singularMatrixThrowsSingularWithTheEstimate(_ method: LUFactorization<Double>.Method) {
        // Column 2 = 2 × column 1: U[2,2] is 0 or, depending on the CPU's rounding of the
        // multipliers 1/3 and 2/3, of order ε: either way an estimate below ε (or exactly 0).
        let a = Matrix<Double>(rows: [[1, 2, 3], [2, 4, 1], [3, 6, 2]])
        do {
            _ = try LUFactorization(a, method: method)
            Issue.record("a singular matrix was factored")
        } catch let LinearAlgebraError.singular(_, order, rcond, threshold) {
            #expect(order == 3 && threshold == .ulpOfOne && rcond < threshold)
        } catch { Issue.record("unexpected \(error)") }
        // A zero matrix: the first pivot is exactly zero, in every kernel.
        #expect(throws: LinearAlgebraError.singular(operation: "LU factorisation (getrf)", order: 9, reciprocalCondition: 0, threshold: .ulpOfOne)) {
            try Matrix<Double>.zeros(rows: 9, columns: 9).inverse()
        }
    }

    @Test func badInputThrowsTypedErrors() {
        #expect(throws: LinearAlgebraError.notSquare(operation: "LU factorisation", rows: 2, columns: 3)) {
            try LUFactorization(Matrix<Double>(rows: 2, columns: 3))
        }
        var a = Matrix<Float>.identity(3)
        a[1, 2] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "LU factorisation", row: 1, column: 2)) {
            try LUFactorization(a)
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "LU solve (getrs)", expected: "B with 3 rows", found: "2×1")) {
            try LUFactorization(Matrix<Float>.identity(3)).solve([1, 2])
        }
    }
}
