import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

@Suite struct QRFactorizationTests {
    func check<S: BLASScalar>(_: S.Type) throws {
        for (m, n) in [(1, 1), (5, 3), (40, 40), (120, 30), (3, 7)] {
            let a = LinalgWorkloads.random(S.self, rows: m, columns: n, seed: UInt64(m * 100 + n))
            let qr = try QRFactorization(a)
            let q = qr.q, r = qr.r
            let k = min(m, n)
            // ‖QᵀQ − I‖ and ‖Q·R − A‖ / ‖A‖ within a few ulps · max(m, n).
            #expect(relativeError(NaiveBLAS.product(q, q, transposeA: true), .identity(k)) <= ulpTolerance(S.self, n: max(m, n)), "\(m)×\(n)")
            #expect(relativeError(NaiveBLAS.product(q, r), a) <= ulpTolerance(S.self, n: max(m, n)), "\(m)×\(n)")
            if k > 1 { #expect(r[1, 0] == 0) }
        }
    }

    @Test(arguments: Precision.allCases)
    func factorsAreOrthonormalAndReconstruct(_ p: Precision) throws {
        switch p {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }

    @Test func leastSquaresRecoversAnExactLine() throws {
        // y = 1 + 2t exactly at t = 0, 1, 2, 3: the fit is (1, 2) with zero residual.
        let design = Matrix<Double>(rows: [[1, 0], [1, 1], [1, 2], [1, 3]])
        #expect(relativeError(try design.leastSquares([1, 3, 5, 7]), [1, 2]) <= 1e-15)
    }

    @Test func leastSquaresSatisfiesTheNormalEquations() throws {
        // The minimiser x makes the residual orthogonal to the columns: Aᵀ(Ax − b) = 0.
        let a = LinalgWorkloads.random(Double.self, rows: 60, columns: 6, seed: 4)
        let b = LinalgWorkloads.random(Double.self, rows: 60, columns: 2, seed: 5)
        let x = try QRFactorization(a).leastSquares(b)
        let residual = try NaiveBLAS.product(a, x) - b
        let gradient = NaiveBLAS.product(a, residual, transposeA: true)
        #expect(gradient.maxAbs <= 1e-13 * a.frobeniusNorm * b.frobeniusNorm)
        // Same answer as solving the normal equations AᵀA x = Aᵀb by Cholesky (well conditioned here).
        let viaNormal = try CholeskyFactorization(a.gram(transposing: true)).solve(NaiveBLAS.product(a, b, transposeA: true))
        #expect(relativeError(x, viaNormal) <= 1e-12)
    }

    @Test func rankDeficientAndUnderdeterminedSystemsThrow() {
        // A zero column stays exactly zero under every Householder reflector (H·0 = 0): rank 1
        // at the default tolerance 3ε whatever the rounding. (Identical columns: NumericalRankTests.)
        let a = Matrix<Double>(rows: [[1, 0], [1, 0], [1, 0]])
        #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: 3, columns: 2, rank: 1, tolerance: 3 * .ulpOfOne)) {
            try a.leastSquares([1, 2, 3])
        }
        #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (geqrf/ormqr/trtrs)", rows: 3, columns: 2, rank: 1, tolerance: 3 * .ulpOfOne)) {
            try QRFactorization(a).leastSquares([1, 2, 3])
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix<Double>(rows: 2, columns: 3).leastSquares([1, 2]) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "least squares (gelsy)", expected: "B with 3 rows", found: "2×1")) {
            try Matrix<Double>.identity(3).leastSquares([1, 2])
        }
    }
}
