/// Eigenvalues and orthonormal eigenvectors of a small real symmetric matrix (order ≤
/// ``maximumOrder``) by the cyclic Jacobi method, in pure Swift.
///
/// For the 2×2 to 8×8 information matrices of per-patient fits a LAPACK `syevd` call (workspace
/// query, two allocations, divide-and-conquer set-up) costs far more than the arithmetic; a few
/// Jacobi sweeps are cheaper and as accurate: each eigenvalue to within a small multiple of
/// ε·‖A‖_F, the bound `syevd` also meets (Demmel & Veselić 1992, "Jacobi's method is more
/// accurate than QR", SIAM J. Matrix Anal. Appl. 13:1204–1245, show it is often better).
///
/// Algorithm: Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5 — the symmetric 2×2 Schur
/// decomposition (Alg. 8.5.1: τ = (a_qq − a_pp)/(2a_pq), t = sign(τ)/(|τ| + √(1 + τ²)),
/// c = 1/√(1 + t²), s = t·c) applied row by row to every off-diagonal pair (p, q), p < q (the
/// cyclic Jacobi method, Alg. 8.5.3), until off(A) = (Σ_{p≠q} a_pq²)^½ ≤ 10⁻²·ε·‖A‖_F.
/// Convergence is ultimately quadratic; a matrix that is not done after 64 sweeps is reported
/// as such (nil) rather than returned inaccurate.
///
/// ```swift
/// if let eig = SmallSymmetricEigen.decompose([2, 1, 1, 2], order: 2) {
///     eig.eigenvalues              // [1, 3], ascending
///     eig.eigenvectors[0 * 2 + 1]  // V[0, 1]: column i of the row-major V belongs to eigenvalues[i]
/// }
/// ```
public enum SmallSymmetricEigen {
    /// The largest order handled.
    public static let maximumOrder = 8
    /// The sweep budget; cyclic Jacobi needs about 5–10 for n ≤ 8.
    static let maximumSweeps = 64

    /// Eigenvalues λ₁ ≤ … ≤ λₙ and the row-major n×n matrix V whose column i is the unit
    /// eigenvector of λᵢ (`eigenvectors[r * n + i]`), for the symmetric row-major n×n `a` (its
    /// upper triangle is read); nil when n is 0 or above ``maximumOrder``, `a` has another count
    /// or a non-finite entry, or the sweeps do not converge.
    public static func decompose(_ a: [Double], order n: Int) -> (eigenvalues: [Double], eigenvectors: [Double])? {
        guard n > 0, n <= maximumOrder, a.count == n * n else { return nil }
        var m = a
        var frobenius = 0.0
        for p in 0..<n {
            for q in p..<n {
                let x = a[p * n + q]
                guard x.isFinite else { return nil }
                m[q * n + p] = x
                frobenius += p == q ? x * x : 2 * x * x
            }
        }
        guard frobenius.isFinite else { return nil }
        var v = [Double](repeating: 0, count: n * n)
        for p in 0..<n { v[p * n + p] = 1 }
        let tolerance = 1e-2 * Double.ulpOfOne * frobenius.squareRoot()
        // Safe: m and v hold n·n entries and every index below is p·n + q or k·n + p with p, q, k < n.
        let converged = m.withUnsafeMutableBufferPointer { m in v.withUnsafeMutableBufferPointer { v in
            for _ in 0..<maximumSweeps {
                var off = 0.0
                for p in 0..<n { for q in (p + 1)..<n { off += 2 * m[p * n + q] * m[p * n + q] } }
                if off.squareRoot() <= tolerance { return true }
                for p in 0..<n {
                    for q in (p + 1)..<n {
                        let apq = m[p * n + q]
                        if apq == 0 { continue }
                        let tau = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                        // t = sign(τ)/(|τ| + √(1 + τ²)), the smaller root; 1/(2τ) once τ² would overflow.
                        let t = Swift.abs(tau) > 1e150 ? 1 / (2 * tau)
                            : (tau >= 0 ? 1 : -1) / (Swift.abs(tau) + (1 + tau * tau).squareRoot())
                        let c = 1 / (1 + t * t).squareRoot(), s = t * c
                        // A ← Jᵀ·A·J: columns p, q, then rows p, q; V ← V·J.
                        for k in 0..<n {
                            let akp = m[k * n + p], akq = m[k * n + q]
                            m[k * n + p] = c * akp - s * akq
                            m[k * n + q] = s * akp + c * akq
                        }
                        for k in 0..<n {
                            let apk = m[p * n + k], aqk = m[q * n + k]
                            m[p * n + k] = c * apk - s * aqk
                            m[q * n + k] = s * apk + c * aqk
                        }
                        m[p * n + q] = 0
                        m[q * n + p] = 0
                        for k in 0..<n {
                            let vkp = v[k * n + p], vkq = v[k * n + q]
                            v[k * n + p] = c * vkp - s * vkq
                            v[k * n + q] = s * vkp + c * vkq
                        }
                    }
                }
            }
            return false
        } }
        guard converged else { return nil }
        // Ascending order (insertion sort of the column indices; n ≤ 8).
        var order = Array(0..<n)
        for i in 1..<max(n, 1) {
            var j = i
            while j > 0, m[order[j - 1] * n + order[j - 1]] > m[order[j] * n + order[j]] {
                order.swapAt(j - 1, j)
                j -= 1
            }
        }
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        for (i, column) in order.enumerated() {
            values[i] = m[column * n + column]
            for r in 0..<n { vectors[r * n + i] = v[r * n + column] }
        }
        return (values, vectors)
    }
}
