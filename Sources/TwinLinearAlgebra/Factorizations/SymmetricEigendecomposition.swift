/// Eigenvalues and orthonormal eigenvectors of a real symmetric matrix, A = V·Λ·Vᵀ
/// (LAPACK `syevd`, divide and conquer).
///
/// ```swift
/// let eig = try SymmetricEigendecomposition(Matrix<Double>(rows: [[2, 1], [1, 2]]))
/// eig.eigenvalues      // [1, 3], ascending
/// eig.eigenvectors     // columns are the eigenvectors
/// ```
///
/// - Complexity: O(n³).
public struct SymmetricEigendecomposition<Scalar: BLASScalar>: Sendable {
    /// λ₁ ≤ λ₂ ≤ … ≤ λₙ.
    public let eigenvalues: [Scalar]
    /// V: column i is the unit eigenvector of `eigenvalues[i]`.
    public let eigenvectors: Matrix<Scalar>

    /// Decomposes the symmetric `a`.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``,
    ///   ``LinearAlgebraError/nonFinite(operation:row:column:)``,
    ///   ``LinearAlgebraError/notSymmetric(operation:row:column:)``, or
    ///   ``LinearAlgebraError/noConvergence(operation:size:unconverged:)``.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public init(_ a: consuming Matrix<Scalar>) throws {
        let operation = "symmetric eigendecomposition (syevd)"
        try a.requireSquare(operation)
        let (_, largest) = try a.normsRequiringFinite(operation)
        try a.requireSymmetric(operation, maxAbs: largest)
        let n = a.rows
        var v = consume a
        var w = [Scalar](repeating: 0, count: n)
        if n > 0 {
            var iworkSize: Int32 = 0
            func call(_ work: UnsafeMutablePointer<Scalar>, _ lwork: Int, _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int) -> Int {
                v.storage.withUnsafeMutableBufferPointer { pv in w.withUnsafeMutableBufferPointer { pw in
                    Scalar.lapackSyevd(true, .lower, n, pv.baseAddress!, n, pw.baseAddress!, work, lwork, iwork, liwork)
                } }
            }
            let lwork = lapackWorkspaceQuery(minimum: 1, routine: "syevd") { call($0, -1, &iworkSize, -1) }
            let liwork = Swift.max(1, Int(iworkSize))
            var work = [Scalar](repeating: 0, count: lwork)
            var iwork = [Int32](repeating: 0, count: liwork)
            let info = work.withUnsafeMutableBufferPointer { pw in iwork.withUnsafeMutableBufferPointer { pi in
                call(pw.baseAddress!, lwork, pi.baseAddress!, liwork)
            } }
            checkLAPACKArguments(info, "syevd")
            if info > 0 { throw LinearAlgebraError.noConvergence(operation: operation, size: n, unconverged: info) }
        }
        self.eigenvalues = w
        self.eigenvectors = v
    }
}
