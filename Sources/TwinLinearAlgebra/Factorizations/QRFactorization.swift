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

    /// The X minimising ‖A·X − B‖₂ column by column, for m ≥ n and A of full column rank to
    /// within a relative tolerance.
    ///
    /// This factorisation has no column pivoting, so it cannot reveal the rank cheaply: a LAPACK
    /// `trcon` estimate of R's reciprocal condition screens for trouble (O(n²)), and only when it
    /// is below 10·n·`tolerance` (the 1-norm estimate can exceed the 2-norm ratio σₙ/σ₁ by a
    /// factor n) does an SVD of R (whose singular values are A's) decide the rank: singular values
    /// at or below `tolerance`·σ₁ count as zero. Use ``Matrix/leastSquares(_:rankTolerance:ifRankDeficient:)``
    /// for the minimum-norm solution of a rank-deficient problem.
    ///
    /// ```swift
    /// let qr = try QRFactorization(design)
    /// let beta = try qr.leastSquares(observations)                         // default tolerance
    /// let loose = try qr.leastSquares(observations, rankTolerance: 1e-10)   // stricter rank test
    /// ```
    ///
    /// - Parameter rankTolerance: relative tolerance in [0, 1); default max(m, n)·ε (as NumPy's
    ///   `lstsq` and `matrix_rank`, and ``SingularValueDecomposition/rank(relativeTolerance:)``).
    ///   A matrix whose σₙ/σ₁ lies within 10× of it may be judged either way on different CPUs.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless B has m
    ///   rows; ``LinearAlgebraError/invalidArgument(operation:message:)`` for m < n
    ///   (underdetermined: use ``Matrix/leastSquares(_:rankTolerance:ifRankDeficient:)`` with
    ///   ``RankDeficiencyPolicy/minimumNorm``) or a tolerance outside [0, 1);
    ///   ``LinearAlgebraError/rankDeficient(operation:rows:columns:rank:tolerance:)`` when the
    ///   numerical rank is below n.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func leastSquares(_ b: Matrix<Scalar>, rankTolerance: Scalar? = nil) throws -> Matrix<Scalar> {
        let operation = "least squares (geqrf/ormqr/trtrs)"
        let (m, n) = (rows, columns)
        guard b.rows == m else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "B with \(m) rows", found: b.shapeDescription)
        }
        guard m >= n else {
            throw LinearAlgebraError.invalidArgument(operation: operation,
                                                     message: "the system is underdetermined (\(m)×\(n), fewer rows than columns); use leastSquares(_:ifRankDeficient: .minimumNorm) for the minimum-norm solution")
        }
        let tolerance = try resolveRankTolerance(rankTolerance, rows: m, columns: n, operation: operation)
        try b.requireFinite(operation)
        if let rank = try numericalRankIfDeficient(tolerance: tolerance) {
            throw LinearAlgebraError.rankDeficient(operation: operation, rows: m, columns: n, rank: rank, tolerance: Double(tolerance))
        }
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
        // Unreachable after the rank test (an exactly zero R[k,k] gives σₙ = 0); kept as a guard.
        if info > 0 {
            throw LinearAlgebraError.rankDeficient(operation: operation, rows: m, columns: n, rank: n - 1, tolerance: Double(tolerance))
        }
        return x
    }

    /// The least-squares solution for one right-hand side; see ``leastSquares(_:rankTolerance:)-(Matrix<Scalar>,_)``.
    public func leastSquares(_ b: [Scalar], rankTolerance: Scalar? = nil) throws -> [Scalar] {
        try leastSquares(Matrix(column: b), rankTolerance: rankTolerance).storage
    }

    /// nil when R (n×n, m ≥ n) has full numerical rank at `tolerance`, else that rank.
    func numericalRankIfDeficient(tolerance: Scalar) throws -> Int? {
        let n = columns
        if n == 0 { return nil }
        let lda = packed.rows
        let rcond: Scalar = packed.storage.withUnsafeBufferPointer { pa in
            lapackConditionEstimate(order: n, workPerOrder: 3, routine: "trcon") { rcond, work, iwork in
                Scalar.lapackTrcon(.upper, .nonUnit, n, pa.baseAddress!, lda, rcond, work, iwork)
            }
        }
        if rcond >= 10 * Scalar(n) * tolerance { return nil }
        let sigma = try SingularValueDecomposition(r).singularValues
        let cutoff = tolerance * (sigma.first ?? 0)
        let rank = sigma.filter { $0 > cutoff }.count
        return rank < n ? rank : nil
    }
}

