import TwinLinearAlgebra

/// Textbook triple-loop reference implementations, accumulated in Double whatever the scalar:
/// the independent truth the BLAS wrappers are checked against.
public enum NaiveBLAS {
    /// op(A)·op(B) computed entry by entry.
    public static func product<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>, transposeA: Bool = false, transposeB: Bool = false) -> Matrix<S> {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        return Matrix(rows: m, columns: n) { i, j in
            var s = 0.0
            for p in 0..<k {
                let x = transposeA ? a[p, i] : a[i, p]
                let y = transposeB ? b[j, p] : b[p, j]
                s += Double(x) * Double(y)
            }
            return S(s)
        }
    }

    public static func dot<S: BLASScalar>(_ x: [S], _ y: [S]) -> S {
        S(zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) })
    }

    public static func transpose<S: BLASScalar>(_ a: Matrix<S>) -> Matrix<S> {
        Matrix(rows: a.columns, columns: a.rows) { i, j in a[j, i] }
    }
}
