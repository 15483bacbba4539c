import Testing
import TwinLinearAlgebra
import TwinWorkloads
import _TwinTestSupport

/// Test matrices whose numerical rank or conditioning is known in closed form, so that each
/// sits ≥ 10× away from the documented threshold (values within 10× may be judged either way on
/// another CPU or BLAS thread count; ConditionCheck's documentation).
enum NearlySingular {
    /// m×k with orthonormal columns (the thin Q of a random matrix).
    static func orthonormal(rows m: Int, columns k: Int, seed: UInt64) -> Matrix<Double> {
        // A random m×k matrix has full rank with probability 1; its Q is orthonormal to rounding.
        (try? QRFactorization(LinalgWorkloads.random(Double.self, rows: m, columns: k, seed: seed)).q) ?? .identity(m)
    }

    /// m×n whose last column is column 0 plus `gap` times a unit vector orthogonal to every other
    /// column (gap 0: two bitwise identical columns). Its singular values are 1 (n − 2 times),
    /// √(2 + gap²/2 + …) ≈ √2 and ≈ gap/√2, so σₙ/σ₁ ≈ gap/2 (exactly 0 for gap 0).
    static func dependentColumns(rows m: Int, columns n: Int, gap: Double, seed: UInt64) -> Matrix<Double> {
        let q = orthonormal(rows: m, columns: n, seed: seed)
        var a = q
        for i in 0..<m { a[i, n - 1] = q[i, 0] + gap * q[i, n - 1] }
        return a
    }

    /// A well-conditioned n×n matrix (random + n·I) with its last row scaled by `scale`: the
    /// row scaling survives rounding componentwise, so rcond ≈ `scale`/κ(B) robustly.
    static func scaledLastRow<S: BLASScalar>(_: S.Type, n: Int, scale: S, seed: UInt64) -> Matrix<S> {
        var a = LinalgWorkloads.wellConditioned(S.self, n: n, seed: seed)
        for j in 0..<n { a[n - 1, j] *= scale }
        return a
    }

    /// D·S·D with S = Q·diag(1 … 2)·Qᵀ (SPD, κ₂ = 2) and D = diag(1, …, 1, `scale`): SPD with
    /// smallest eigenvalue ≈ scale², so rcond ≈ scale²/n within the estimator's factor.
    static func scaledSPD(n: Int, scale: Double, seed: UInt64) -> Matrix<Double> {
        let q = orthonormal(rows: n, columns: n, seed: seed)
        let qd = Matrix<Double>(rows: n, columns: n) { i, k in q[i, k] * (1 + Double(k) / Double(max(n - 1, 1))) }
        // Shapes agree by construction; the identity is a harmless fallback that fails the test loudly.
        var s = (try? qd.multiplied(by: q, transposingOther: true)) ?? .identity(n)
        for i in 0..<n { for j in 0..<i { let v = 0.5 * (s[i, j] + s[j, i]); s[i, j] = v; s[j, i] = v } }
        for k in 0..<n { s[n - 1, k] *= scale; s[k, n - 1] *= scale }
        return s
    }

    /// The LinearAlgebraError `body` throws, nil when it returns.
    static func error(_ body: () throws -> Void) -> LinearAlgebraError? {
        do { try body(); return nil } catch let e as LinearAlgebraError { return e } catch { return nil }
    }
}

/// The OpenBLAS thread counts every decision is checked at (results must not depend on them).
let blasThreadCounts = [1, 2]

@Suite struct LeastSquaresRankTests {
    /// Tall sizes: unblocked (n < 129) and blocked (min(m, n) > 128, geqp3's crossover) QR paths.
    /// Columns (m ≥ 200) make the default tolerance max(m, n)·ε ≥ 4.4e-14, 20× above the
    /// rounding noise (≈ √n·ε) that exact duplicates leave in R.
    static let sizes = [(m: 200, n: 6), (m: 300, n: 140)]