/// The relative rank tolerance to use: the caller's, validated, or max(m, n)·ε.
func resolveRankTolerance<S: BLASScalar>(_ given: S?, rows m: Int, columns n: Int, operation: String) throws -> S {
    guard let given else { return S(Swift.max(m, n, 1)) * S.ulpOfOne }
    guard given.isFinite, given >= 0, given < 1 else {
        throw LinearAlgebraError.invalidArgument(operation: operation,
                                                 message: "rankTolerance must lie in [0, 1), got \(given); omit it for the default max(m, n)·ε")
    }
    return given
}

extension Matrix {
    /// The least-squares solution of A·x ≈ b (m ≥ n), refusing a rank-deficient A; see
    /// ``leastSquares(_:rankTolerance:ifRankDeficient:)``.
    ///
    /// ```swift
    /// let design = Matrix<Double>(rows: [[1, 0], [1, 1], [1, 2]])
    /// let coefficients = try design.leastSquares([1, 3, 5])          // [1, 2]
    /// ```
    ///
    /// - Throws: as ``leastSquares(_:rankTolerance:ifRankDeficient:)`` with ``RankDeficiencyPolicy/throwError``.
    public func leastSquares(_ b: [Scalar], rankTolerance: Scalar? = nil) throws -> [Scalar] {
        try leastSquares(Matrix(column: b), rankTolerance: rankTolerance).solution.storage
    }

