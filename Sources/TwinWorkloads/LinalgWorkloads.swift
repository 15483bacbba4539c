import TwinLinearAlgebra

/// The matrices that `medtwin bench linalg`, the ordo-one benchmarks and the tests share: the
/// same construction as the C peer `../shared/peers/blas_bench.c` (entries uniform on
/// [-0.5, 0.5); `+ n·I` for a well-conditioned general matrix; `M·Mᵀ + n·I` for an SPD one).
public enum LinalgWorkloads {
    /// The GEMM sizes benchmarked in `Benchmarks/` (issue: n = 64, 512, 2048).
    public static let gemmSizes = [64, 512, 2048]
    /// The orders at which the small-matrix LU path is compared with LAPACK.
    public static let smallOrders = [2, 3, 4, 6, 8]

    /// A rows×columns matrix with entries uniform on [-0.5, 0.5).
    public static func random<S: BLASScalar>(_: S.Type = S.self, rows: Int, columns: Int, seed: UInt64) -> Matrix<S> {
        var g = SplitMix64(seed: seed)
        var m = Matrix<S>(rows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { m[i, j] = S(g.centredUniform()) } }
        return m
    }

    /// A random n×n matrix plus n·I: diagonally dominant, so well conditioned and safely nonsingular.
    public static func wellConditioned<S: BLASScalar>(_: S.Type = S.self, n: Int, seed: UInt64) -> Matrix<S> {
        var m = random(S.self, rows: n, columns: n, seed: seed)
        for i in 0..<n { m[i, i] += S(n) }
        return m
    }

    /// M·Mᵀ + n·I for a random n×n M: symmetric positive definite.
    public static func symmetricPositiveDefinite<S: BLASScalar>(_: S.Type = S.self, n: Int, seed: UInt64) -> Matrix<S> {
        var a = random(S.self, rows: n, columns: n, seed: seed).gram()
        for i in 0..<n { a[i, i] += S(n) }
        return a
    }

    /// The Hilbert matrix Hᵢⱼ = 1/(i + j + 1) (0-based), the classic ill-conditioned test matrix.
    public static func hilbert<S: BLASScalar>(_: S.Type = S.self, n: Int) -> Matrix<S> {
        Matrix(rows: n, columns: n) { i, j in 1 / S(i + j + 1) }
    }
}
