import RealModule

/// LU factorisation with partial pivoting, P·A = L·U, of a square matrix: factor once, solve many
/// right-hand sides.
///
/// Orders up to ``SmallLU/maximumOrder`` (8) use the pure-Swift ``SmallLU`` kernel by default, which
/// beats the LAPACK call there; larger ones call LAPACK `getrf`/`getrs`. Both give the same
/// factors up to rounding.
///
/// ```swift
/// let lu = try LUFactorization(Matrix<Double>(rows: [[4, 3], [6, 3]]))
/// let x = try lu.solve([10, 12])          // [1, 2]
/// let d = lu.determinant                   // -6
/// ```
///
/// - Complexity: (2/3)·n³ floating-point operations to factor, 2·n² per right-hand side.
public struct LUFactorization<Scalar: BLASScalar>: Sendable {
    /// Which kernel factors and solves.
    public enum Method: Sendable, Hashable {
        /// ``SmallLU`` for n ≤ 8, LAPACK otherwise.
        case automatic
        /// LAPACK `getrf`/`getrs` at every size.
        case lapack
        /// The pure-Swift ``SmallLU`` kernel at every size (unblocked: use for small n only).
        case unblocked
    }

    /// L (strictly below the diagonal, unit diagonal implied) and U (on and above), packed as LAPACK stores them.
    public private(set) var factors: Matrix<Scalar>
    /// LAPACK's pivots: row i was interchanged with row `pivots[i]` (1-based).
    public private(set) var pivots: [Int32]
    /// The 1-norm of the factored matrix, kept for ``reciprocalCondition()``.
    public private(set) var oneNormOfMatrix: Scalar
    /// The kernel this factorisation uses.
    public let method: Method

    /// The order n of the factored n×n matrix.
    public var order: Int { factors.rows }