    @Test func twoIdenticalColumnsThrowRankDeficientNamingRankAndTolerance() throws {
        for (m, n) in Self.sizes {
            let a = NearlySingular.dependentColumns(rows: m, columns: n, gap: 0, seed: UInt64(m + n))
            let b = LinalgWorkloads.random(Double.self, rows: m, columns: 1, seed: 3)
            // Default tolerance max(m, n)·ε (documented); true rank n − 1 (σₙ = 0 exactly).
            let tolerance = Double(m) * Double.ulpOfOne
            for threads in blasThreadCounts {
                BLASRuntime.withThreadCount(threads) {
                    let expected = LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: m, columns: n, rank: n - 1, tolerance: tolerance)
                    #expect(throws: expected) { try a.leastSquares(b) }
                    #expect(throws: expected) { try a.leastSquares(b.elements) }
                    // The unpivoted QR path decides the same rank (via the SVD of R).
                    #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (geqrf/ormqr/trtrs)", rows: m, columns: n, rank: n - 1, tolerance: tolerance)) {
                        try QRFactorization(a).leastSquares(b)
                    }
                }
            }
        }
    }

    @Test func minimumNormOptionSplitsTheDuplicatedCoefficientEqually() throws {
        for (m, n) in Self.sizes {
            let a = NearlySingular.dependentColumns(rows: m, columns: n, gap: 0, seed: UInt64(m + n))
            let b = LinalgWorkloads.random(Double.self, rows: m, columns: 2, seed: 4)
            // Reference: drop the duplicate (full rank, orthonormal columns, κ = 1) and split the
            // coefficient of column 0 equally between the two copies: the minimum-norm solution
            // of x₀ + xₙ₋₁ = β is x₀ = xₙ₋₁ = β/2.
            let reduced = a[rows: 0..<m, columns: 0..<(n - 1)]
            let beta = try reduced.leastSquares(b).solution
            var expected = Matrix<Double>(rows: n, columns: 2)
            for j in 0..<2 {
                for i in 0..<(n - 1) { expected[i, j] = beta[i, j] }
                expected[0, j] = beta[0, j] / 2
                expected[n - 1, j] = beta[0, j] / 2
            }
            for threads in blasThreadCounts {
                let fit = try BLASRuntime.withThreadCount(threads) { try a.leastSquares(b, ifRankDeficient: .minimumNorm) }
                #expect(fit.rank == n - 1)
                #expect(fit.tolerance == Double(m) * Double.ulpOfOne)
                // κ ≈ 1 problem: the answer is good to rounding, a few ulps · n.
                let roundingOfWellConditionedFit = 1e-12
                #expect(relativeError(fit.solution, expected) <= roundingOfWellConditionedFit, "\(m)×\(n) threads=\(threads)")
            }
        }
    }

    @Test func resolvableGapsAreFullRankAtTheDefaultTolerance() throws {
        // σₙ/σ₁ ≈ gap/2 (closed form above). Default tolerance m·ε: 4.4e-14 (m = 200) and
        // 6.7e-14 (m = 300). gap 1e-11 → 5e-12 (≥ 75× above) and gap 1e-8 → 5e-9.
        // At m = 12 the tolerance is 2.7e-15 and gap 1e-13 → 5e-14 (19× above).
        let cases: [(m: Int, n: Int, gap: Double)] = [(12, 4, 1e-13), (12, 4, 1e-8), (200, 6, 1e-11), (200, 6, 1e-8), (300, 140, 1e-11), (300, 140, 1e-8)]
        for (m, n, gap) in cases {
            let a = NearlySingular.dependentColumns(rows: m, columns: n, gap: gap, seed: UInt64(n))
            // b = A·x* exactly representable in the range: the fit must return x* (zero residual)
            // to within κ·ε ≈ (2/gap)·ε relative.
            let xStar = Matrix<Double>(rows: n, columns: 1) { i, _ in Double(i + 1) }
            let b = NaiveBLAS.product(a, xStar)
            let conditionBound = 2 / gap * Double.ulpOfOne * Double(m) * 10
            for threads in blasThreadCounts {
                let fit = try BLASRuntime.withThreadCount(threads) { try a.leastSquares(b) }
                #expect(fit.rank == n, "\(m)×\(n) gap \(gap) threads=\(threads)")
                #expect(relativeError(fit.solution, xStar) <= conditionBound, "\(m)×\(n) gap \(gap)")
                let viaQR = try BLASRuntime.withThreadCount(threads) { try QRFactorization(a).leastSquares(b) }
                #expect(relativeError(viaQR, xStar) <= conditionBound, "QR \(m)×\(n) gap \(gap)")
            }
        }
    }

    @Test func gapsBelowTheToleranceAreRankDeficient() throws {
        // gap 1e-15 → σₙ/σ₁ ≈ 5e-16, ≥ 88× below m·ε (4.4e-14 at m = 200). And an explicit
        // tolerance moves the threshold: gap 1e-13 (σₙ/σ₁ ≈ 5e-14) is deficient at tolerance 1e-11
        // (200× below) and full rank at 1e-15 (50× above).
        for (m, n) in LeastSquaresRankTests.sizes {
            let b = LinalgWorkloads.random(Double.self, rows: m, columns: 1, seed: 7)
            let tiny = NearlySingular.dependentColumns(rows: m, columns: n, gap: 1e-15, seed: 11)
            let near = NearlySingular.dependentColumns(rows: m, columns: n, gap: 1e-13, seed: 11)
            for threads in blasThreadCounts {
                let fullAtSmallTolerance = try BLASRuntime.withThreadCount(threads) { try near.leastSquares(b, rankTolerance: 1e-15).rank }
                #expect(fullAtSmallTolerance == n)
                BLASRuntime.withThreadCount(threads) {
                    #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: m, columns: n, rank: n - 1, tolerance: Double(m) * .ulpOfOne)) {
                        try tiny.leastSquares(b)
                    }
                    #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: m, columns: n, rank: n - 1, tolerance: 1e-11)) {
                        try near.leastSquares(b, rankTolerance: 1e-11)
                    }
                }
            }
        }
    }

    @Test func hilbertColumnsAreJudgedByTheirKnownCondition() throws {
        // κ₂(H₆) ≈ 1.5e7 (Todd 1954): σ₆/σ₁ ≈ 6.7e-8, far above 6·ε → full rank.
        // κ₂(H₁₂) ≈ 1.7e16: σ₁₂/σ₁ ≈ 6e-17, 45× below 12·ε = 2.7e-15 → rank deficient.
        let h6 = LinalgWorkloads.hilbert(Double.self, n: 6)
        #expect(try h6.leastSquares(Matrix(column: [1, 1, 1, 1, 1, 1])).rank == 6)
        let h12 = LinalgWorkloads.hilbert(Double.self, n: 12)
        let ones = Matrix<Double>(column: Array(repeating: 1, count: 12))
        let error = NearlySingular.error { _ = try h12.leastSquares(ones) }
        guard case let .rankDeficient(_, rows, columns, rank, tolerance)? = error else {
            Issue.record("expected rankDeficient, got \(String(describing: error))"); return
        }
        #expect(rows == 12 && columns == 12 && rank < 12 && tolerance == 12 * .ulpOfOne)
        #expect(try h12.leastSquares(ones, ifRankDeficient: .minimumNorm).rank < 12)
    }

    @Test func floatDuplicatesAreRankDeficientToo() throws {
        // Float: tolerance m·ε_f = 200 · 1.19e-7 = 2.4e-5; duplicates leave σₙ/σ₁ ≈ √n·ε_f.
        let a = Matrix<Float>(rows: 200, columns: 3) { i, j in j == 2 ? Float(i % 7) - 3 : (j == 0 ? Float(i % 7) - 3 : Float((i * 5) % 11) - 5) }
        let b = Matrix<Float>(rows: 200, columns: 1) { i, _ in Float(i % 3) }
        #expect(throws: LinearAlgebraError.rankDeficient(operation: "least squares (gelsy)", rows: 200, columns: 3, rank: 2, tolerance: Double(Float(200) * Float.ulpOfOne))) {
            try a.leastSquares(b)
        }
        #expect(try a.leastSquares(b, ifRankDeficient: .minimumNorm).rank == 2)
    }

    @Test func badToleranceAndUnderdeterminedSystemsAreRefusedOrSolvedByMinimumNorm() throws {
        let a = Matrix<Double>(rows: [[1, 0], [0, 1], [1, 1]])
        #expect(throws: LinearAlgebraError.self) { try a.leastSquares([1, 2, 3], rankTolerance: -1) }
        #expect(throws: LinearAlgebraError.self) { try a.leastSquares([1, 2, 3], rankTolerance: .nan) }
        // x₀ + x₁ = 2 (one equation, two unknowns): the minimum-norm solution is (1, 1).
        let wide = Matrix<Double>(rows: [[1, 1]])
        #expect(throws: LinearAlgebraError.self) { try wide.leastSquares([2]) }
        let fit = try wide.leastSquares(Matrix(column: [2]), ifRankDeficient: .minimumNorm)
        #expect(fit.rank == 1)
        #expect(relativeError(fit.solution.elements, [1, 1]) <= 1e-15)   // two flops of rounding
    }
}

