import CBLAS

// The only place where MedTwin's option enums meet their C spellings.

extension Transpose {
    @inlinable var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    @inlinable var lapack: CChar { self == .none ? CChar(UInt8(ascii: "N")) : CChar(UInt8(ascii: "T")) }
}

extension Triangle {
    @inlinable var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
    @inlinable var lapack: CChar { self == .upper ? CChar(UInt8(ascii: "U")) : CChar(UInt8(ascii: "L")) }
}

extension Side {
    @inlinable var cblas: CBLAS_SIDE { self == .left ? CblasLeft : CblasRight }
    @inlinable var lapack: CChar { self == .left ? CChar(UInt8(ascii: "L")) : CChar(UInt8(ascii: "R")) }
}

extension Diagonal {
    @inlinable var cblas: CBLAS_DIAG { self == .unit ? CblasUnit : CblasNonUnit }
    @inlinable var lapack: CChar { self == .unit ? CChar(UInt8(ascii: "U")) : CChar(UInt8(ascii: "N")) }
}

/// Column-major layout code shared by every LAPACKE call.
@usableFromInline let lapackColumnMajor: Int32 = 102  // LAPACK_COL_MAJOR

/// Converts a dimension or stride to the 32-bit integer of the LP64 BLAS interface.
@inlinable func blasInt(_ value: Int) -> Int32 {
    precondition(value >= Int(Int32.min) && value <= Int(Int32.max),
                 "TwinLinearAlgebra: dimension \(value) exceeds the 32-bit BLAS/LAPACK interface")
    return Int32(truncatingIfNeeded: value)
}
