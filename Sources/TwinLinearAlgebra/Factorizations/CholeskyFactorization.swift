import RealModule

/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix (LAPACK `potrf`),
/// reusable for many right-hand sides.
///
/// Factoring checks the conditioning once (``ConditionCheck``, default: refuse a `pocon`
/// reciprocal condition estimate below ε); solves do not check again.
///
/// ```swift
/// let chol = try CholeskyFactorization(Matrix<Double>(rows: [[4, 2], [2, 3]]))
/// let x = try chol.solve([2, 1])
/// let logDet = chol.logDeterminant        // log det A = 2·Σ log Lᵢᵢ
/// ```
///
/// - Complexity: n³/3 floating-point operations to factor, 2·n² per right-hand side.
public struct CholeskyFactorization<Scalar: BLASScalar>: Sendable {
    /// LAPACK's factor: L in the lower triangle; the strictly upper triangle still holds A's entries.
    public private(set) var factor: Matrix<Scalar>
    /// The 1-norm of the factored matrix, kept for ``reciprocalCondition()``.
    public private(set) var oneNormOfMatrix: Scalar

    /// The order n.
    public var order: Int { factor.rows }

    /// L, with zeros above the diagonal (a new matrix).
    public var lower: Matrix<Scalar> {
        var l = factor
        let n = order
        l.storage.withUnsafeMutableBufferPointer { p in for j in 0..<n { for i in 0..<j { p[i + j * n] = 0 } } }
        return l
    }

    /// Factors the symmetric positive-definite `a`.
    ///
    /// A positive semidefinite matrix (e.g. the Gram matrix of dependent columns) may fail in
    /// `potrf` (``LinearAlgebraError/notPositiveDefinite(operation:size:order:)``) or pass it with
    /// a pivot at rounding level and then fail the condition check
    /// (``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)``): which one
    /// depends on rounding, so catch both.
    ///
    /// ```swift
    /// let sampler = try CholeskyFactorization(covariance, conditionCheck: .unchecked)  // only L is needed
    /// ```
    ///
    /// - Parameter conditionCheck: default ``ConditionCheck/machinePrecision``: LAPACK `pocon`
    ///   estimates rcond (O(n²)) and a value below ε throws; ``ConditionCheck/unchecked`` skips it.
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/nonFinite(operation:row:column:)``,
    ///   ``LinearAlgebraError/notSymmetric(operation:row:column:)``,
    ///   ``LinearAlgebraError/invalidArgument(operation:message:)`` for a threshold outside [0, 1],
    ///   ``LinearAlgebraError/notPositiveDefinite(operation:size:order:)``, or
    ///   ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)``.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>, conditionCheck: ConditionCheck = .machinePrecision) throws {
        let operation = "Cholesky factorisation (potrf)"
        try a.requireSquare(operation)
        let threshold = try conditionCheck.threshold(Scalar.self, operation: operation)
        let (oneNorm, largest) = try a.normsRequiringFinite(operation)
        self.oneNormOfMatrix = oneNorm
        try a.requireSymmetric(operation, maxAbs: largest)
        let n = a.rows
        self.factor = consume a
        let info = factor.storage.withUnsafeMutableBufferPointer { p in
            n == 0 ? 0 : Scalar.lapackPotrf(.lower, n, p.baseAddress!, n)
        }
        checkLAPACKArguments(info, "potrf")
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(operation: operation, size: n, order: info) }
        if let threshold {
            let rcond = reciprocalCondition()
            if !(rcond >= threshold) {   // also refuses a NaN estimate
                throw LinearAlgebraError.singular(operation: "Cholesky factorisation (potrf + pocon)", order: n,
                                                  reciprocalCondition: Double(rcond), threshold: Double(threshold))
            }
        }
    }

    /// Solves A·X = B in place.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless B has n rows.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func solve(inPlace b: inout Matrix<Scalar>) throws {
        let n = order
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Cholesky solve (potrs)", expected: "B with \(n) rows", found: b.shapeDescription)
        }
        if n == 0 || b.columns == 0 { return }
        let nrhs = b.columns
        let info = factor.storage.withUnsafeBufferPointer { pl in b.storage.withUnsafeMutableBufferPointer { pb in
            Scalar.lapackPotrs(.lower, n, nrhs, pl.baseAddress!, n, pb.baseAddress!, n)
        } }
        checkLAPACKArguments(info, "potrs")
    }

    /// X = A⁻¹·B as a new matrix.
    public func solve(_ b: Matrix<Scalar>) throws -> Matrix<Scalar> {
        var x = b
        try solve(inPlace: &x)
        return x
    }

    /// x = A⁻¹·b.
    public func solve(_ b: [Scalar]) throws -> [Scalar] {
        var x = Matrix(column: b)
        try solve(inPlace: &x)
        return x.storage
    }

    /// log det A = 2·Σ log Lᵢᵢ, finite even where det A over- or underflows.
    public var logDeterminant: Scalar {
        var s: Scalar = 0
        for i in 0..<order { s += Scalar.log(factor.storage[i + i * order]) }
        return 2 * s
    }

    /// A⁻¹ (symmetric), by solving against the identity.
    public func inverse() -> Matrix<Scalar> {
        var x = Matrix<Scalar>.identity(order)
        try? solve(inPlace: &x)   // n rows by construction: cannot throw
        return x
    }

    /// LAPACK `pocon`'s estimate of 1 / κ₁(A), in [0, 1].
    public func reciprocalCondition() -> Scalar {
        let (n, anorm) = (order, oneNormOfMatrix)
        return factor.storage.withUnsafeBufferPointer { pl in
            lapackConditionEstimate(order: n, workPerOrder: 3, routine: "pocon") { rcond, work, iwork in
                Scalar.lapackPocon(.lower, n, pl.baseAddress!, n, anorm, rcond, work, iwork)
            }
        }
    }
}
