import CBLAS
import CLAPACKE
import RealModule

// Forwards every BLASScalar requirement to the single-precision (`s`) routine.
// Pointers come from `withUnsafe…BufferPointer` of storage sized by the caller's checks.
extension Float: BLASScalar {
    @inlinable public static func blasDot(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafePointer<Float>, _ incy: Int) -> Float {
        cblas_sdot(blasInt(n), x, blasInt(incx), y, blasInt(incy))
    }
    @inlinable public static func blasAxpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafeMutablePointer<Float>, _ incy: Int) {
        cblas_saxpy(blasInt(n), alpha, x, blasInt(incx), y, blasInt(incy))
    }
    @inlinable public static func blasScal(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ incx: Int) {
        cblas_sscal(blasInt(n), alpha, x, blasInt(incx))
    }
    @inlinable public static func blasNrm2(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int) -> Float {
        cblas_snrm2(blasInt(n), x, blasInt(incx))
    }
    @inlinable public static func blasAsum(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int) -> Float {
        cblas_sasum(blasInt(n), x, blasInt(incx))
    }
    @inlinable public static func blasIamax(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int) -> Int {
        Int(cblas_isamax(blasInt(n), x, blasInt(incx)))
    }
    @inlinable public static func blasGemv(_ trans: Transpose, _ m: Int, _ n: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                                           _ x: UnsafePointer<Float>, _ incx: Int, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int) {
        cblas_sgemv(CblasColMajor, trans.cblas, blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, blasInt(incx), beta, y, blasInt(incy))
    }
    @inlinable public static func blasGemm(_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                           _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasColMajor, transA.cblas, transB.cblas, blasInt(m), blasInt(n), blasInt(k), alpha,
                    a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inlinable public static func blasSyrk(_ uplo: Triangle, _ trans: Transpose, _ n: Int, _ k: Int, _ alpha: Float,
                                           _ a: UnsafePointer<Float>, _ lda: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_ssyrk(CblasColMajor, uplo.cblas, trans.cblas, blasInt(n), blasInt(k), alpha, a, blasInt(lda), beta, c, blasInt(ldc))
    }
    @inlinable public static func blasTrsm(_ side: Side, _ uplo: Triangle, _ transA: Transpose, _ diag: Diagonal, _ m: Int, _ n: Int,
                                           _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafeMutablePointer<Float>, _ ldb: Int) {
        cblas_strsm(CblasColMajor, side.cblas, uplo.cblas, transA.cblas, diag.cblas, blasInt(m), blasInt(n), alpha, a, blasInt(lda), b, blasInt(ldb))
    }

    public static func lapackGetrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int, _ ipiv: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_sgetrf_work(lapackColumnMajor, blasInt(m), blasInt(n), a, blasInt(lda), ipiv))
    }
    public static func lapackGetrs(_ trans: Transpose, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                                   _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int) -> Int {
        Int(LAPACKE_sgetrs_work(lapackColumnMajor, trans.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), ipiv, b, blasInt(ldb)))
    }
    public static func lapackGecon(_ n: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ anorm: Float, _ rcond: UnsafeMutablePointer<Float>,
                                   _ work: UnsafeMutablePointer<Float>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_sgecon_work(lapackColumnMajor, CChar(UInt8(ascii: "1")), blasInt(n), a, blasInt(lda), anorm, rcond, work, iwork))
    }
    public static func lapackPotrf(_ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int) -> Int {
        Int(LAPACKE_spotrf_work(lapackColumnMajor, uplo.lapack, blasInt(n), a, blasInt(lda)))
    }
    public static func lapackPotrs(_ uplo: Triangle, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                                   _ b: UnsafeMutablePointer<Float>, _ ldb: Int) -> Int {
        Int(LAPACKE_spotrs_work(lapackColumnMajor, uplo.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)))
    }
    public static func lapackPocon(_ uplo: Triangle, _ n: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ anorm: Float,
                                   _ rcond: UnsafeMutablePointer<Float>, _ work: UnsafeMutablePointer<Float>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_spocon_work(lapackColumnMajor, uplo.lapack, blasInt(n), a, blasInt(lda), anorm, rcond, work, iwork))
    }
    public static func lapackGeqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int, _ tau: UnsafeMutablePointer<Float>,
                                   _ work: UnsafeMutablePointer<Float>, _ lwork: Int) -> Int {
        Int(LAPACKE_sgeqrf_work(lapackColumnMajor, blasInt(m), blasInt(n), a, blasInt(lda), tau, work, blasInt(lwork)))
    }
    public static func lapackOrgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int, _ tau: UnsafePointer<Float>,
                                   _ work: UnsafeMutablePointer<Float>, _ lwork: Int) -> Int {
        Int(LAPACKE_sorgqr_work(lapackColumnMajor, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda), tau, work, blasInt(lwork)))
    }
    public static func lapackOrmqr(_ side: Side, _ trans: Transpose, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                                   _ tau: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                                   _ work: UnsafeMutablePointer<Float>, _ lwork: Int) -> Int {
        Int(LAPACKE_sormqr_work(lapackColumnMajor, side.lapack, trans.lapack, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda),
                                tau, c, blasInt(ldc), work, blasInt(lwork)))
    }
    public static func lapackTrtrs(_ uplo: Triangle, _ trans: Transpose, _ diag: Diagonal, _ n: Int, _ nrhs: Int,
                                   _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafeMutablePointer<Float>, _ ldb: Int) -> Int {
        Int(LAPACKE_strtrs_work(lapackColumnMajor, uplo.lapack, trans.lapack, diag.lapack, blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)))
    }
    public static func lapackTrcon(_ uplo: Triangle, _ diag: Diagonal, _ n: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                                   _ rcond: UnsafeMutablePointer<Float>, _ work: UnsafeMutablePointer<Float>, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_strcon_work(lapackColumnMajor, CChar(UInt8(ascii: "1")), uplo.lapack, diag.lapack, blasInt(n), a, blasInt(lda),
                                rcond, work, iwork))
    }
    public static func lapackGelsy(_ m: Int, _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int,
                                   _ b: UnsafeMutablePointer<Float>, _ ldb: Int, _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: Float,
                                   _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Float>, _ lwork: Int) -> Int {
        Int(LAPACKE_sgelsy_work(lapackColumnMajor, blasInt(m), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb),
                                jpvt, rcond, rank, work, blasInt(lwork)))
    }
    public static func lapackGesdd(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int, _ s: UnsafeMutablePointer<Float>,
                                   _ u: UnsafeMutablePointer<Float>, _ ldu: Int, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int,
                                   _ work: UnsafeMutablePointer<Float>, _ lwork: Int, _ iwork: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_sgesdd_work(lapackColumnMajor, CChar(UInt8(ascii: "S")), blasInt(m), blasInt(n), a, blasInt(lda), s,
                                u, blasInt(ldu), vt, blasInt(ldvt), work, blasInt(lwork), iwork))
    }
    public static func lapackSyevd(_ vectors: Bool, _ uplo: Triangle, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int,
                                   _ w: UnsafeMutablePointer<Float>, _ work: UnsafeMutablePointer<Float>, _ lwork: Int,
                                   _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int) -> Int {
        Int(LAPACKE_ssyevd_work(lapackColumnMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), uplo.lapack, blasInt(n), a, blasInt(lda), w,
                                work, blasInt(lwork), iwork, blasInt(liwork)))
    }
}
