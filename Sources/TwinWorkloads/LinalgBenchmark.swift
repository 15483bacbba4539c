import TwinLinearAlgebra

/// Timings of the dense routines and of the small-matrix LU path, shared by `medtwin bench
/// linalg` and the benchmark package.
public enum LinalgBenchmark {
    public static let clock = ContinuousClock()

    /// Seconds from `start` to now, on the monotonic clock.
    public static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: clock.now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// A copy of `m` with storage of its own, so that timed code can consume it without a copy.
    static func unique(_ m: Matrix<Double>) -> Matrix<Double> {
        var copy = m
        if copy.rows > 0 && copy.columns > 0 { copy[0, 0] = m[0, 0] }
        return copy
    }

    /// Times `routine` at order `n`: one warm-up, then `repeats` timed runs; input copies are
    /// made outside the timed region, as in the peer. GEMM repeats itself inside one timing
    /// until about 2·10⁹ flops have run, so small sizes are not lost in clock resolution.
    ///
    /// - Throws: a ``LinearAlgebraError`` if a factorisation fails (it does not on these inputs).
    public static func time(_ routine: LinalgRoutine, n: Int, repeats: Int) throws -> LinalgTiming {
        let reps = max(1, repeats)
        var samples: [Double] = []
        for r in 0...reps {
            let seconds = try timeOnce(routine, n: n)
            if r > 0 { samples.append(seconds) }
        }
        samples.sort()
        return LinalgTiming(routine: routine, n: n, repeats: reps, minimumSeconds: samples[0], medianSeconds: samples[samples.count / 2])
    }

    static func timeOnce(_ routine: LinalgRoutine, n: Int) throws -> Double {
        switch routine {
        case .dgemm:
            let a = LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 1)
            let b = LinalgWorkloads.random(Double.self, rows: n, columns: n, seed: 2)
            var c = Matrix<Double>(rows: n, columns: n)
            let inner = max(1, Int(2e9 / (routine.flops(n) ?? 1)))
            let start = clock.now
            for _ in 0..<inner { try BLAS.gemm(a, b, into: &c) }
            return elapsed(since: start) / Double(inner)
        case .dgesv, .dgesvChecked:
            let a = unique(LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 3))
            var x = unique(LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 4))
            let check: ConditionCheck = routine == .dgesv ? .unchecked : .machinePrecision
            let start = clock.now
            let lu = try LUFactorization(a, method: .lapack, conditionCheck: check)
            try lu.solve(inPlace: &x)
            return elapsed(since: start)
        case .dpotrf:
            let a = unique(LinalgWorkloads.symmetricPositiveDefinite(Double.self, n: n, seed: 5))
            let start = clock.now
            _ = try CholeskyFactorization(a, conditionCheck: .unchecked)   // potrf alone, as the peer
            return elapsed(since: start)
        case .dgesdd:
            let a = unique(LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 6))
            let start = clock.now
            _ = try SingularValueDecomposition(a)
            return elapsed(since: start)
        case .dsyevd:
            let a = unique(LinalgWorkloads.symmetricPositiveDefinite(Double.self, n: n, seed: 7))
            let start = clock.now
            _ = try SymmetricEigendecomposition(a)
            return elapsed(since: start)
        }
    }

    /// The cost of ``ConditionCheck/machinePrecision`` on an LU solve at order n, in seconds:
    /// LU factor + solve of one right-hand side unchecked and checked, alternating in each of
    /// `rounds` rounds so that both see the same machine load, and `gecon` alone on the same
    /// factors; the minimum of each over the rounds.
    ///
    /// - Throws: a ``LinearAlgebraError`` if a factorisation fails (it does not on this input).
    public static func conditionCheckCost(n: Int, rounds: Int) throws -> (unchecked: Double, checked: Double, estimate: Double) {
        let a = LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 3)
        let b = LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 4)
        var best = (unchecked: Double.infinity, checked: Double.infinity, estimate: Double.infinity)
        for _ in 0...max(1, rounds) {          // the first round warms up and is timed too
            for check in [ConditionCheck.unchecked, .machinePrecision] {
                let input = unique(a)
                var x = unique(b)
                let start = clock.now
                let lu = try LUFactorization(input, method: .lapack, conditionCheck: check)
                try lu.solve(inPlace: &x)
                let seconds = elapsed(since: start)
                if check == .unchecked { best.unchecked = min(best.unchecked, seconds) } else { best.checked = min(best.checked, seconds) }
                if check == .unchecked {
                    let start = clock.now
                    let rcond = lu.reciprocalCondition()
                    best.estimate = min(best.estimate, elapsed(since: start))
                    precondition(rcond > 0, "benchmark input is well conditioned")
                }
            }
        }
        return best
    }

    /// Nanoseconds per LU factorisation plus one solve of an n×n system, averaged over
    /// `iterations` (minimum over 5 rounds), with the given kernel. The matrix is refactored into
    /// the same storage each time, as a stiff solver does, with no condition estimate (the stiff
    /// solvers' path: ``ConditionCheck/unchecked``).
    public static func smallLUNanoseconds(n: Int, method: LUFactorization<Double>.Method, iterations: Int) throws -> Double {
        let a = LinalgWorkloads.wellConditioned(Double.self, n: n, seed: 8)
        let b = LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 9)
        var lu = try LUFactorization(a, method: method, conditionCheck: .unchecked)
        var x = b
        var best = Double.infinity
        for _ in 0..<5 {
            let start = clock.now
            for _ in 0..<iterations {
                try lu.refactor(a)
                x = b
                try lu.solve(inPlace: &x)
            }
            best = min(best, elapsed(since: start) / Double(iterations) * 1e9)
        }
        return best
    }
}
