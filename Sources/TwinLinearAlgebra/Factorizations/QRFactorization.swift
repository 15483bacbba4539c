/// Householder QR factorisation A = Q·R of an m×n matrix (LAPACK `geqrf`), and linear least
/// squares through it.
///
/// ```swift
/// // Fit y = b₀ + b₁·t by least squares.
/// let design = Matrix<Double>(rows: [[1, 0], [1, 1], [1, 2]])
/// let coefficients = try QRFactorization(design).leastSquares([1, 3, 5])   // [1, 2]
/// ```
///
/// - Complexity: 2·m·n² − (2/3)·n³ floating-point operations to factor.
public struct QRFactorization<Scalar: BLASScalar>: Sendable {
    /// R on and above the diagonal, the Householder vectors below it (LAPACK's compact form).
    public private(set) var packed: Matrix<Scalar>
    /// The Householder scalars τ.
    public private(set) var tau: [Scalar]

    /// Number of rows m of the factored matrix.
    public var rows: Int { packed.rows }
    /// Number of columns n of the factored matrix.
    public var columns: Int { packed.columns }

    /// Factors `a`.
    ///
    /// - Throws: ``LinearAlgebraError/nonFinite(operation:row:column:)``.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>) throws {
        try a.requireFinite("QR factorisation (geqrf)")
        let (m, n) = (a.rows, a.columns)
        var packed = consume a
        var tau = [Scalar](repeating: 0, count: Swift.min(m, n))
        if m > 0 && n > 0 {
            let lda = m
            let lwork = packed.storage.withUnsafeMutableBufferPointer { pa in tau.withUnsafeMutableBufferPointer { pt in
                lapackWorkspaceQuery(minimum: n, routine: "geqrf") { Scalar.lapackGeqrf(m, n, pa.baseAddress!, lda, pt.baseAddress!, $0, -1) }
            } }
            var work = [Scalar](repeating: 0, count: lwork)
            let info = packed.storage.withUnsafeMutableBufferPointer { pa in tau.withUnsafeMutableBufferPointer { pt in
                work.withUnsafeMutableBufferPointer { pw in
                    Scalar.lapackGeqrf(m, n, pa.baseAddress!, lda, pt.baseAddress!, pw.baseAddress!, lwork)
                }
            } }
            checkLAPACKArguments(info, "geqrf")
        }
        self.packed = packed
        self.tau = tau
    }

    /// The upper-trapezoidal factor R, min(m, n)×n.
    public var r: Matrix<Scalar> {
        let k = Swift.min(rows, columns)
        return Matrix(rows: k, columns: columns) { i, j in i <= j ? packed[i, j] : 0 }
    }

    /// The thin orthonormal factor Q, m×min(m, n) (LAPACK `orgqr`).
    public var q: Matrix<Scalar> {
        let (m, n) = (rows, columns)
        let k = Swift.min(m, n)
        if k == 0 { return Matrix(rows: m, columns: 0) }
        var q = packed[rows: 0..<m, columns: 0..<k]
        let lwork = q.storage.withUnsafeMutableBufferPointer { pq in tau.withUnsafeBufferPointer { pt in
            lapackWorkspaceQuery(minimum: k, routine: "orgqr") { Scalar.lapackOrgqr(m, k, k, pq.baseAddress!, m, pt.baseAddress!, $0, -1) }
        } }
        var work = [Scalar](repeating: 0, count: lwork)
        let info = q.storage.withUnsafeMutableBufferPointer { pq in tau.withUnsafeBufferPointer { pt in
            work.withUnsafeMutableBufferPointer { pw in Scalar.lapackOrgqr(m, k, k, pq.baseAddress!, m, pt.baseAddress!, pw.baseAddress!, lwork) }
        } }
        checkLAPACKArguments(info, "orgqr")
        return q
    }

    /// Qᵀ·B (the full m×m Q applied, LAPACK `ormqr`), in place.
    func applyQTransposed(to b: inout Matrix<Scalar>) {
        let (m, nrhs, k) = (b.rows, b.columns, tau.count)
        if m == 0 || nrhs == 0 || k == 0 { return }
        let lda = packed.rows
        let lwork = packed.storage.withUnsafeBufferPointer { pa in tau.withUnsafeBufferPointer { pt in
            b.storage.withUnsafeMutableBufferPointer { pb in
                lapackWorkspaceQuery(minimum: nrhs, routine: "ormqr") {
                    Scalar.lapackOrmqr(.left, .transpose, m, nrhs, k, pa.baseAddress!, lda, pt.baseAddress!, pb.baseAddress!, m, $0, -1)
                }
            }
        } }
        var work = [Scalar](repeating: 0, count: lwork)
        let info = packed.storage.withUnsafeBufferPointer { pa in tau.withUnsafeBufferPointer { pt in
            b.storage.withUnsafeMutableBufferPointer { pb in work.withUnsafeMutableBufferPointer { pw in
                Scalar.lapackOrmqr(.left, .transpose, m, nrhs, k, pa.baseAddress!, lda, pt.baseAddress!, pb.baseAddress!, m, pw.baseAddress!, lwork)
            } }
        } }
        checkLAPACKArguments(info, "ormqr")
    }

    /// The X minimising ‖A·X − B‖₂ column by column, for m ≥ n and A of full column rank.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless B has m
    ///   rows; ``LinearAlgebraError/invalidArgument(operation:message:)`` for m < n
    ///   (underdetermined: use ``Matrix/pseudoInverse(relativeTolerance:)``);
    ///   ``LinearAlgebraError/rankDeficient(operation:rows:columns:column:)`` when a diagonal
    ///   entry of R is exactly zero.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func leastSquares(_ b: Matrix<Scalar>) throws -> Matrix<Scalar> {
        let operation = "least squares (geqrf/ormqr/trtrs)"
        let (m, n) = (rows, columns)
        guard b.rows == m else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "B with \(m) rows", found: b.shapeDescription)
        }
        guard m >= n else {
            throw LinearAlgebraError.invalidArgument(operation: operation,
                                                     message: "the system is underdetermined (\(m)×\(n), fewer rows than columns); use pseudoInverse() for the minimum-norm solution")
        }
        try b.requireFinite(operation)
        var qtb = b
        applyQTransposed(to: &qtb)
        var x = qtb[rows: 0..<n, columns: 0..<b.columns]
        if n == 0 || b.columns == 0 { return x }
        let nrhs = b.columns
        let lda = packed.rows
        let info = packed.storage.withUnsafeBufferPointer { pa in x.storage.withUnsafeMutableBufferPointer { px in
            Scalar.lapackTrtrs(.upper, .none, .nonUnit, n, nrhs, pa.baseAddress!, lda, px.baseAddress!, n)
        } }
        checkLAPACKArguments(info, "trtrs")
        if info > 0 { throw LinearAlgebraError.rankDeficient(operation: operation, rows: m, columns: n, column: info) }
        return x
    }

    /// The least-squares solution for one right-hand side.
    public func leastSquares(_ b: [Scalar]) throws -> [Scalar] {
        try leastSquares(Matrix(column: b)).storage
    }
}

