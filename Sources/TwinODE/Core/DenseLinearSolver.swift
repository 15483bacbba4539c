import TwinLinearAlgebra

/// The LU factorisation of an implicit method's iteration matrix, on storage owned here and
/// reused every step: the pure-Swift ``SmallLU`` kernel for n ≤ 8, LAPACK `getrf`/`getrs`
/// above. Works on raw buffers so that a step touches no reference counts or exclusivity checks.
final class DenseLinearSolver {
    let n: Int
    /// The matrix to factor, column-major n×n: fill it, then call ``factor()``.
    let matrix: UnsafeMutablePointer<Double>
    private let pivots: UnsafeMutablePointer<Int32>
    /// 1 / Uᵢᵢ, so that back substitution multiplies instead of dividing.
    private let inverseDiagonal: UnsafeMutablePointer<Double>
    private let small: Bool

    init(order n: Int) {
        self.n = n
        matrix = .allocate(capacity: max(1, n * n))
        matrix.initialize(repeating: 0, count: max(1, n * n))
        pivots = .allocate(capacity: max(1, n))
        pivots.initialize(repeating: 0, count: max(1, n))
        inverseDiagonal = .allocate(capacity: max(1, n))
        inverseDiagonal.initialize(repeating: 0, count: max(1, n))
        small = n <= SmallLU.maximumOrder
    }

    deinit {
        matrix.deallocate()
        pivots.deallocate()
        inverseDiagonal.deallocate()
    }

    /// Factors `matrix` in place; false when a pivot is exactly zero or the matrix holds a NaN or
    /// infinity (the stepper then halves the step).
    ///
    /// No condition estimate: this runs every step (`ConditionCheck.unchecked`
    /// semantics). A tiny but nonzero pivot (I − γhJ nearly singular, e.g. γh·λ ≈ 1 for a
    /// positive eigenvalue λ of J) factors "successfully"; its solves are then huge or non-finite,
    /// so the embedded error estimate is huge or NaN and the step is rejected and shrunk (a NaN
    /// error counts as a rejection with the smallest factor), and BDF's Newton iteration diverges
    /// and shrinks the step. An adaptive solver therefore does not accept such a step; with a
    /// fixed step (no error control) the step is taken as computed, and a non-finite result
    /// ends the solve with a non-finite-state status.
    func factor() -> Bool {
        if n == 0 { return true }
        for k in 0..<(n * n) where !matrix[k].isFinite { return false }
        let info = small ? SmallLU.factor(n, matrix, pivots) : Double.lapackGetrf(n, n, matrix, n, pivots)
        precondition(info >= 0, "TwinODE bug: LAPACK getrf rejected argument \(-info)")
        if info != 0 { return false }
        for i in 0..<n { inverseDiagonal[i] = 1 / matrix[i + i * n] }
        return true
    }

    /// Overwrites `b` (n values) with the solution of (factored matrix)·x = b.
    @inline(__always)
    func solve(_ b: UnsafeMutablePointer<Double>) {
        if n == 0 { return }
        if small {
            // Row-oriented substitution: each xᵢ is one dot product (independent multiply-adds)
            // and one multiplication by 1/Uᵢᵢ.
            for k in 0..<n {
                let p = Int(pivots[k]) - 1
                if p != k { let t = b[k]; b[k] = b[p]; b[p] = t }
            }
            for i in 1..<max(1, n) {
                var s = b[i]
                for j in 0..<i { s -= matrix[i + j * n] * b[j] }
                b[i] = s
            }
            var i = n - 1
            while i >= 0 {
                var s = b[i]
                var j = i + 1
                while j < n { s -= matrix[i + j * n] * b[j]; j += 1 }
                b[i] = s * inverseDiagonal[i]
                i -= 1
            }
        } else {
            let info = Double.lapackGetrs(.none, n, 1, matrix, n, pivots, b, n)
            precondition(info >= 0, "TwinODE bug: LAPACK getrs rejected argument \(-info)")
        }
    }
}
