/// BLAS levels 1–3 on ``Matrix`` and `[Scalar]` vectors, forwarding to OpenBLAS.
///
/// Each heavy operation comes in two forms: one here that writes into caller storage
/// (`into:`, accumulating with `beta` without copying), and a method on ``Matrix`` that returns a
/// new value (``Matrix/multiplied(by:transposingSelf:transposingOther:)``). Sizes are checked
/// before the call; a mismatch throws ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``.
///
/// ```swift
/// var c = Matrix<Double>.zeros(rows: 2, columns: 2)
/// try BLAS.gemm(a, b, beta: 1, into: &c)        // C ← A·B + C
/// let d = try BLAS.dot([1, 2, 3], [4, 5, 6])     // 32
/// ```
public enum BLAS {}

// MARK: - Level 1

extension BLAS {
    @inlinable
    static func requireSameLength<S>(_ x: [S], _ y: [S], _ operation: String) throws {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "y of length \(x.count) (the length of x)", found: "\(y.count)")
        }
    }

    /// Σ xᵢ·yᵢ.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` for unequal lengths.
    @inlinable
    public static func dot<S: BLASScalar>(_ x: [S], _ y: [S]) throws -> S {
        try requireSameLength(x, y, "dot")
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in
            S.blasDot(x.count, px.baseAddress!, 1, py.baseAddress!, 1)
        } }
    }

    /// y ← α·x + y.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` for unequal lengths.
    @inlinable
    public static func axpy<S: BLASScalar>(_ alpha: S, _ x: [S], _ y: inout [S]) throws {
        try requireSameLength(x, y, "axpy")
        if x.isEmpty { return }
        let n = x.count
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
            S.blasAxpy(n, alpha, px.baseAddress!, 1, py.baseAddress!, 1)
        } }
    }

    /// x ← α·x.
    @inlinable
    public static func scal<S: BLASScalar>(_ alpha: S, _ x: inout [S]) {
        if x.isEmpty { return }
        let n = x.count
        x.withUnsafeMutableBufferPointer { px in S.blasScal(n, alpha, px.baseAddress!, 1) }
    }

    /// Euclidean norm ‖x‖₂, computed without overflow for large entries.
    @inlinable
    public static func nrm2<S: BLASScalar>(_ x: [S]) -> S {
        x.isEmpty ? 0 : x.withUnsafeBufferPointer { S.blasNrm2(x.count, $0.baseAddress!, 1) }
    }

    /// Σ |xᵢ|.
    @inlinable
    public static func asum<S: BLASScalar>(_ x: [S]) -> S {
        x.isEmpty ? 0 : x.withUnsafeBufferPointer { S.blasAsum(x.count, $0.baseAddress!, 1) }
    }

    /// The 0-based index of the first entry of largest absolute value; `nil` for an empty vector.
    @inlinable
    public static func iamax<S: BLASScalar>(_ x: [S]) -> Int? {
        x.isEmpty ? nil : x.withUnsafeBufferPointer { S.blasIamax(x.count, $0.baseAddress!, 1) }
    }
}

// MARK: - Level 2

extension BLAS {
    /// y ← α·op(A)·x + β·y, writing into `y`.
    ///
    /// - Parameters:
    ///   - transA: ``Transpose/transpose`` to use Aᵀ without forming it.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` when x or y
    ///   does not match op(A).
    /// - Complexity: O(rows · columns).
    @inlinable
    public static func gemv<S: BLASScalar>(alpha: S = 1, _ a: Matrix<S>, _ x: [S], beta: S = 0, into y: inout [S],
                                           transposeA transA: Transpose = .none) throws {
        let (m, n) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        guard x.count == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "gemv", expected: "x of length \(n) for op(A) \(m)×\(n)", found: "\(x.count)")
        }
        guard y.count == m else {
            throw LinearAlgebraError.dimensionMismatch(operation: "gemv", expected: "y of length \(m) for op(A) \(m)×\(n)", found: "\(y.count)")
        }
        if m == 0 { return }
        if n == 0 || a.storage.isEmpty { scal(beta, &y); return }
        a.storage.withUnsafeBufferPointer { pa in x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
            S.blasGemv(transA, a.rows, a.columns, alpha, pa.baseAddress!, Swift.max(1, a.rows), px.baseAddress!, 1, beta, py.baseAddress!, 1)
        } } }
    }
}

