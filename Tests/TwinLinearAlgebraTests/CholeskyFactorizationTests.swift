import Foundation
import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

@Suite struct CholeskyFactorizationTests {
    func check<S: BLASScalar>(_: S.Type) throws {
        for n in [1, 3, 8, 50, 200] {
            let a = LinalgWorkloads.symmetricPositiveDefinite(S.self, n: n, seed: UInt64(n))
            let chol = try CholeskyFactorization(a)
            // ‖L·Lᵀ − A‖ / ‖A‖ within a few ulps · n, and L is lower triangular.
            #expect(relativeError(NaiveBLAS.product(chol.lower, chol.lower, transposeB: true), a) <= ulpTolerance(S.self, n: n), "n=\(n)")
            if n > 1 { #expect(chol.lower[0, n - 1] == 0) }
            let b = LinalgWorkloads.random(S.self, rows: n, columns: 2, seed: 7)
            let x = try chol.solve(b)
            let residual = try (NaiveBLAS.product(a, x) - b).frobeniusNorm / (a.frobeniusNorm * x.frobeniusNorm)
            #expect(residual <= ulpTolerance(S.self, n: n), "n=\(n)")
            // log det from the factor equals log det from LU.
            let (logAbs, sign) = try LUFactorization(a).logAbsDeterminant
            #expect(sign == 1)
            #expect(isClose(chol.logDeterminant, logAbs, tolerance: ulpTolerance(S.self, n: n, ulps: 64)), "n=\(n)")
        }
    }

    @Test(arguments: Precision.allCases)
    func factorReconstructsMatrixAndSolves(_ p: Precision) throws {
        switch p {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }

    @Test func logDeterminantOfKnownMatrix() throws {
        // [[4, 2], [2, 3]]: det = 12 − 4 = 8.
        let chol = try CholeskyFactorization(Matrix<Double>(rows: [[4, 2], [2, 3]]))
        #expect(isClose(chol.logDeterminant, log(8.0), tolerance: 1e-15))
        #expect(relativeError(chol.lower, Matrix(rows: [[2, 0], [1, Double(2).squareRoot()]])) <= 1e-16)
    }

    @Test func conditionEstimateMatchesExactHilbertCondition() throws {
        // The Hilbert matrix is SPD; pocon estimates ‖A⁻¹‖₁ from below (factor ≤ 3 in practice, Higham 1988).
        for n in 2...8 {
            let exact = 1 / HilbertMatrix.exactConditionNumber(n)
            let estimate = try CholeskyFactorization(LinalgWorkloads.hilbert(Double.self, n: n)).reciprocalCondition()
            #expect(estimate >= 0.9 * exact && estimate <= 3 * exact, "n=\(n): \(estimate) vs \(exact)")
        }
        for n in 2...5 {
            let exact = Float(1 / HilbertMatrix.exactConditionNumber(n))
            // Unchecked: H₅'s rcond (1.1e-6) is within 10× of the Float threshold ε_f.
            let estimate = try CholeskyFactorization(LinalgWorkloads.hilbert(Float.self, n: n), conditionCheck: .unchecked).reciprocalCondition()
            #expect(estimate >= 0.9 * exact && estimate <= 3 * exact, "Float n=\(n): \(estimate) vs \(exact)")
        }
    }

    @Test func indefiniteMatrixThrowsNotPositiveDefiniteWithOrder() {
        // Leading 1×1 minor 1 > 0; 2×2 minor 1·1 − 2·2 = −3 < 0: fails at order 2.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorisation (potrf)", size: 3, order: 2)) {
            try CholeskyFactorization(Matrix<Double>(rows: [[1, 2, 0], [2, 1, 0], [0, 0, 1]]))
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorisation (potrf)", size: 2, order: 1)) {
            try CholeskyFactorization(Matrix<Float>(rows: [[-1, 0], [0, 1]]))
        }
    }

    @Test func asymmetricOrNonFiniteInputIsRejectedBeforeFactoring() {
        #expect(throws: LinearAlgebraError.notSymmetric(operation: "Cholesky factorisation (potrf)", row: 1, column: 0)) {
            try CholeskyFactorization(Matrix<Double>(rows: [[4, 1], [2, 3]]))
        }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "Cholesky factorisation (potrf)", row: 0, column: 0)) {
            try CholeskyFactorization(Matrix<Double>(rows: [[.infinity, 0], [0, 1]]))
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "Cholesky factorisation (potrf)", rows: 1, columns: 2)) {
            try CholeskyFactorization(Matrix<Double>(rows: [[1, 2]]))
        }
    }
}
