@_spi(LaneEngine) import TwinODE

/// LU factorisation with partial pivoting of one small n×n matrix per lane, all lanes at once:
/// each lane picks its own pivots (by masked swaps), so a lane's factors are exactly those of
/// its own matrix. Column-major storage, entry (i, j) at `a[i + j·n]`. For the iteration
/// matrices of the Rosenbrock lanes (n up to a few dozen states).
struct LaneLU<V: ODELaneVector> {
    let n: Int
    /// The factors, in place: L below the diagonal (unit diagonal implied), U on and above.
    let a: UnsafeMutablePointer<V>
    /// pivot[k]: the row swapped with row k at step k, per lane (as a Double).
    let pivot: UnsafeMutablePointer<V>
    /// 1 / U[k, k].
    let inverseDiagonal: UnsafeMutablePointer<V>

    init(order n: Int) {
        self.n = n
        let size = max(n, 1)
        // Safe: allocated here, freed by deallocate(), indexed below n·n.
        a = .allocate(capacity: size * size)
        a.initialize(repeating: V(repeating: 0), count: size * size)
        pivot = .allocate(capacity: size)
        pivot.initialize(repeating: V(repeating: 0), count: size)
        inverseDiagonal = .allocate(capacity: size)
        inverseDiagonal.initialize(repeating: V(repeating: 0), count: size)
    }

    func deallocate() {
        a.deallocate()
        pivot.deallocate()
        inverseDiagonal.deallocate()
    }

    /// Factors `a` in place; returns the lanes whose matrix is singular (a zero or NaN pivot).
    ///
    /// No condition estimate (hot path). A lane with a tiny but nonzero pivot gets huge or
    /// non-finite stage values; its error estimate is then huge, or set to infinity when NaN, so
    /// the lane's step is rejected and shrunk like any other failed step
    /// (as TwinODE's `DenseLinearSolver` does for the single-patient solvers).
    @inline(__always)
    func factor() -> LaneMask<V> {
        var singular = LaneMask<V>(repeating: false)
        for k in 0..<n {
            // Pivot: the largest |a[i, k]|, i ≥ k, lane by lane (the first on ties, as LAPACK).
            var best = abs(a[k + k * n])
            var row = V(repeating: Double(k))
            for i in (k + 1)..<max(n, k + 1) {
                let v = abs(a[i + k * n])
                let larger = lt(best, v)
                best = best.selecting(v, where: larger)
                row = row.selecting(Double(i), where: larger)
            }
            pivot[k] = row
            for i in (k + 1)..<max(n, k + 1) {
                let swap = eq(row, Double(i))
                guard any(swap) else { continue }
                for j in 0..<n {
                    let upper = a[k + j * n], lower = a[i + j * n]
                    a[k + j * n] = upper.selecting(lower, where: swap)
                    a[i + j * n] = lower.selecting(upper, where: swap)
                }
            }
            let diagonal = a[k + k * n]
            singular .|= eq(diagonal, 0) .| .!eq(diagonal, diagonal)
            let inverse = 1 / diagonal
            inverseDiagonal[k] = inverse
            for i in (k + 1)..<max(n, k + 1) {
                let l = a[i + k * n] * inverse
                a[i + k * n] = l
                for j in (k + 1)..<n { a[i + j * n] -= l * a[k + j * n] }
            }
        }
        return singular
    }

    /// Solves A·x = b in place for every lane.
    @inline(__always)
    func solve(_ b: UnsafeMutablePointer<V>) {
        for k in 0..<n {
            let row = pivot[k]
            for i in (k + 1)..<max(n, k + 1) {
                let swap = eq(row, Double(i))
                let upper = b[k], lower = b[i]
                b[k] = upper.selecting(lower, where: swap)
                b[i] = lower.selecting(upper, where: swap)
            }
        }
        for i in 0..<n {
            var sum = b[i]
            for j in 0..<i { sum -= a[i + j * n] * b[j] }
            b[i] = sum
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[i]
            for j in (i + 1)..<n { sum -= a[i + j * n] * b[j] }
            b[i] = sum * inverseDiagonal[i]
        }
    }
}
