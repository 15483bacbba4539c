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
        for p in 0..<nf {
            let jp = free[p]
            for q in 0...p { a[p * nf + q] = curvature[jp * n + free[q]] }
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
            for q in (p + 1)..<Swift.max(p + 1, nf) {
                var s = a[q * nf + p]
                for k in 0..<p { s -= a[q * nf + k] * a[p * nf + k] }
                a[q * nf + p] = s / l
            }
        }
        // Forward (L·y = b) then back (Lᵀ·x = y) substitution.
        for p in 0..<nf {
            var s = b[p]
            for k in 0..<p { s -= a[p * nf + k] * b[k] }
            b[p] = s / a[p * nf + p]
        }
        for p in stride(from: nf - 1, through: 0, by: -1) {
            var s = b[p]
            for k in (p + 1)..<Swift.max(p + 1, nf) { s -= a[k * nf + p] * b[k] }
            b[p] = s / a[p * nf + p]
        }
        for p in 0..<nf { step[free[p]] = b[p] }
        return true
    }
}
