import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

@Suite struct SingularValueDecompositionTests {
    func check<S: BLASScalar>(_: S.Type) throws {
        for (m, n) in [(1, 1), (6, 4), (4, 6), (50, 50), (90, 20)] {
            let a = LinalgWorkloads.random(S.self, rows: m, columns: n, seed: UInt64(m + 7 * n))
            let svd = try SingularValueDecomposition(a)
            let k = min(m, n)
            let tol = ulpTolerance(S.self, n: max(m, n))
            // ‖U·Σ·Vᵀ − A‖ / ‖A‖, ‖UᵀU − I‖, ‖VᵀV − I‖ within a few ulps · max(m, n).
            let usv = NaiveBLAS.product(NaiveBLAS.product(svd.u, .diagonal(svd.singularValues)), svd.vt)
            #expect(relativeError(usv, a) <= tol, "\(m)×\(n)")
            #expect(relativeError(NaiveBLAS.product(svd.u, svd.u, transposeA: true), .identity(k)) <= tol)
            #expect(relativeError(NaiveBLAS.product(svd.vt, svd.vt, transposeB: true), .identity(k)) <= tol)
            #expect(svd.singularValues == svd.singularValues.sorted(by: >))
            // Penrose conditions for the pseudo-inverse: A·A⁺·A = A and A⁺·A·A⁺ = A⁺.
            let pinv = svd.pseudoInverse()
            #expect(relativeError(NaiveBLAS.product(NaiveBLAS.product(a, pinv), a), a) <= S(100) * tol)
            #expect(relativeError(NaiveBLAS.product(NaiveBLAS.product(pinv, a), pinv), pinv) <= S(100) * tol)
        }
    }

    @Test(arguments: Precision.allCases)
    func decompositionReconstructsAndPseudoInverseSatisfiesPenrose(_ p: Precision) throws {
        switch p {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }

    @Test func singularValuesOfKnownMatrices() throws {
        // diag(3, −5, 1) has singular values 5, 3, 1.
        // Compared to rounding, not bit for bit: the bidiagonalisation's arithmetic is the kernel's.
        #expect(relativeError(try Matrix<Double>.diagonal([3, -5, 1]).singularValues(), [5, 3, 1]) <= 1e-15)
        // [[3, 0], [4, 5]]: AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5, so σ = √45, √5.
        let s = try Matrix<Double>(rows: [[3, 0], [4, 5]]).singularValues()
        #expect(relativeError(s, [Double(45).squareRoot(), Double(5).squareRoot()]) <= 1e-15)
    }

    @Test func rankAndPseudoInverseOfARankDeficientMatrix() throws {
        // Rank one: every row a multiple of (1, 2). A⁺ = Aᵀ / ‖A‖_F² for a rank-one A.
        let a = Matrix<Double>(rows: [[1, 2], [2, 4], [3, 6]])
        let svd = try SingularValueDecomposition(a)
        // σ₂ is 0 in exact arithmetic and rounding noise (≈ ε·σ₁) in gesdd's: the default
        // tolerance 3ε sits within 10× of that noise, so an explicit 1e-10 decides robustly.
        #expect(svd.rank(relativeTolerance: 1e-10) == 1)
        let expected = NaiveBLAS.transpose(a) / (a.frobeniusNorm * a.frobeniusNorm)
        #expect(relativeError(try a.pseudoInverse(), expected) <= 1e-14)
    }

    @Test func nonFiniteInputIsRejected() {
        var a = Matrix<Double>.identity(3)
        a[2, 2] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "SVD (gesdd)", row: 2, column: 2)) { try SingularValueDecomposition(a) }
    }
}