@Suite struct NearSingularSolveTests {
    /// n ≤ 8 takes the pure-Swift SmallLU path, 96 and 200 OpenBLAS's blocked, recursive getrf.
    static let orders = [5, 96, 200]

    /// Requires `error` to be `.singular` of order n with an estimate below its threshold.
    static func expectSingular(_ error: LinearAlgebraError?, order n: Int, threshold: Double, _ context: String) {
        guard case let .singular(_, order, rcond, reported)? = error else {
            Issue.record("\(context): expected singular, got \(String(describing: error))"); return
        }
        #expect(order == n && reported == threshold && rcond < threshold, "\(context): rcond \(rcond)")
    }

    /// Two identical columns leave a last pivot of rounding size, not 0 (the reported bug): the
    /// estimate then sits at noise level, 13–30× below ε for n = 5…200 over 20 seeds and both
    /// thread counts on the machine this was written on (n = 3 came within 6×, so it is not used).
    @Test func exactDuplicateColumnsAreRefusedByEverySolve() throws {
        for n in Self.orders {
            let a = NearlySingular.dependentColumns(rows: n, columns: n, gap: 0, seed: UInt64(n))
            let b = LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 2)
            for threads in blasThreadCounts {
                BLASRuntime.withThreadCount(threads) {
                    let context = "n=\(n) threads=\(threads)"
                    Self.expectSingular(NearlySingular.error { _ = try a.solve(b) }, order: n, threshold: .ulpOfOne, context)
                    Self.expectSingular(NearlySingular.error { _ = try a.inverse() }, order: n, threshold: .ulpOfOne, context)
                    Self.expectSingular(NearlySingular.error { _ = try LUFactorization(a, method: .lapack) }, order: n, threshold: .ulpOfOne, context)
                }
            }
        }
    }

    @Test func scaledRowsAreRefusedOrAcceptedByTheirConditionEstimate() throws {
        // Row n scaled by s: rcond ≈ s/κ₁(B) with κ₁(B) ≲ 10 for B = random + n·I.
        // s = 1e-20 → rcond ≲ 1e-20, 10⁴× below ε; s = 1e-8 → rcond ≈ 1e-9, 10⁶× above.
        for n in Self.orders {
            let bad = NearlySingular.scaledLastRow(Double.self, n: n, scale: 1e-20, seed: UInt64(n))
            let fine = NearlySingular.scaledLastRow(Double.self, n: n, scale: 1e-8, seed: UInt64(n))
            let b = LinalgWorkloads.random(Double.self, rows: n, columns: 1, seed: 2)
            for threads in blasThreadCounts {
                try BLASRuntime.withThreadCount(threads) {
                    let context = "n=\(n) threads=\(threads)"
                    for method in [LUFactorization<Double>.Method.automatic, .lapack] {
                        Self.expectSingular(NearlySingular.error { _ = try LUFactorization(bad, method: method) }, order: n, threshold: .ulpOfOne, context)
                        let x = try LUFactorization(fine, method: method).solve(b)
                        // Residual ‖A·x − b‖/(‖A‖‖x‖): backward stability, a few ulps · n.
                        let residual = try (NaiveBLAS.product(fine, x) - b).frobeniusNorm / (fine.frobeniusNorm * x.frobeniusNorm)
                        #expect(residual <= ulpTolerance(Double.self, n: n), "\(context) \(method)")
                    }
                }
            }
        }
        // Float: ε_f = 1.19e-7; s = 1e-12 → rcond ≲ 1e-12 (10⁵× below), s = 1e-3 → ≈ 1e-4 (10³× above).
        let badFloat = NearlySingular.scaledLastRow(Float.self, n: 12, scale: 1e-12, seed: 1)
        Self.expectSingular(NearlySingular.error { _ = try badFloat.solve([Float](repeating: 1, count: 12)) },
                            order: 12, threshold: Double(Float.ulpOfOne), "Float")
        _ = try NearlySingular.scaledLastRow(Float.self, n: 12, scale: 1e-3, seed: 1).solve([Float](repeating: 1, count: 12))
    }

    @Test func resolvableColumnGapsAreAccepted() throws {
        // Columns q₀ and q₀ + gap·qₙ₋₁ of an orthogonal matrix: κ₂ = 2/gap, and rcond₁ ≥ gap/(2n)
        // (κ₁ ≤ n·κ₂; the estimate only overestimates rcond). gap 1e-13 at n = 5: ≥ 1e-14, 45×
        // above ε; gap 1e-11 and 1e-8 at n ≤ 200: ≥ 2.5e-14, ≥ 110× above.
        let cases: [(n: Int, gap: Double)] = [(5, 1e-13), (5, 1e-8), (96, 1e-11), (96, 1e-8), (200, 1e-11), (200, 1e-8)]
        for (n, gap) in cases {
            let a = NearlySingular.dependentColumns(rows: n, columns: n, gap: gap, seed: UInt64(n))
            let xStar = Matrix<Double>(rows: n, columns: 1) { i, _ in Double(i % 5) - 2 }
            let b = NaiveBLAS.product(a, xStar)
            for threads in blasThreadCounts {
                let x = try BLASRuntime.withThreadCount(threads) { try a.solve(b) }
                // Forward error ≲ κ·ε = (2/gap)·ε, times a factor n for the norms and rounding of b.
                #expect(relativeError(x, xStar) <= 2 / gap * .ulpOfOne * Double(n) * 10, "n=\(n) gap=\(gap) threads=\(threads)")
            }
        }
    }

    @Test func choleskyRefusesNearlySingularAndAcceptsResolvableSPDMatrices() throws {
        // D·S·D, D = diag(1, …, 1, s), κ₂(S) = 2: smallest eigenvalue ≈ s², so rcond₁ lies in
        // about [s²/(4n), n·s²]. s = 1e-10 → rcond ≤ n·s² = 2e-18 at n = 200, 100× below ε;
        // s = 1e-4 → rcond ≥ 1e-8/(4n) ≥ 1.2e-11, 10⁴× above.
        for n in Self.orders {
            let bad = NearlySingular.scaledSPD(n: n, scale: 1e-10, seed: UInt64(n))
            let fine = NearlySingular.scaledSPD(n: n, scale: 1e-4, seed: UInt64(n))
            for threads in blasThreadCounts {
                try BLASRuntime.withThreadCount(threads) {
                    let error = NearlySingular.error { _ = try CholeskyFactorization(bad) }
                    // potrf itself may also fail on a pivot of rounding size: both refuse the matrix.
                    if case .notPositiveDefinite? = error {} else {
                        Self.expectSingular(error, order: n, threshold: .ulpOfOne, "Cholesky n=\(n) threads=\(threads)")
                    }
                    let chol = try CholeskyFactorization(fine)
                    #expect(chol.reciprocalCondition() > 10 * .ulpOfOne)
                    // Opt-out: the caller that only needs L (sampling) gets it.
                    _ = try CholeskyFactorization(bad, conditionCheck: .unchecked)
                }
            }
        }
    }

    @Test func triangularSolveRefusesATinyDiagonalUnlessUnchecked() throws {
        // U = I + strictly upper ones, last diagonal 1e-20: rcond ≤ 1e-20 (‖U⁻¹‖ ≥ 1e20).
        var u = Matrix<Double>(rows: 6, columns: 6) { i, j in i == j ? 1 : (j > i ? 1 : 0) }
        u[5, 5] = 1e-20
        let b = Matrix<Double>(column: [1, 1, 1, 1, 1, 1])
        Self.expectSingular(NearlySingular.error { _ = try u.solveTriangular(b, triangle: .upper) }, order: 6, threshold: .ulpOfOne, "trtrs")
        #expect(throws: Never.self) { _ = try u.solveTriangular(b, triangle: .upper, conditionCheck: .unchecked) }
        // An exactly zero diagonal is refused even unchecked, with estimate 0 and threshold 0.
        u[5, 5] = 0
        #expect(throws: LinearAlgebraError.singular(operation: "triangular solve (trtrs)", order: 6, reciprocalCondition: 0, threshold: 0)) {
            try u.solveTriangular(b, triangle: .upper, conditionCheck: .unchecked)
        }
    }

    @Test func optOutFactorsWhatTheCheckRefusesAndStricterThresholdsApply() throws {
        let bad = NearlySingular.scaledLastRow(Double.self, n: 5, scale: 1e-20, seed: 5)
        // Unchecked: factors (no exact zero pivot) and reports the estimate the check would have used.
        let lu = try LUFactorization(bad, conditionCheck: .unchecked)
        #expect(lu.reciprocalCondition() < Double.ulpOfOne / 10)
        // determinant() never checks: a tiny determinant is an answer, not an error.
        #expect(try bad.determinant() != 0)
        // A stricter threshold refuses a matrix the default accepts: rcond ≈ 1e-9 (s = 1e-8) < 1e-6.
        let fine = NearlySingular.scaledLastRow(Double.self, n: 5, scale: 1e-8, seed: 5)
        Self.expectSingular(NearlySingular.error { _ = try LUFactorization(fine, conditionCheck: .minimumReciprocalCondition(1e-6)) },
                            order: 5, threshold: 1e-6, "strict")
        #expect(throws: LinearAlgebraError.self) { try LUFactorization(fine, conditionCheck: .minimumReciprocalCondition(2)) }
    }
}

@Suite struct LeastSquaresDocumentationExampleTests {
    @Test func minimumNormExampleOfTheDocCommentHolds() throws {
        // Matrix.leastSquares(_:rankTolerance:ifRankDeficient:)'s example: y = 1 + 2t with the
        // intercept column duplicated; tolerance 1e-10 sits ≥ 10⁵× from both the rounding noise
        // (≈ ε) and the other singular-value ratios (≈ 0.1). Expected: intercept 1 split equally.
        let a = Matrix<Double>(rows: [[1, 1, 0], [1, 1, 1], [1, 1, 2], [1, 1, 3]])
        let fit = try a.leastSquares(Matrix(column: [1, 3, 5, 7]), rankTolerance: 1e-10, ifRankDeficient: .minimumNorm)
        #expect(fit.rank == 2)
        #expect(relativeError(fit.solution.elements, [0.5, 0.5, 2]) <= 1e-14)   // a κ ≈ 10 problem's rounding
    }
}
