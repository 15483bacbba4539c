import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

/// gemv, gemm, syrk and trsm against the triple-loop reference (`NaiveBLAS`, accumulated in Double).
@Suite struct LevelThreeTests {
    func checkGemm<S: BLASScalar>(_: S.Type) throws {
        for (m, n, k) in [(1, 1, 1), (3, 5, 4), (17, 9, 33), (64, 64, 64)] {
            for ta in [false, true] {
                for tb in [false, true] {
                    let a = LinalgWorkloads.random(S.self, rows: ta ? k : m, columns: ta ? m : k, seed: 21)
                    let b = LinalgWorkloads.random(S.self, rows: tb ? n : k, columns: tb ? k : n, seed: 22)
                    let c0 = LinalgWorkloads.random(S.self, rows: m, columns: n, seed: 23)
                    let expected = try NaiveBLAS.product(a, b, transposeA: ta, transposeB: tb) * S(2) + S(-0.5) * c0
                    var c = c0
                    try BLAS.gemm(alpha: 2, a, b, beta: -0.5, into: &c,
                                  transposeA: ta ? .transpose : .none, transposeB: tb ? .transpose : .none)
                    // Tolerance: k products summed, each rounded once: a few ulps per term.
                    #expect(relativeError(c, expected) <= ulpTolerance(S.self, n: k), "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb)")
                    let fresh = try a.multiplied(by: b, transposingSelf: ta, transposingOther: tb)
                    #expect(relativeError(fresh, NaiveBLAS.product(a, b, transposeA: ta, transposeB: tb)) <= ulpTolerance(S.self, n: k))
                }
            }
        }
    }

    func checkGemvSyrkTrsm<S: BLASScalar>(_: S.Type) throws {
        let a = LinalgWorkloads.random(S.self, rows: 7, columns: 5, seed: 31)
        let x = LinalgWorkloads.random(S.self, rows: 5, columns: 1, seed: 32).elements
        let xt = LinalgWorkloads.random(S.self, rows: 7, columns: 1, seed: 33).elements
        let ax = NaiveBLAS.product(a, Matrix(column: x)).elements
        #expect(relativeError(try a * x, ax) <= ulpTolerance(S.self, n: 5))
        var y: [S] = Array(repeating: 1, count: 7)
        try BLAS.gemv(alpha: 3, a, x, beta: 2, into: &y)
        #expect(relativeError(y, ax.map { 3 * $0 + 2 }) <= ulpTolerance(S.self, n: 5))
        let atx = NaiveBLAS.product(a, Matrix(column: xt), transposeA: true).elements
        #expect(relativeError(try a.multiplied(by: xt, transposingSelf: true), atx) <= ulpTolerance(S.self, n: 7))

        // syrk: the full Gram matrices, and only the requested triangle updated.
        #expect(relativeError(a.gram(), NaiveBLAS.product(a, a, transposeB: true)) <= ulpTolerance(S.self, n: 5))
        #expect(relativeError(a.gram(transposing: true), NaiveBLAS.product(a, a, transposeA: true)) <= ulpTolerance(S.self, n: 7))
        var c = Matrix<S>(rows: 7, columns: 7, repeating: 42)
        try BLAS.syrk(a, into: &c, triangle: .upper)
        #expect(c[6, 0] == 42)                    // strictly lower: untouched
        #expect(isClose(c[0, 6], NaiveBLAS.product(a, a, transposeB: true)[0, 6], tolerance: ulpTolerance(S.self, n: 5)))

        // trsm: X with L·X = B for a well-conditioned lower-triangular L; check L·X reproduces B.
        var l = LinalgWorkloads.wellConditioned(S.self, n: 6, seed: 34)
        for j in 0..<6 { for i in 0..<j { l[i, j] = 0 } }
        let b = LinalgWorkloads.random(S.self, rows: 6, columns: 3, seed: 35)
        var xm = b
        try BLAS.trsm(l, &xm, triangle: .lower)
        #expect(relativeError(NaiveBLAS.product(l, xm), b) <= ulpTolerance(S.self, n: 6))
        var xr = LinalgWorkloads.random(S.self, rows: 3, columns: 6, seed: 36)
        let br = xr
        try BLAS.trsm(alpha: 2, l, &xr, side: .right, triangle: .lower, transposeA: .transpose)
        #expect(relativeError(NaiveBLAS.product(xr, l, transposeB: true), 2 * br) <= ulpTolerance(S.self, n: 6))
        let checked = try l.solveTriangular(b, triangle: .lower)
        #expect(relativeError(checked, xm) <= ulpTolerance(S.self, n: 6))
    }

    @Test(arguments: Precision.allCases)
    func gemmMatchesNaiveProductForEveryTransposeAlphaAndBeta(_ p: Precision) throws {
        switch p {
        case .float: try checkGemm(Float.self)
        case .double: try checkGemm(Double.self)
        }
    }

    @Test(arguments: Precision.allCases)
    func gemvSyrkAndTrsmMatchNaiveReference(_ p: Precision) throws {
        switch p {
        case .float: try checkGemvSyrkTrsm(Float.self)
        case .double: try checkGemvSyrkTrsm(Double.self)
        }
    }

    @Test func gemmAccumulatesIntoExistingStorageWithBetaOne() throws {
        let a = Matrix<Double>(rows: [[1, 2], [3, 4]])
        var c = Matrix<Double>(rows: [[10, 0], [0, 10]])
        try BLAS.gemm(a, a, beta: 1, into: &c)
        // A² = [[7, 10], [15, 22]] by hand.
        #expect(c == Matrix(rows: [[17, 10], [15, 32]]))
    }

    @Test func emptyInnerDimensionScalesC() throws {
        let a = Matrix<Double>(rows: 2, columns: 0)
        let b = Matrix<Double>(rows: 0, columns: 2)
        var c = Matrix<Double>(rows: 2, columns: 2, repeating: 3)
        try BLAS.gemm(a, b, beta: 2, into: &c)
        #expect(c.elements == [6, 6, 6, 6])
    }

    @Test func mismatchedShapesThrowDimensionMismatch() {
        let a = Matrix<Double>(rows: 3, columns: 4)
        let b = Matrix<Double>(rows: 5, columns: 2)
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "op(B) with 4 rows (op(A) is 3×4)", found: "op(B) 5×2")) {
            try a * b
        }
        var wrongC = Matrix<Double>(rows: 2, columns: 2)
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "C of 3×3", found: "2×2")) {
            try BLAS.gemm(a, a, into: &wrongC, transposeB: .transpose)
        }
        #expect(throws: LinearAlgebraError.self) { try a * [1.0, 2, 3] }
        var rect = Matrix<Double>(rows: 3, columns: 3)
        #expect(throws: LinearAlgebraError.notSquare(operation: "trsm", rows: 3, columns: 4)) {
            try BLAS.trsm(a, &rect, triangle: .lower)
        }
    }
}
