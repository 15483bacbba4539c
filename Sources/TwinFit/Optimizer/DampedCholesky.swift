/// Solves (H_FF + μ·D_FF)·δ_F = −g_F on the free index set F with a hand-written Cholesky
/// factorisation (n ≤ ~30, so LAPACK's call overhead would dominate), in preallocated storage.
struct DampedCholesky {
    /// Work matrix (n×n row-major, only the leading nf×nf block of the free set is used).
    private var a: [Double]
    /// Right-hand side, then solution, on the free set.
    private var b: [Double]

    init(order n: Int) {
        a = [Double](repeating: 0, count: n * n)
        b = [Double](repeating: 0, count: n)
    }

    /// Writes the step into `step` (zero on frozen indices) and returns true, or returns false when
    /// the damped matrix is not numerically positive definite (a pivot ≤ 0 or not finite).
    ///
    /// `free[0..<freeCount]` lists the free indices; `curvature` is n×n row-major.
    mutating func solve(curvature: [Double], gradient: [Double], scaling: [Double], damping mu: Double,
                        free: [Int], freeCount nf: Int, order n: Int, step: inout [Double]) -> Bool {
        for j in 0..<n { step[j] = 0 }
        if nf == 0 { return true }
        precondition(a.count >= nf * nf && b.count >= nf && free.count >= nf && curvature.count == n * n
                     && gradient.count == n && scaling.count == n, "DampedCholesky: workspace sized for another order")
        // Safe: every index below is < nf·nf into `a`, < nf into `b` and `free`, and < n·n, n into
        // the inputs (free[p] < n), as the precondition and the loop bounds guarantee.
        let ok = a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in
            curvature.withUnsafeBufferPointer { h in free.withUnsafeBufferPointer { free in
                for p in 0..<nf {
                    let jp = free[p]
                    for q in 0...p { a[p * nf + q] = h[jp * n + free[q]] }
                    a[p * nf + p] += mu * scaling[jp]
                    b[p] = -gradient[jp]
                }
                // L·Lᵀ in the lower triangle (Golub & Van Loan, Matrix Computations, Alg. 4.2.1).
                for p in 0..<nf {
                    var d = a[p * nf + p]
                    for k in 0..<p { d -= a[p * nf + k] * a[p * nf + k] }
                    guard d > 0, d.isFinite else { return false }
                    let l = d.squareRoot()
                    a[p * nf + p] = l
                    var q = p + 1
                    while q < nf {
                        var s = a[q * nf + p]
                        for k in 0..<p { s -= a[q * nf + k] * a[p * nf + k] }
                        a[q * nf + p] = s / l
                        q += 1
                    }
                }
                // Forward (L·y = b) then back (Lᵀ·x = y) substitution.
                for p in 0..<nf {
                    var s = b[p]
                    for k in 0..<p { s -= a[p * nf + k] * b[k] }
                    b[p] = s / a[p * nf + p]
                }
                var p = nf - 1
                while p >= 0 {
                    var s = b[p]
                    var k = p + 1
                    while k < nf { s -= a[k * nf + p] * b[k]; k += 1 }
                    b[p] = s / a[p * nf + p]
                    p -= 1
                }
                return true
            } }
        } }
        guard ok else { return false }
        for p in 0..<nf { step[free[p]] = b[p] }
        return true
    }
}