    /// Factors `a`. Pass the matrix with `consume` (or as its last use) to factor its storage in
    /// place without a copy.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/nonFinite(operation:row:column:)``, or
    ///   ``LinearAlgebraError/singular(operation:order:pivot:)`` when a pivot is exactly zero.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>, method: Method = .automatic) throws {
        try a.requireSquare("LU factorisation")
        self.method = method
        self.oneNormOfMatrix = try a.oneNormRequiringFinite("LU factorisation")
        self.pivots = [Int32](repeating: 0, count: a.rows)
        self.factors = a
        try factorInPlace()
    }

    /// Factors a new matrix of any order into this value, reusing its storage when the order is
    /// unchanged (no allocation per Newton iteration in a stiff solver).
    ///
    /// - Throws: as ``init(_:method:)``. After a throw the value holds the failed factors and must
    ///   not be used to solve.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func refactor(_ a: Matrix<Scalar>) throws {
        try a.requireSquare("LU factorisation")
        oneNormOfMatrix = try a.oneNormRequiringFinite("LU factorisation")
        if factors.rows == a.rows {
            factors.storage.withUnsafeMutableBufferPointer { dst in
                a.storage.withUnsafeBufferPointer { src in
                    for k in 0..<src.count { dst[k] = src[k] }
                }
            }
        } else {
            factors = a
            pivots = [Int32](repeating: 0, count: a.rows)
        }
        try factorInPlace()
    }

    private mutating func factorInPlace() throws {
        let n = factors.rows
        if n == 0 { return }
        let useSmall = method == .unblocked || (method == .automatic && n <= SmallLU.maximumOrder)
        let info = factors.storage.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeMutableBufferPointer { pp in
                useSmall ? SmallLU.factor(n, pa.baseAddress!, pp.baseAddress!)
                         : Scalar.lapackGetrf(n, n, pa.baseAddress!, n, pp.baseAddress!)
            }
        }
        checkLAPACKArguments(info, "getrf")
        if info > 0 { throw LinearAlgebraError.singular(operation: "LU factorisation (getrf)", order: n, pivot: info) }
    }

    /// Solves op(A)·X = B in place.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless B has n rows.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func solve(inPlace b: inout Matrix<Scalar>, transpose: Transpose = .none) throws {
        let n = order
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "LU solve (getrs)", expected: "B with \(n) rows", found: b.shapeDescription)
        }
        let nrhs = b.columns
        if n == 0 || nrhs == 0 { return }
        let useSmall = method == .unblocked || (method == .automatic && n <= SmallLU.maximumOrder)
        let info = factors.storage.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                b.storage.withUnsafeMutableBufferPointer { pb -> Int in
                    if useSmall {
                        SmallLU.solve(transpose, n, nrhs, pa.baseAddress!, pp.baseAddress!, pb.baseAddress!)
                        return 0
                    }
                    return Scalar.lapackGetrs(transpose, n, nrhs, pa.baseAddress!, n, pp.baseAddress!, pb.baseAddress!, n)
                }
            }
        }
        checkLAPACKArguments(info, "getrs")
    }

    /// X = op(A)⁻¹·B as a new matrix.
    public func solve(_ b: Matrix<Scalar>, transpose: Transpose = .none) throws -> Matrix<Scalar> {
        var x = b
        try solve(inPlace: &x, transpose: transpose)
        return x
    }

    /// x = op(A)⁻¹·b for one right-hand side.
    public func solve(_ b: [Scalar], transpose: Transpose = .none) throws -> [Scalar] {
        var x = Matrix(column: b)
        try solve(inPlace: &x, transpose: transpose)
        return x.storage
    }

    /// det(A) = sign(P)·Π Uᵢᵢ. May overflow for large n: prefer ``logAbsDeterminant``.
    public var determinant: Scalar {
        var d: Scalar = 1
        for i in 0..<order {
            d *= factors.storage[i + i * order]
            if Int(pivots[i]) != i + 1 { d = -d }
        }
        return d
    }

    /// (log |det A|, sign of det A); sign is 0 for a singular matrix.
    public var logAbsDeterminant: (logAbs: Scalar, sign: Scalar) {
        var sign: Scalar = 1
        var logAbs: Scalar = 0
        for i in 0..<order {
            let u = factors.storage[i + i * order]
            if u == 0 { return (-.infinity, 0) }
            if u < 0 { sign = -sign }
            if Int(pivots[i]) != i + 1 { sign = -sign }
            logAbs += Scalar.log(Swift.abs(u))
        }
        return (logAbs, sign)
    }

    /// A⁻¹, by solving against the identity. Prefer ``solve(_:transpose:)`` when the inverse is
    /// only used to multiply.
    public func inverse() -> Matrix<Scalar> {
        var x = Matrix<Scalar>.identity(order)
        // B has n rows by construction: solve cannot throw.
        try? solve(inPlace: &x)
        return x
    }

    /// LAPACK `gecon`'s estimate of 1 / κ₁(A) = 1 / (‖A‖₁·‖A⁻¹‖₁), in [0, 1]; near 0 means
    /// ill-conditioned (expect to lose log₁₀ κ digits). The estimate is within a small factor
    /// (Higham 1988: rarely more than 3) of the truth.
    public func reciprocalCondition() -> Scalar {
        let (n, anorm) = (order, oneNormOfMatrix)
        return factors.storage.withUnsafeBufferPointer { pa in
            lapackConditionEstimate(order: n, workPerOrder: 4, routine: "gecon") { rcond, work, iwork in
                Scalar.lapackGecon(n, pa.baseAddress!, n, anorm, rcond, work, iwork)
            }
        }
    }

    /// The unit lower-triangular factor L.
    public var lower: Matrix<Scalar> {
        Matrix(rows: order, columns: order) { i, j in i == j ? 1 : (i > j ? factors[i, j] : 0) }
    }

    /// The upper-triangular factor U.
    public var upper: Matrix<Scalar> {
        Matrix(rows: order, columns: order) { i, j in i <= j ? factors[i, j] : 0 }
    }

    /// The row order of P·A: entry k is the row of A that ends up in row k.
    public var rowPermutation: [Int] {
        var perm = Array(0..<order)
        for (i, p) in pivots.enumerated() { perm.swapAt(i, Int(p) - 1) }
        return perm
    }
}

extension Matrix {
    /// Solves A·X = B by LU with partial pivoting (getrf + getrs).
    ///
    /// - Throws: as ``LUFactorization/init(_:method:)`` and ``LUFactorization/solve(_:transpose:)-(Matrix<Scalar>,_)``.
    public func solve(_ b: Matrix) throws -> Matrix { try LUFactorization(self).solve(b) }

    /// Solves A·x = b by LU with partial pivoting.
    public func solve(_ b: [Scalar]) throws -> [Scalar] { try LUFactorization(self).solve(b) }

    /// det(A) by LU. 0 for an exactly singular matrix.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)`` or ``LinearAlgebraError/nonFinite(operation:row:column:)``.
    public func determinant() throws -> Scalar {
        do { return try LUFactorization(self).determinant } catch LinearAlgebraError.singular { return 0 }
    }

    /// A⁻¹ by LU.
    ///
    /// - Throws: ``LinearAlgebraError/singular(operation:order:pivot:)`` and the other LU errors.
    public func inverse() throws -> Matrix { try LUFactorization(self).inverse() }
}
