/// The thin singular value decomposition A = U·Σ·Vᵀ (LAPACK `gesdd`, divide and conquer).
///
/// With k = min(m, n): U is m×k with orthonormal columns, the singular values are k numbers in
/// descending order, Vᵀ is k×n with orthonormal rows.
///
/// ```swift
/// let svd = try SingularValueDecomposition(a)
/// let condition2 = svd.singularValues.first! / svd.singularValues.last!
/// let pinv = svd.pseudoInverse()
/// ```
///
/// - Complexity: O(m·n·min(m, n)).
public struct SingularValueDecomposition<Scalar: BLASScalar>: Sendable {
    /// U, m×min(m, n).
    public let u: Matrix<Scalar>
    /// σ₁ ≥ σ₂ ≥ … ≥ σₖ ≥ 0.
    public let singularValues: [Scalar]
    /// Vᵀ, min(m, n)×n.
    public let vt: Matrix<Scalar>

    /// Decomposes `a`.
    ///
    /// - Throws: ``LinearAlgebraError/nonFinite(operation:row:column:)`` or
    ///   ``LinearAlgebraError/noConvergence(operation:size:unconverged:)``.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>) throws {
        let operation = "SVD (gesdd)"
        try a.requireFinite(operation)
        let (m, n) = (a.rows, a.columns)
        let k = Swift.min(m, n)
        var work_a = consume a
        var s = [Scalar](repeating: 0, count: k)
        var u = Matrix<Scalar>(rows: m, columns: k)
        var vt = Matrix<Scalar>(rows: k, columns: n)
        if k > 0 {
            var iwork = [Int32](repeating: 0, count: 8 * k)
            let (ldu, ldvt) = (Swift.max(1, m), Swift.max(1, k))
            func call(_ work: UnsafeMutablePointer<Scalar>, _ lwork: Int) -> Int {
                work_a.storage.withUnsafeMutableBufferPointer { pa in s.withUnsafeMutableBufferPointer { ps in
                    u.storage.withUnsafeMutableBufferPointer { pu in vt.storage.withUnsafeMutableBufferPointer { pv in
                        iwork.withUnsafeMutableBufferPointer { pi in
                            Scalar.lapackGesdd(m, n, pa.baseAddress!, m, ps.baseAddress!, pu.baseAddress!, ldu,
                                               pv.baseAddress!, ldvt, work, lwork, pi.baseAddress!)
                        }
                    } }
                } }
            }
            let lwork = lapackWorkspaceQuery(minimum: 1, routine: "gesdd") { call($0, -1) }
            var work = [Scalar](repeating: 0, count: lwork)
            let info = work.withUnsafeMutableBufferPointer { pw in call(pw.baseAddress!, lwork) }
            checkLAPACKArguments(info, "gesdd")
            if info > 0 { throw LinearAlgebraError.noConvergence(operation: operation, size: k, unconverged: info) }
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }

    /// The number of singular values above `relativeTolerance · σ₁` (default max(m, n)·ε, as
    /// NumPy's `matrix_rank`).
    public func rank(relativeTolerance: Scalar? = nil) -> Int {
        let cutoff = threshold(relativeTolerance)
        return singularValues.filter { $0 > cutoff }.count
    }

    func threshold(_ relativeTolerance: Scalar?) -> Scalar {
        let tol = relativeTolerance ?? Scalar(Swift.max(u.rows, vt.columns)) * Scalar.ulpOfOne
        return tol * (singularValues.first ?? 0)
    }

    /// The Moore–Penrose pseudo-inverse A⁺ = V·Σ⁺·Uᵀ, n×m, where singular values at or below
    /// `relativeTolerance · σ₁` (default max(m, n)·ε) are treated as zero.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func pseudoInverse(relativeTolerance: Scalar? = nil) -> Matrix<Scalar> {
        let cutoff = threshold(relativeTolerance)
        let (m, n, k) = (u.rows, vt.columns, singularValues.count)
        // W = Σ⁺·Uᵀ scaled into the columns of U: scaledU[:, i] = U[:, i] / σᵢ (or 0).
        var scaledU = u
        for i in 0..<k {
            let sigma = singularValues[i]
            let f: Scalar = sigma > cutoff ? 1 / sigma : 0
            for r in 0..<m { scaledU.storage[r + i * m] *= f }
        }
        var out = Matrix<Scalar>(rows: n, columns: m)
        // A⁺ = Vᵀᵀ · scaledUᵀ; shapes agree by construction, so gemm cannot throw.
        try? BLAS.gemm(vt, scaledU, into: &out, transposeA: .transpose, transposeB: .transpose)
        return out
    }
}

extension Matrix {
    /// The singular values, descending (no vectors are formed by the caller, but gesdd computes them).
    public func singularValues() throws -> [Scalar] { try SingularValueDecomposition(self).singularValues }

    /// The Moore–Penrose pseudo-inverse, by SVD; see ``SingularValueDecomposition/pseudoInverse(relativeTolerance:)``.
    ///
    /// - Throws: as ``SingularValueDecomposition/init(_:)``.
    public func pseudoInverse(relativeTolerance: Scalar? = nil) throws -> Matrix {
        try SingularValueDecomposition(self).pseudoInverse(relativeTolerance: relativeTolerance)
    }
}
