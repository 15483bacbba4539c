import Testing
import TwinLinearAlgebra

/// Messages name the operation, the sizes and a fix (STYLE.md §11).
@Suite struct LinearAlgebraErrorTests {
    @Test func messagesNameOperationSizesAndFix() {
        let singular = LinearAlgebraError.singular(operation: "LU factorisation (getrf)", order: 3, pivot: 2)
        #expect(singular.description.contains("LU factorisation (getrf)"))
        #expect(singular.description.contains("3×3"))
        #expect(singular.description.contains("pseudo-inverse"))
        let mismatch = LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "C of 3×3", found: "2×2")
        #expect(mismatch.description == "gemm: expected C of 3×3, found 2×2; make the operands' sizes agree")
        let pd = LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorisation (potrf)", size: 4, order: 3)
        #expect(pd.description.contains("4×4") && pd.description.contains("order 3"))
        let nc = LinearAlgebraError.noConvergence(operation: "SVD (gesdd)", size: 10, unconverged: 2)
        #expect(nc.description.contains("SVD (gesdd)") && nc.description.contains("10×10"))
    }
}