    /// The X minimising ‖A·X − B‖₂, with the numerical rank of A decided by a column-pivoted QR
    /// factorisation (LAPACK `gelsy`).
    ///
    /// The numerical rank r is the order of the largest leading block R₁₁ of A·P = Q·R whose
    /// estimated condition number is below 1/`rankTolerance` (≈ the number of singular values
    /// above `rankTolerance`·σ₁). With r < n, ``RankDeficiencyPolicy/throwError`` (the default)
    /// throws; ``RankDeficiencyPolicy/minimumNorm`` returns the minimum-norm solution of the rank-r
    /// problem (also for m < n).
    ///
    /// ```swift
    /// // Columns 0 and 1 are identical: rank 2 of 3.
    /// let a = Matrix<Double>(rows: [[1, 1, 0], [1, 1, 1], [1, 1, 2], [1, 1, 3]])
    /// let fit = try a.leastSquares(Matrix(column: [1, 3, 5, 7]), rankTolerance: 1e-10, ifRankDeficient: .minimumNorm)
    /// // fit.rank == 2, fit.solution ≈ [0.5, 0.5, 2]: the intercept 1 split equally
    /// ```
    ///
    /// - Parameters:
    ///   - rankTolerance: relative tolerance in [0, 1); default max(m, n)·ε (NumPy's `lstsq`
    ///     default). Matrices whose σₙ/σ₁ lies within 10× of it may be judged either way on
    ///     different CPUs or BLAS thread counts.
    ///   - policy: what to do when the numerical rank is below n; default ``RankDeficiencyPolicy/throwError``.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless B has m
    ///   rows; ``LinearAlgebraError/nonFinite(operation:row:column:)``;
    ///   ``LinearAlgebraError/invalidArgument(operation:message:)`` for a tolerance outside [0, 1)
    ///   or m < n with ``RankDeficiencyPolicy/throwError``;
    ///   ``LinearAlgebraError/rankDeficient(operation:rows:columns:rank:tolerance:)``.
    /// - Complexity: about 2·m·n² floating-point operations for full rank.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func leastSquares(_ b: Matrix, rankTolerance: Scalar? = nil,
                             ifRankDeficient policy: RankDeficiencyPolicy = .throwError) throws -> LeastSquaresSolution<Scalar> {
        let operation = "least squares (gelsy)"
        let (m, n, nrhs) = (rows, columns, b.columns)
        guard b.rows == m else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "B with \(m) rows", found: b.shapeDescription)
        }
        let tolerance = try resolveRankTolerance(rankTolerance, rows: m, columns: n, operation: operation)
        if policy == .throwError && m < n {
            throw LinearAlgebraError.invalidArgument(operation: operation,
                                                     message: "the system is underdetermined (\(m)×\(n), fewer rows than columns); pass ifRankDeficient: .minimumNorm for the minimum-norm solution")
        }
        try requireFinite(operation)
        try b.requireFinite(operation)
        if m == 0 || n == 0 || nrhs == 0 {
            return LeastSquaresSolution(solution: Matrix(rows: n, columns: nrhs), rank: 0, tolerance: tolerance)
        }
        var a = self
        let ldb = Swift.max(m, n)
        var x = Matrix<Scalar>(rows: ldb, columns: nrhs)
        for j in 0..<nrhs { for i in 0..<m { x.storage[i + j * ldb] = b.storage[i + j * m] } }
        var jpvt = [Int32](repeating: 0, count: n)
        var rank: Int32 = 0
        func call(_ work: UnsafeMutablePointer<Scalar>, _ lwork: Int) -> Int {
            a.storage.withUnsafeMutableBufferPointer { pa in x.storage.withUnsafeMutableBufferPointer { px in
                jpvt.withUnsafeMutableBufferPointer { pj in
                    Scalar.lapackGelsy(m, n, nrhs, pa.baseAddress!, m, px.baseAddress!, ldb, pj.baseAddress!, tolerance, &rank, work, lwork)
                }
            } }
        }
        let lwork = lapackWorkspaceQuery(minimum: 1, routine: "gelsy") { call($0, -1) }
        var work = [Scalar](repeating: 0, count: lwork)
        let info = work.withUnsafeMutableBufferPointer { pw in call(pw.baseAddress!, lwork) }
        checkLAPACKArguments(info, "gelsy")
        let r = Int(rank)
        if r < n && policy == .throwError {
            throw LinearAlgebraError.rankDeficient(operation: operation, rows: m, columns: n, rank: r, tolerance: Double(tolerance))
        }
        return LeastSquaresSolution(solution: x[rows: 0..<n, columns: 0..<nrhs], rank: r, tolerance: tolerance)
    }

    /// Solves op(A)·X = B for triangular A (LAPACK `trtrs`), refusing an A singular to working precision.
    ///
    /// ```swift
    /// let u = Matrix<Double>(rows: [[2, 1], [0, 4]])
    /// let x = try u.solveTriangular(Matrix(column: [4, 8]), triangle: .upper)   // [1.5, 2]
    /// ```
    ///
    /// - Parameter conditionCheck: default ``ConditionCheck/machinePrecision``: LAPACK `trcon`
    ///   estimates rcond (O(n²), about the cost of one solve) and a value below ε throws;
    ///   ``ConditionCheck/unchecked`` refuses only an exactly zero diagonal entry.
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)``,
    ///   ``LinearAlgebraError/invalidArgument(operation:message:)`` for a threshold outside [0, 1], or
    ///   ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)``.
    public func solveTriangular(_ b: Matrix, triangle: Triangle, transpose: Transpose = .none, diagonal: Diagonal = .nonUnit,
                                conditionCheck: ConditionCheck = .machinePrecision) throws -> Matrix {
        let operation = "triangular solve (trtrs)"
        try requireSquare(operation)
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "B with \(rows) rows", found: b.shapeDescription)
        }
        let threshold = try conditionCheck.threshold(Scalar.self, operation: operation)
        var x = b
        if rows == 0 || b.columns == 0 { return x }
        let (n, nrhs) = (rows, b.columns)
        if let threshold {
            let rcond: Scalar = storage.withUnsafeBufferPointer { pa in
                lapackConditionEstimate(order: n, workPerOrder: 3, routine: "trcon") { rcond, work, iwork in
                    Scalar.lapackTrcon(triangle, diagonal, n, pa.baseAddress!, n, rcond, work, iwork)
                }
            }
            if !(rcond >= threshold) {   // also refuses a NaN estimate
                throw LinearAlgebraError.singular(operation: "triangular solve (trtrs + trcon)", order: n,
                                                  reciprocalCondition: Double(rcond), threshold: Double(threshold))
            }
        }
        let info = storage.withUnsafeBufferPointer { pa in x.storage.withUnsafeMutableBufferPointer { px in
            Scalar.lapackTrtrs(triangle, transpose, diagonal, n, nrhs, pa.baseAddress!, n, px.baseAddress!, n)
        } }
        checkLAPACKArguments(info, "trtrs")
        if info > 0 {
            throw LinearAlgebraError.singular(operation: operation, order: n, reciprocalCondition: 0, threshold: Double(threshold ?? 0))
        }
        return x
    }
}
