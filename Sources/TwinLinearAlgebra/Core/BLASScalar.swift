public import RealModule

/// A floating-point type that OpenBLAS and LAPACK compute with: `Double` (the `d` routines) and
/// `Float` (the `s` routines).
///
/// `Matrix<Scalar>` and every operation in this module are written once against this protocol;
/// each conformance (`Backend/Double+BLASScalar.swift`, `Backend/Float+BLASScalar.swift`)
/// forwards each requirement to the matching C routine. The requirements are the raw,
/// column-major, pointer-based entry points: application code calls the safe API
/// (`Matrix`, `BLAS`, the factorisation types) instead.
///
/// Every LAPACK requirement returns LAPACK's `info` unchanged; callers turn it into a
/// ``LinearAlgebraError`` or a precondition failure.
public protocol BLASScalar: Real, BinaryFloatingPoint, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    // MARK: Level 1
    static func blasDot(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafePointer<Self>, _ incy: Int) -> Self
    static func blasAxpy(_ n: Int, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafeMutablePointer<Self>, _ incy: Int)
    static func blasScal(_ n: Int, _ alpha: Self, _ x: UnsafeMutablePointer<Self>, _ incx: Int)
    static func blasNrm2(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int) -> Self
    static func blasAsum(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int) -> Self
    /// Zero-based index of the first element of largest absolute value.
    static func blasIamax(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int) -> Int

    // MARK: Level 2 and 3 (column-major)
    static func blasGemv(_ trans: Transpose, _ m: Int, _ n: Int, _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int,
                         _ x: UnsafePointer<Self>, _ incx: Int, _ beta: Self, _ y: UnsafeMutablePointer<Self>, _ incy: Int)
    static func blasGemm(_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self,
                         _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                         _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func blasSyrk(_ uplo: Triangle, _ trans: Transpose, _ n: Int, _ k: Int, _ alpha: Self,
                         _ a: UnsafePointer<Self>, _ lda: Int, _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func blasTrsm(_ side: Side, _ uplo: Triangle, _ transA: Transpose, _ diag: Diagonal, _ m: Int, _ n: Int,
                         _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafeMutablePointer<Self>, _ ldb: Int)

    // MARK: LAPACK (column-major, `_work` variants; workspace supplied by the caller)
    static func lapackGetrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int, _ ipiv: UnsafeMutablePointer<Int32>) -> Int
    static func lapackGetrs(_ trans: Transpose, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                            _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int) -> Int
    /// Reciprocal 1-norm condition estimate from an LU factorisation; `work` holds 4n, `iwork` n.
    static func lapackGecon(_ n: Int, _ a: UnsafePointer<Self>, _ lda: Int, _ anorm: Self, _ rcond: UnsafeMutablePointer<Self>,
                            _ work: UnsafeMutablePointer<Self>, _ iwork: UnsafeMutablePointer<Int32>) -> Int
    static func lapackPotrf(_ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int) -> Int
    static func lapackPotrs(_ uplo: Triangle, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                            _ b: UnsafeMutablePointer<Self>, _ ldb: Int) -> Int
    /// Reciprocal 1-norm condition estimate from a Cholesky factor; `work` holds 3n, `iwork` n.
    static func lapackPocon(_ uplo: Triangle, _ n: Int, _ a: UnsafePointer<Self>, _ lda: Int, _ anorm: Self,
                            _ rcond: UnsafeMutablePointer<Self>, _ work: UnsafeMutablePointer<Self>, _ iwork: UnsafeMutablePointer<Int32>) -> Int
    /// `lwork == -1` is a workspace query: the optimal size is written to `work[0]`.
    static func lapackGeqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int, _ tau: UnsafeMutablePointer<Self>,
                            _ work: UnsafeMutablePointer<Self>, _ lwork: Int) -> Int
    static func lapackOrgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int, _ tau: UnsafePointer<Self>,
                            _ work: UnsafeMutablePointer<Self>, _ lwork: Int) -> Int
    static func lapackOrmqr(_ side: Side, _ trans: Transpose, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                            _ tau: UnsafePointer<Self>, _ c: UnsafeMutablePointer<Self>, _ ldc: Int,
                            _ work: UnsafeMutablePointer<Self>, _ lwork: Int) -> Int
    static func lapackTrtrs(_ uplo: Triangle, _ trans: Transpose, _ diag: Diagonal, _ n: Int, _ nrhs: Int,
                            _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafeMutablePointer<Self>, _ ldb: Int) -> Int
    /// Reciprocal 1-norm condition estimate of a triangular matrix; `work` holds 3n, `iwork` n.
    static func lapackTrcon(_ uplo: Triangle, _ diag: Diagonal, _ n: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                            _ rcond: UnsafeMutablePointer<Self>, _ work: UnsafeMutablePointer<Self>, _ iwork: UnsafeMutablePointer<Int32>) -> Int
    /// Minimum-norm least squares by complete orthogonal factorisation with column pivoting
    /// (`gelsy`): the effective rank is the order of the largest leading block R₁₁ of A·P = Q·R
    /// whose estimated condition number is below 1/`rcond`; it is written to `rank`. `jpvt` holds
    /// n integers (0 on entry: every column free); `b` is max(m, n)×nrhs; `lwork == -1` queries.
    static func lapackGelsy(_ m: Int, _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int,
                            _ b: UnsafeMutablePointer<Self>, _ ldb: Int, _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: Self,
                            _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Self>, _ lwork: Int) -> Int
    /// Thin SVD (`jobz = 'S'`); `iwork` holds 8·min(m, n).
    static func lapackGesdd(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int, _ s: UnsafeMutablePointer<Self>,
                            _ u: UnsafeMutablePointer<Self>, _ ldu: Int, _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int,
                            _ work: UnsafeMutablePointer<Self>, _ lwork: Int, _ iwork: UnsafeMutablePointer<Int32>) -> Int
    /// Eigenvalues and, with `vectors`, eigenvectors of a symmetric matrix; `lwork`/`liwork == -1` query sizes.
    static func lapackSyevd(_ vectors: Bool, _ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int,
                            _ w: UnsafeMutablePointer<Self>, _ work: UnsafeMutablePointer<Self>, _ lwork: Int,
                            _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int) -> Int
}