extension Matrix {
    /// The least-squares solution of A·x ≈ b (m ≥ n, full column rank), by QR.
    ///
    /// - Throws: as ``QRFactorization/leastSquares(_:)-(Matrix<Scalar>)``.
    public func leastSquares(_ b: [Scalar]) throws -> [Scalar] { try QRFactorization(self).leastSquares(b) }

    /// Solves op(A)·X = B for triangular A (LAPACK `trtrs`), checking for a zero diagonal.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``, or
    ///   ``LinearAlgebraError/singular(operation:order:pivot:)`` for a zero diagonal entry.
    public func solveTriangular(_ b: Matrix, triangle: Triangle, transpose: Transpose = .none, diagonal: Diagonal = .nonUnit) throws -> Matrix {
        let operation = "triangular solve (trtrs)"
        try requireSquare(operation)
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "B with \(rows) rows", found: b.shapeDescription)
        }
        var x = b
        if rows == 0 || b.columns == 0 { return x }
        let (n, nrhs) = (rows, b.columns)
        let info = storage.withUnsafeBufferPointer { pa in x.storage.withUnsafeMutableBufferPointer { px in
            Scalar.lapackTrtrs(triangle, transpose, diagonal, n, nrhs, pa.baseAddress!, n, px.baseAddress!, n)
        } }
        checkLAPACKArguments(info, "trtrs")
        if info > 0 { throw LinearAlgebraError.singular(operation: operation, order: n, pivot: info) }
        return x
    }
}