// MARK: - Level 3

extension BLAS {
    /// C ← α·op(A)·op(B) + β·C, writing into `c` without copying it (β = 1 accumulates).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` when the
    ///   inner dimensions differ or C has the wrong shape.
    /// - Complexity: 2·m·n·k floating-point operations.
    @inlinable
    public static func gemm<S: BLASScalar>(alpha: S = 1, _ a: Matrix<S>, _ b: Matrix<S>, beta: S = 0, into c: inout Matrix<S>,
                                           transposeA transA: Transpose = .none, transposeB transB: Transpose = .none) throws {
        let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        guard k == kb else {
            throw LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "op(B) with \(k) rows (op(A) is \(m)×\(k))",
                                                       found: "op(B) \(kb)×\(n)")
        }
        guard c.rows == m, c.columns == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "gemm", expected: "C of \(m)×\(n)", found: c.shapeDescription)
        }
        if m == 0 || n == 0 { return }
        if k == 0 { c *= beta; return }
        a.storage.withUnsafeBufferPointer { pa in b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                S.blasGemm(transA, transB, m, n, k, alpha, pa.baseAddress!, Swift.max(1, a.rows),
                           pb.baseAddress!, Swift.max(1, b.rows), beta, pc.baseAddress!, Swift.max(1, m))
            }
        } }
    }

    /// C ← α·A·Aᵀ + β·C (`trans == .none`) or C ← α·Aᵀ·A + β·C, updating only `triangle` of C.
    ///
    /// The other triangle of C is left untouched; ``Matrix/gram(transposing:)`` returns the full
    /// symmetric result.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``.
    /// - Complexity: n²·k floating-point operations.
    @inlinable
    public static func syrk<S: BLASScalar>(alpha: S = 1, _ a: Matrix<S>, beta: S = 0, into c: inout Matrix<S>,
                                           transpose trans: Transpose = .none, triangle: Triangle = .lower) throws {
        let (n, k) = trans == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        guard c.rows == n, c.columns == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "syrk", expected: "C of \(n)×\(n)", found: c.shapeDescription)
        }
        if n == 0 { return }
        if k == 0 { c *= beta; return }
        a.storage.withUnsafeBufferPointer { pa in c.storage.withUnsafeMutableBufferPointer { pc in
            S.blasSyrk(triangle, trans, n, k, alpha, pa.baseAddress!, Swift.max(1, a.rows), beta, pc.baseAddress!, n)
        } }
    }

    /// Solves op(A)·X = α·B (`side == .left`) or X·op(A) = α·B for triangular A, overwriting B with X.
    ///
    /// No check for a zero diagonal is made (BLAS semantics: the result is then infinite or NaN);
    /// use ``Matrix/solveTriangular(_:triangle:transpose:diagonal:)`` for a checked solve.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)`` or
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``.
    @inlinable
    public static func trsm<S: BLASScalar>(alpha: S = 1, _ a: Matrix<S>, _ b: inout Matrix<S>, side: Side = .left, triangle: Triangle,
                                           transposeA transpose: Transpose = .none, diagonal: Diagonal = .nonUnit) throws {
        try a.requireSquare("trsm")
        let needed = side == .left ? b.rows : b.columns
        guard a.rows == needed else {
            throw LinearAlgebraError.dimensionMismatch(operation: "trsm", expected: "A of order \(needed) for B \(b.shapeDescription) on the \(side)",
                                                       found: a.shapeDescription)
        }
        if b.rows == 0 || b.columns == 0 { return }
        let (m, n) = (b.rows, b.columns)
        a.storage.withUnsafeBufferPointer { pa in b.storage.withUnsafeMutableBufferPointer { pb in
            S.blasTrsm(side, triangle, transpose, diagonal, m, n, alpha, pa.baseAddress!, a.rows, pb.baseAddress!, m)
        } }
    }
}
