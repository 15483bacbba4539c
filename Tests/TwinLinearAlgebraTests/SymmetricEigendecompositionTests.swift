import Foundation
import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

@Suite struct SymmetricEigendecompositionTests {
    func check<S: BLASScalar>(_: S.Type) throws {
        for n in [1, 2, 7, 60] {
            let a = try LinalgWorkloads.symmetricPositiveDefinite(S.self, n: n, seed: UInt64(n)) - S(n) * Matrix<S>.identity(n)
            let eig = try SymmetricEigendecomposition(a)
            let v = eig.eigenvectors
            let tol = ulpTolerance(S.self, n: n)
            // ‖V·Λ·Vᵀ − A‖ / ‖A‖ and ‖VᵀV − I‖ within a few ulps · n.
            let vlv = NaiveBLAS.product(NaiveBLAS.product(v, .diagonal(eig.eigenvalues)), v, transposeB: true)
            #expect(relativeError(vlv, a) <= tol, "n=\(n)")
            #expect(relativeError(NaiveBLAS.product(v, v, transposeA: true), .identity(n)) <= tol, "n=\(n)")
            #expect(eig.eigenvalues == eig.eigenvalues.sorted())
        }
    }

    @Test(arguments: Precision.allCases)
    func decompositionReconstructsWithOrthonormalVectors(_ p: Precision) throws {
        switch p {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }

    @Test func eigenvaluesOfTheSecondDifferenceMatrixMatchClosedForm() throws {
        // tridiag(−1, 2, −1) of order n has λₖ = 2 − 2·cos(kπ/(n+1)), k = 1 … n.
        let n = 30
        let a = Matrix<Double>(rows: n, columns: n) { i, j in i == j ? 2 : (abs(i - j) == 1 ? -1 : 0) }
        let expected = (1...n).map { 2 - 2 * cos(Double($0) * Double.pi / Double(n + 1)) }
        let eig = try SymmetricEigendecomposition(a)
        #expect(relativeError(eig.eigenvalues, expected) <= 1e-14)
    }

    @Test func asymmetricInputIsRejected() {
        #expect(throws: LinearAlgebraError.notSymmetric(operation: "symmetric eigendecomposition (syevd)", row: 2, column: 0)) {
            try SymmetricEigendecomposition(Matrix<Double>(rows: [[1, 0, 5], [0, 1, 0], [0, 0, 1]]))
        }
    }
}
