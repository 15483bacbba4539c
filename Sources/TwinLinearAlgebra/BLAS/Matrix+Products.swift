extension Matrix {
    /// op(self)·op(other), as a new matrix (gemm).
    ///
    /// ```swift
    /// let ata = try a.multiplied(by: a, transposingSelf: true)   // AᵀA
    /// ```
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` when the inner
    ///   dimensions differ.
    /// - Complexity: 2·m·n·k floating-point operations; allocates only the result.
    @inlinable
    public func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false) throws -> Matrix {
        let m = transposingSelf ? columns : rows
        let n = transposingOther ? other.rows : other.columns
        var c = Matrix(rows: m, columns: n)
        try BLAS.gemm(self, other, into: &c, transposeA: transposingSelf ? .transpose : .none, transposeB: transposingOther ? .transpose : .none)
        return c
    }

    /// Matrix product (gemm). `try a * b`.
    @inlinable
    public static func * (lhs: Matrix, rhs: Matrix) throws -> Matrix {
        try lhs.multiplied(by: rhs)
    }

    /// op(self)·x as a new vector (gemv).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``.
    @inlinable
    public func multiplied(by x: [Scalar], transposingSelf: Bool = false) throws -> [Scalar] {
        var y = [Scalar](repeating: 0, count: transposingSelf ? columns : rows)
        try BLAS.gemv(self, x, into: &y, transposeA: transposingSelf ? .transpose : .none)
        return y
    }

    /// Matrix–vector product (gemv). `try a * x`.
    @inlinable
    public static func * (lhs: Matrix, rhs: [Scalar]) throws -> [Scalar] {
        try lhs.multiplied(by: rhs)
    }

    /// The full symmetric Gram matrix: A·Aᵀ (`transposing == false`) or Aᵀ·A, by syrk.
    ///
    /// - Complexity: n²·k floating-point operations (half of the equivalent gemm).
    @inlinable
    public func gram(transposing: Bool = false) -> Matrix {
        let n = transposing ? columns : rows
        var c = Matrix(rows: n, columns: n)
        // Sizes agree by construction, so syrk cannot throw here.
        try? BLAS.syrk(self, into: &c, transpose: transposing ? .transpose : .none, triangle: .lower)
        c.mirrorLowerToUpper()
        return c
    }

    /// Copies the strictly lower triangle onto the strictly upper one.
    @inlinable
    mutating func mirrorLowerToUpper() {
        let n = rows
        for j in 0..<n { for i in (j + 1)..<Swift.max(j + 1, n) { storage[j + i * n] = storage[i + j * n] } }
    }
}
