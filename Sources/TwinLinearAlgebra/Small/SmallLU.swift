/// Pure-Swift LU factorisation and solve for small square matrices (order ≤ ``maximumOrder``),
/// with the same contract as LAPACK's `getrf`/`getrs`: partial pivoting by largest absolute value,
/// 1-based pivot indices, `info = k > 0` when U[k,k] is exactly zero.
///
/// Like `getrf`, it estimates no conditioning: a pivot of rounding size is not reported (two
/// identical columns often leave U[n,n] ≈ ε·‖A‖ rather than 0). ``LUFactorization`` adds the
/// `gecon` check (``ConditionCheck``) on top; the stiff solvers' hot paths call this kernel
/// directly and rely on step rejection instead.
///
/// For the per-patient Jacobians of an ensemble (n ≤ 8) a LAPACK call costs more in argument
/// handling and blocking logic than the arithmetic; this unblocked right-looking elimination is
/// faster there (BENCHMARKS.md). ``LUFactorization`` uses it automatically for such sizes.
public enum SmallLU {
    /// The largest order handled by the pure-Swift path.
    public static let maximumOrder = 8

    /// Factors the column-major n×n matrix at `a` in place (L unit-lower, U upper) and writes the
    /// pivots; returns 0 or the 1-based index of the first exactly-zero pivot (factorisation
    /// still completed, as in LAPACK).
    @inlinable
    public static func factor<S: BLASScalar>(_ n: Int, _ a: UnsafeMutablePointer<S>, _ pivots: UnsafeMutablePointer<Int32>) -> Int {
        // Safe: the caller guarantees n·n elements at `a` and n at `pivots`.
        var info = 0
        for k in 0..<n {
            // Pivot: first row of largest |a[i,k]|, i ≥ k.
            var p = k
            var best = Swift.abs(a[k + k * n])
            var i = k + 1
            while i < n {
                let v = Swift.abs(a[i + k * n])
                if v > best { best = v; p = i }
                i += 1
            }
            pivots[k] = Int32(truncatingIfNeeded: p + 1)
            if best == 0 {                          // exactly singular column: record, skip elimination
                if info == 0 { info = k + 1 }
                continue
            }
            if p != k {
                for j in 0..<n { let t = a[k + j * n]; a[k + j * n] = a[p + j * n]; a[p + j * n] = t }
            }
            let inv = 1 / a[k + k * n]
            i = k + 1
            while i < n { a[i + k * n] *= inv; i += 1 }
            var j = k + 1
            while j < n {
                let ukj = a[k + j * n]
                if ukj != 0 {
                    i = k + 1
                    while i < n { a[i + j * n] -= a[i + k * n] * ukj; i += 1 }
                }
                j += 1
            }
        }
        return info
    }

    /// Solves A·X = B (or Aᵀ·X = B) with the factors from ``factor(_:_:_:)``, overwriting the
    /// column-major n×nrhs matrix at `b`.
    @inlinable
    public static func solve<S: BLASScalar>(_ transpose: Transpose, _ n: Int, _ nrhs: Int, _ lu: UnsafePointer<S>,
                                            _ pivots: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<S>) {
        // Safe: the caller guarantees n·n elements at `lu`, n at `pivots` and n·nrhs at `b`.
        for r in 0..<nrhs {
            let x = b + r * n
            if transpose == .none {
                for k in 0..<n {
                    let p = Int(pivots[k]) - 1
                    if p != k { let t = x[k]; x[k] = x[p]; x[p] = t }
                }
                for k in 0..<n {                     // L·y = P·b (unit lower)
                    let xk = x[k]
                    if xk != 0 { var i = k + 1; while i < n { x[i] -= lu[i + k * n] * xk; i += 1 } }
                }
                var k = n - 1
                while k >= 0 {                       // U·x = y
                    x[k] /= lu[k + k * n]
                    let xk = x[k]
                    var i = 0
                    while i < k { x[i] -= lu[i + k * n] * xk; i += 1 }
                    k -= 1
                }
            } else {
                for k in 0..<n {                     // Uᵀ·z = b
                    var s = x[k]
                    for i in 0..<k { s -= lu[i + k * n] * x[i] }
                    x[k] = s / lu[k + k * n]
                }
                var k = n - 1
                while k >= 0 {                       // Lᵀ·w = z
                    var s = x[k]
                    var i = k + 1
                    while i < n { s -= lu[i + k * n] * x[i]; i += 1 }
                    x[k] = s
                    k -= 1
                }
                k = n - 1
                while k >= 0 {                       // x = Pᵀ·w
                    let p = Int(pivots[k]) - 1
                    if p != k { let t = x[k]; x[k] = x[p]; x[p] = t }
                    k -= 1
                }
            }
        }
    }
}
