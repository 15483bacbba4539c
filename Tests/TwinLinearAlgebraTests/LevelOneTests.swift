import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

/// Level-1 BLAS against hand-computed values and the naive reference (`NaiveBLAS`), in both precisions.
@Suite struct LevelOneTests {
    func check<S: BLASScalar>(_: S.Type) throws {
        let x: [S] = [1, -2, 3, -4]
        let y: [S] = [0.5, 0.25, -1, 2]
        // Expected values by hand: 0.5 − 0.5 − 3 − 8 = −11.
        #expect(try BLAS.dot(x, y) == -11)
        var z = y
        try BLAS.axpy(2, x, &z)
        #expect(z == [2.5, -3.75, 5, -6])
        var w = x
        BLAS.scal(-0.5, &w)
        #expect(w == [-0.5, 1, -1.5, 2])
        #expect(isClose(BLAS.nrm2(x), S(30).squareRoot(), tolerance: 4 * S.ulpOfOne))
        #expect(BLAS.asum(x) == 10)
        #expect(BLAS.iamax(x) == 3)
        #expect(BLAS.iamax([S]()) == nil)
        #expect(BLAS.nrm2([S]()) == 0)

        // Long vectors against the naive reference (accumulated in Double).
        let a = LinalgWorkloads.random(S.self, rows: 1000, columns: 1, seed: 11).elements
        let b = LinalgWorkloads.random(S.self, rows: 1000, columns: 1, seed: 12).elements
        #expect(isClose(try BLAS.dot(a, b), NaiveBLAS.dot(a, b), tolerance: ulpTolerance(S.self, n: 1000)))

        // Overflow-safe norm: squaring 1e30 would overflow Float, and 1e200 Double.
        let big: S = S.greatestFiniteMagnitude.squareRoot() * 4
        #expect(isRelativelyClose(BLAS.nrm2([big, big]), big * S(2).squareRoot(), tolerance: 8 * S.ulpOfOne))
    }

    @Test(arguments: Precision.allCases)
    func levelOneMatchesReference(_ p: Precision) throws {
        switch p {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }

    @Test func unequalLengthsThrowDimensionMismatch() {
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "dot", expected: "y of length 2 (the length of x)", found: "3")) {
            try BLAS.dot([1.0, 2], [1, 2, 3])
        }
        var y: [Double] = [1]
        #expect(throws: LinearAlgebraError.self) { try BLAS.axpy(1, [1, 2], &y) }
    }
}
