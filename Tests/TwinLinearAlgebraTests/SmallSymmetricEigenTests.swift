import Foundation
import Testing
import TwinLinearAlgebra
import TwinWorkloads

@Suite struct SmallSymmetricEigenTests {
    /// A row-major copy of the symmetric `m`.
    func rowMajor(_ m: Matrix<Double>) -> [Double] {
        (0..<(m.rows * m.rows)).map { m[$0 / m.rows, $0 % m.rows] }
    }

    @Test func randomPositiveDefiniteMatricesMatchLAPACK() throws {
        // Reference: LAPACK dsyevd (SymmetricEigendecomposition), an independent algorithm. Both
        // are backward stable, so each eigenvalue agrees to a small multiple of ε·‖A‖ ≤ 1e-12·λmax.
        for n in 1...SmallSymmetricEigen.maximumOrder {
            for seed in 1...4 {
                let a = LinalgWorkloads.symmetricPositiveDefinite(Double.self, n: n, seed: UInt64(100 * n + seed))
                let reference = try SymmetricEigendecomposition(a)
                let flat = rowMajor(a)
                let small = try #require(SmallSymmetricEigen.decompose(flat, order: n))
                let lambdaMax = reference.eigenvalues[n - 1]
                for i in 0..<n {
                    #expect(abs(small.eigenvalues[i] - reference.eigenvalues[i]) <= 1e-12 * lambdaMax, "n=\(n) seed=\(seed) λ\(i)")
                }
                // V·Λ·Vᵀ = A and VᵀV = I (the spectral decomposition's defining identities) to
                // rounding: a few ulps times n of ‖A‖ and of 1.
                var reconstruction = 0.0, orthogonality = 0.0
                for r in 0..<n {
                    for c in 0..<n {
                        var s = 0.0, g = 0.0
                        for k in 0..<n {
                            s += small.eigenvectors[r * n + k] * small.eigenvalues[k] * small.eigenvectors[c * n + k]
                            g += small.eigenvectors[k * n + r] * small.eigenvectors[k * n + c]
                        }
                        reconstruction = max(reconstruction, abs(s - flat[r * n + c]))
                        orthogonality = max(orthogonality, abs(g - (r == c ? 1 : 0)))
                    }
                }
                #expect(reconstruction <= 1e-13 * lambdaMax, "n=\(n) seed=\(seed)")
                #expect(orthogonality <= 1e-13, "n=\(n) seed=\(seed)")
                #expect(small.eigenvalues == small.eigenvalues.sorted())
            }
        }
    }

    @Test func singularRankOneMatrixHasExactZeroEigenvalues() throws {
        // x·xᵀ with x = (1, 2, 3): eigenvalues 0, 0, ‖x‖² = 14 (closed form); the eigenvector of
        // 14 is x/‖x‖, up to sign.
        let x = [1.0, 2, 3]
        let a = (0..<9).map { x[$0 / 3] * x[$0 % 3] }
        let eig = try #require(SmallSymmetricEigen.decompose(a, order: 3))
        #expect(abs(eig.eigenvalues[0]) <= 1e-14 * 14)
        #expect(abs(eig.eigenvalues[1]) <= 1e-14 * 14)
        #expect(abs(eig.eigenvalues[2] - 14) <= 1e-14 * 14)
        let norm = 14.0.squareRoot()
        let alignment = (0..<3).map { eig.eigenvectors[$0 * 3 + 2] * x[$0] / norm }.reduce(0, +)
        #expect(abs(abs(alignment) - 1) <= 1e-14)
    }

    @Test func twoByTwoSingularMatchesClosedForm() throws {
        // [[4, 4], [4, 4]]: λ = 0 with (1, −1)/√2 and λ = 8 with (1, 1)/√2 (closed form).
        let eig = try #require(SmallSymmetricEigen.decompose([4, 4, 4, 4], order: 2))
        #expect(abs(eig.eigenvalues[0]) <= 1e-15 * 8)
        #expect(abs(eig.eigenvalues[1] - 8) <= 1e-15 * 8)
        #expect(abs(abs(eig.eigenvectors[0 * 2 + 0] - eig.eigenvectors[1 * 2 + 0]) - 2.0.squareRoot()) <= 1e-15)
    }

    @Test func unsupportedInputsReturnNil() {
        #expect(SmallSymmetricEigen.decompose([], order: 0) == nil)
        #expect(SmallSymmetricEigen.decompose([Double](repeating: 1, count: 81), order: 9) == nil)
        #expect(SmallSymmetricEigen.decompose([1, 2, 3], order: 2) == nil)
        #expect(SmallSymmetricEigen.decompose([1, .nan, .nan, 1], order: 2) == nil)
    }
}
