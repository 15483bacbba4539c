import CBLAS
import CLAPACKE
import RealModule

// Forwards every BLASScalar requirement to the double-precision (`d`) routine.
// Pointers come from `withUnsafe…BufferPointer` of storage sized by the caller's checks.
extension Double: BLASScalar {
    @inlinable public static func blasDot(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int) -> Double {
        cblas_ddot(blasInt(n), x, blasInt(incx), y, blasInt(incy))
    }
    @inlinable public static func blasAxpy(_ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafeMutablePointer<Double>, _ incy: Int) {
        cblas_daxpy(blasInt(n), alpha, x, blasInt(incx), y, blasInt(incy))
    }
    @inlinable public static func blasScal(_ n: Int, _ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ incx: Int) {
        cblas_dscal(blasInt(n), alpha, x, blasInt(incx))
    }
    @inlinable public static func blasNrm2(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int) -> Double {
        cblas_dnrm2(blasInt(n), x, blasInt(incx))
    }
    @inlinable public static func blasAsum(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int) -> Double {
        cblas_dasum(blasInt(n), x, blasInt(incx))
    }
    @inlinable public static func blasIamax(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int) -> Int {
        Int(cblas_idamax(blasInt(n), x, blasInt(incx)))
    }
    @inlinable public static func blasGemv(_ trans: Transpose, _ m: Int, _ n: Int, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                                           _ x: UnsafePointer<Double>, _ incx: Int, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int) {
        cblas_dgemv(CblasColMajor, trans.cblas, blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, blasInt(incx), beta, y, blasInt(incy))
    }
    @inlinable public static func blasGemm(_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                                           _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                                           _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dgemm(CblasColMajor, transA.cblas, transB.cblas, blasInt(m), blasInt(n), blasInt(k), alpha,
                    a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inlinable public static func blasSyrk(_ uplo: Triangle, _ trans: Transpose, _ n: Int, _ k: Int, _ alpha: Double,
                                           _ a: UnsafePointer<Double>, _ lda: Int, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dsyrk(CblasColMajor, uplo.cblas, trans.cblas, blasInt(n), blasInt(k), alpha, a, blasInt(lda), beta, c, blasInt(ldc))
    }
    @inlinable public static func blasTrsm(_ side: Side, _ uplo: Triangle, _ transA: Transpose, _ diag: Diagonal, _ m: Int, _ n: Int,
                                           _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) {
        cblas_dtrsm(CblasColMajor, side.cblas, uplo.cblas, transA.cblas, diag.cblas, blasInt(m), blasInt(n), alpha, a, blasInt(lda), b, blasInt(ldb))
    }

    public static func lapackGetrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int, _ ipiv: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dgetrf_work(lapackColumnMajor, blasInt(m), blasInt(n), a, blasInt(lda), ipiv))
    }
    public static func lapackGetrs(_ trans: Transpose, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                                   _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) -> Int {
        Int(LAPACKE_dgetrs_work(lapackColumnMajor, trans.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), ipiv, b, blasInt(ldb)))
    }
    public static func lapackGecon(_ n: Int, _ a: UnsafePointer<Double>, _ lda: Int, _ anorm: Double, _ rcond: UnsafeMutablePointer<Double>,
                                   _ work: UnsafeMutablePointer<Double>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dgecon_work(lapackColumnMajor, CChar(UInt8(ascii: "1")), blasInt(n), a, blasInt(lda), anorm, rcond, work, iwork))
    }
    public static func lapackPotrf(_ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int) -> Int {
        Int(LAPACKE_dpotrf_work(lapackColumnMajor, uplo.lapack, blasInt(n), a, blasInt(lda)))
    }
    public static func lapackPotrs(_ uplo: Triangle, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                                   _ b: UnsafeMutablePointer<Double>, _ ldb: Int) -> Int {
        Int(LAPACKE_dpotrs_work(lapackColumnMajor, uplo.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)))
    }
    public static func lapackPocon(_ uplo: Triangle, _ n: Int, _ a: UnsafePointer<Double>, _ lda: Int, _ anorm: Double,
                                   _ rcond: UnsafeMutablePointer<Double>, _ work: UnsafeMutablePointer<Double>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dpocon_work(lapackColumnMajor, uplo.lapack, blasInt(n), a, blasInt(lda), anorm, rcond, work, iwork))
    }
    public static func lapackGeqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int, _ tau: UnsafeMutablePointer<Double>,
                                   _ work: UnsafeMutablePointer<Double>, _ lwork: Int) -> Int {
        Int(LAPACKE_dgeqrf_work(lapackColumnMajor, blasInt(m), blasInt(n), a, blasInt(lda), tau, work, blasInt(lwork)))
    }
    public static func lapackOrgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int, _ tau: UnsafePointer<Double>,
                                   _ work: UnsafeMutablePointer<Double>, _ lwork: Int) -> Int {
        Int(LAPACKE_dorgqr_work(lapackColumnMajor, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda), tau, work, blasInt(lwork)))
    }
    public static func lapackOrmqr(_ side: Side, _ trans: Transpose, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                                   _ tau: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>, _ ldc: Int,
                                   _ work: UnsafeMutablePointer<Double>, _ lwork: Int) -> Int {
        Int(LAPACKE_dormqr_work(lapackColumnMajor, side.lapack, trans.lapack, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda),
                                tau, c, blasInt(ldc), work, blasInt(lwork)))
    }
    public static func lapackTrtrs(_ uplo: Triangle, _ trans: Transpose, _ diag: Diagonal, _ n: Int, _ nrhs: Int,
                                   _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) -> Int {
        Int(LAPACKE_dtrtrs_work(lapackColumnMajor, uplo.lapack, trans.lapack, diag.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)))
    }
    public static func lapackTrcon(_ uplo: Triangle, _ diag: Diagonal, _ n: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                                   _ rcond: UnsafeMutablePointer<Double>, _ work: UnsafeMutablePointer<Double>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dtrcon_work(lapackColumnMajor, CChar(UInt8(ascii: "1")), uplo.lapack, diag.lapack, blasInt(n), a, blasInt(lda),
                                rcond, work, iwork))
    }
    public static func lapackGelsy(_ m: Int, _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                                   _ b: UnsafeMutablePointer<Double>, _ ldb: Int, _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: Double,
                                   _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Double>, _ lwork: Int) -> Int {
        Int(LAPACKE_dgelsy_work(lapackColumnMajor, blasInt(m), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb),
                                jpvt, rcond, rank, work, blasInt(lwork)))
    }
    public static func lapackGesdd(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int, _ s: UnsafeMutablePointer<Double>,
                                   _ u: UnsafeMutablePointer<Double>, _ ldu: Int, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int,
                                   _ work: UnsafeMutablePointer<Double>, _ lwork: Int, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dgesdd_work(lapackColumnMajor, CChar(UInt8(ascii: "S")), blasInt(m), blasInt(n), a, blasInt(lda), s,
                                u, blasInt(ldu), vt, blasInt(ldvt), work, blasInt(lwork), iwork))
    }
    public static func lapackSyevd(_ vectors: Bool, _ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                                   _ w: UnsafeMutablePointer<Double>, _ work: UnsafeMutablePointer<Double>, _ lwork: Int,
                                   _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int) -> Int {
        Int(LAPACKE_dsyevd_work(lapackColumnMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), uplo.lapack, blasInt(n), a, blasInt(lda), w,
                                work, blasInt(lwork), iwork, blasInt(liwork)))
    }
}
