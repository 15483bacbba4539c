import Testing
import TwinLinearAlgebra

/// Messages name the operation, the sizes and a fix (STYLE.md §11).
@Suite struct LinearAlgebraErrorTests {
    @Test func messagesNameOperationSizesAndFix() {
        let singular = LinearAlgebraError.singular(operation: "LU factorisation (getrf + gecon)", order: 3,
                                                   reciprocalCondition: 1.234e-17, threshold: Double.ulpOfOne)
        #expect(singular.description.contains("LU factorisation (getrf + gecon)"))
        #expect(singular.description.contains("3×3"))
        #expect(singular.description.contains("1.23e-17") && singular.description.contains("2.22e-16"), "\(singular)")
        #expect(singular.description.contains("pseudoInverse()") && singular.description.contains(".unchecked"))
        let exact = LinearAlgebraError.singular(operation: "LU factorisation (getrf)", order: 3, reciprocalCondition: 0, threshold: 0)
        #expect(exact.description.contains("exactly singular"))
        let rank = LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: 200, columns: 6, rank: 5, tolerance: 200 * Double.ulpOfOne)
        #expect(rank.description.contains("200×6") && rank.description.contains("rank 5") && rank.description.contains("4.44e-14"), "\(rank)")
        #expect(rank.description.contains(".minimumNorm") && rank.description.contains("rankTolerance"))
        let mismatch = LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "C of 3×3", found: "2×2")
        #expect(mismatch.description == "gemm: expected C of 3×3, found 2×2; make the operands' sizes agree")
        let pd = LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorisation (potrf)", size: 4, order: 3)
        #expect(pd.description.contains("4×4") && pd.description.contains("order 3"))
        let nc = LinearAlgebraError.noConvergence(operation: "SVD (gesdd)", size: 10, unconverged: 2)
        #expect(nc.description.contains("SVD (gesdd)") && nc.description.contains("10×10"))
    }
}
