import RealModule

/// LU factorisation with partial pivoting, P·A = L·U, of a square matrix: factor once, solve many
/// right-hand sides.
///
/// Orders up to ``SmallLU/maximumOrder`` (8) use the pure-Swift ``SmallLU`` kernel by default, which
/// beats the LAPACK call there; larger ones call LAPACK `getrf`/`getrs`. Both give the same
/// factors up to rounding.
///
/// Factoring checks the conditioning once (``ConditionCheck``, default: refuse a reciprocal
/// condition estimate below ε), so every later ``solve(_:transpose:)-(Matrix<Scalar>,_)`` of a
/// factorisation that exists is meaningful; ``solve(_:transpose:)-(Matrix<Scalar>,_)`` does not
/// check again. Hot loops that refactor every step (a stiff solver's iteration matrix) pass
/// ``ConditionCheck/unchecked`` and pay nothing for the estimate.
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
    /// The conditioning test applied by ``init(_:method:conditionCheck:)`` and ``refactor(_:)``.
    public let conditionCheck: ConditionCheck

    /// The order n of the factored n×n matrix.
    public var order: Int { factors.rows }

    /// Factors `a`. Pass the matrix with `consume` (or as its last use) to factor its storage in
    /// place without a copy.
    ///
    /// - Parameters:
    ///   - method: the kernel; default ``Method/automatic``.
    ///   - conditionCheck: default ``ConditionCheck/machinePrecision``: after factoring, LAPACK
    ///     `gecon` estimates rcond (a few pairs of triangular solves, O(n²): 5–11 % of an LU solve
    ///     at n = 512–2048, BENCHMARKS.md) and a value below ε throws.
    ///     ``ConditionCheck/unchecked`` skips the estimate.
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/nonFinite(operation:row:column:)``,
    ///   ``LinearAlgebraError/invalidArgument(operation:message:)`` for a threshold outside [0, 1], or
    ///   ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)`` when a
    ///   pivot is exactly zero (always) or the estimate is below the threshold.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>, method: Method = .automatic, conditionCheck: ConditionCheck = .machinePrecision) throws {
        try a.requireSquare("LU factorisation")
        _ = try conditionCheck.threshold(Scalar.self, operation: "LU factorisation")
        self.method = method
        self.conditionCheck = conditionCheck
        self.oneNormOfMatrix = try a.oneNormRequiringFinite("LU factorisation")
        self.pivots = [Int32](repeating: 0, count: a.rows)
        self.factors = a
        try factorInPlace()
    }

    /// Factors a new matrix of any order into this value, reusing its storage when the order is
    /// unchanged (no allocation per Newton iteration in a stiff solver).
    ///
    /// Applies the ``conditionCheck`` given at creation.
    ///
    /// - Throws: as ``init(_:method:conditionCheck:)``. After a throw the value holds the failed
    ///   factors and must not be used to solve.
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
        // Hot path (a stiff solver's refactor): nothing more to do. The checks live in their own
        // function so that this one stays small enough for SmallLU to be inlined into it.
        if info == 0, case .unchecked = conditionCheck { return }
        try refuseIfSingular(info: info)
    }

    /// Throws ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)`` for an
    /// exactly zero pivot (`info > 0`) or a reciprocal condition estimate below the threshold.
    @inline(never)
    private func refuseIfSingular(info: Int) throws {
        let n = factors.rows
        // The threshold was validated by init, so this cannot throw invalidArgument here.
        let threshold = try conditionCheck.threshold(Scalar.self, operation: "LU factorisation")
        if info > 0 {
            throw LinearAlgebraError.singular(operation: "LU factorisation (getrf)", order: n, reciprocalCondition: 0,
                                              threshold: Double(threshold ?? 0))
        }
        if let threshold {
            let rcond = reciprocalCondition()
            // `!(≥)` also refuses a NaN estimate.
            if !(rcond >= threshold) {
                throw LinearAlgebraError.singular(operation: "LU factorisation (getrf + gecon)", order: n,
                                                  reciprocalCondition: Double(rcond), threshold: Double(threshold))
            }
        }
    }

    /// Solves op(A)·X = B in place.
    ///
    /// The conditioning was checked when factoring (``conditionCheck``); the solve does not repeat it.
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
    /// Solves A·X = B by LU with partial pivoting (getrf + getrs), refusing a matrix singular to
    /// working precision.
    ///
    /// ```swift
    /// let x = try a.solve(b)                                      // throws .singular for rcond < ε
    /// let y = try a.solve(b, conditionCheck: .unchecked)          // caller checked already
    /// ```
    ///
    /// - Parameter conditionCheck: default ``ConditionCheck/machinePrecision`` (rcond ≥ ε).
    /// - Throws: as ``LUFactorization/init(_:method:conditionCheck:)`` and ``LUFactorization/solve(_:transpose:)-(Matrix<Scalar>,_)``.
    public func solve(_ b: Matrix, conditionCheck: ConditionCheck = .machinePrecision) throws -> Matrix {
        try LUFactorization(self, conditionCheck: conditionCheck).solve(b)
    }

    /// Solves A·x = b by LU with partial pivoting; see ``solve(_:conditionCheck:)-(Matrix<Scalar>,_)``.
    public func solve(_ b: [Scalar], conditionCheck: ConditionCheck = .machinePrecision) throws -> [Scalar] {
        try LUFactorization(self, conditionCheck: conditionCheck).solve(b)
    }

    /// det(A) by LU, with no condition check (a nearly singular matrix has a small determinant,
    /// not an error). 0 for an exactly zero pivot.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)`` or ``LinearAlgebraError/nonFinite(operation:row:column:)``.
    public func determinant() throws -> Scalar {
        do { return try LUFactorization(self, conditionCheck: .unchecked).determinant } catch LinearAlgebraError.singular { return 0 }
    }

    /// A⁻¹ by LU, refusing a matrix singular to working precision.
    ///
    /// ```swift
    /// let inv = try Matrix<Double>(rows: [[4, 7], [2, 6]]).inverse()   // [[0.6, -0.7], [-0.2, 0.4]]
    /// ```
    ///
    /// - Parameter conditionCheck: default ``ConditionCheck/machinePrecision`` (rcond ≥ ε).
    /// - Throws: ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)`` and the other LU errors.
    public func inverse(conditionCheck: ConditionCheck = .machinePrecision) throws -> Matrix {
        try LUFactorization(self, conditionCheck: conditionCheck).inverse()
    }
}
