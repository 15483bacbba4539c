/// A quick numerical check of the OpenBLAS kernels this process runs, against references computed
/// in plain Swift loops without BLAS.
///
/// Some OpenBLAS builds compute wrong results (or crash) on CPUs newer than they know when made to
/// run the kernels of a newer core through `OPENBLAS_CORETYPE`. Before trusting kernels chosen that
/// way, run this check: a double- and a single-precision gemm, an LU solve and a Cholesky solve, at
/// sizes (67 to 96) that go through OpenBLAS's blocked, packed kernels, their edge cases (sizes that
/// are not multiples of any register block) and, with several threads, its threaded drivers. It
/// takes a few milliseconds in a release build (about 0.3 s per thread count in a debug build,
/// where the plain-Swift references are slow). A wrong kernel typically misses by far more than rounding (an error of
/// order one, or NaN), which the tolerances below cannot mistake for rounding.
///
/// ```swift
/// let report = BLASSelfTest.run()                      // at the current OpenBLAS thread count
/// if !report.passed { print(report.summary) }          // e.g. "dgemm 93×80·80×67 on 2 threads: error 0.41 > 1e-12"
/// let both = BLASSelfTest.run(threadCounts: [1, 2])    // only while no other thread is in BLAS
/// ```
///
/// The comparison functions (``checkProduct(_:of:_:)``, ``checkLUSolution(_:of:rightHandSide:)``,
/// ``checkCholeskySolution(_:of:rightHandSide:)``) are public: they check results computed by any
/// means against the plain-Swift references.
public enum BLASSelfTest {
    /// The outcome of one comparison with a plain-Swift reference.
    public struct Check: Sendable, Equatable, CustomStringConvertible {
        /// What was computed, e.g. "dgemm 93×80·80×67".
        public let name: String
        /// The OpenBLAS thread count it ran at (0 when computed outside ``BLASSelfTest/run(threadCounts:)``).
        public let threadCount: Int
        /// The scaled error (see the comparison function that made the check); NaN or infinity when
        /// the result was not finite or the routine threw.
        public let error: Double
        /// The largest error that rounding alone can explain, with a margin.
        public let tolerance: Double
        /// Why the routine failed to return a result, when it threw.
        public let failure: String?

        public init(name: String, threadCount: Int, error: Double, tolerance: Double, failure: String? = nil) {
            self.name = name
            self.threadCount = threadCount
            self.error = error
            self.tolerance = tolerance
            self.failure = failure
        }

        /// Whether the result agrees with the reference (a NaN error fails).
        public var passed: Bool { failure == nil && error <= tolerance }

        /// The same check, recorded as run at `threadCount` threads.
        func at(threadCount: Int) -> Check {
            Check(name: name, threadCount: threadCount, error: error, tolerance: tolerance, failure: failure)
        }

        /// E.g. "dgemm 93×80·80×67 on 2 threads: error 3.1e-16 ≤ 1e-12".
        public var description: String {
            let threads = threadCount == 0 ? "" : " on \(threadCount) thread\(threadCount == 1 ? "" : "s")"
            if let failure { return "\(name)\(threads): \(failure)" }
            return "\(name)\(threads): error \(error) \(passed ? "≤" : ">") \(tolerance)"
        }
    }

    /// All checks of one run.
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        /// The OpenBLAS core whose kernels were checked, e.g. "Cooperlake".
        public let coreName: String
        /// Every check, in the order run.
        public let checks: [Check]

        public init(coreName: String, checks: [Check]) {
            self.coreName = coreName
            self.checks = checks
        }

        /// Whether every check passed.
        public var passed: Bool { checks.allSatisfy(\.passed) }

        /// The checks that failed.
        public var failures: [Check] { checks.filter { !$0.passed } }

        /// One line: how many checks passed, or the first failure.
        public var summary: String {
            guard let first = failures.first else {
                return "OpenBLAS \(coreName) kernels passed the self-test (\(checks.count) checks)"
            }
            let more = failures.count > 1 ? " and \(failures.count - 1) more failed check(s)" : ""
            return "OpenBLAS \(coreName) kernels failed the self-test: \(first)\(more)"
        }

        public var description: String { summary }
    }

    /// Tolerance for products, relative to the largest entry of |A|·|B|. Rounding bounds each
    /// entry's error by γₖ·(|A|·|B|)ᵢⱼ with γₖ ≈ k·u (Higham, Accuracy and Stability of Numerical
    /// Algorithms, 2002, §3.5). Double: k ≤ 96, u = 1.1e-16, so γₖ ≤ 1.1e-14; 1e-12 leaves a
    /// factor ~90 for the reference's own rounding and any summation order a kernel picks.
    static let doubleProductTolerance = 1e-12
    /// Float: γₖ ≤ 96 · 6e-8 ≈ 5.7e-6 (the reference is computed in Double, so only BLAS rounds
    /// in single precision); 1e-4 leaves a factor ~17.
    static let floatProductTolerance = 1e-4
    /// Tolerance for solutions, relative to the largest |xᵢ| of the reference. The matrices are
    /// strictly diagonally dominant with κ∞ ≤ 3 (see ``dominantMatrix(order:seed:symmetric:)``),
    /// so a backward-stable solver's forward error is at most about κ·γ_{3n} ≈ 3 · 3·96 · 1.1e-16
    /// ≈ 1e-13 (Higham §9.4, §10.1), on both sides of the comparison; 1e-10 leaves a factor ~500.
    static let solveTolerance = 1e-10

    /// Runs every check at the current OpenBLAS thread count.
    ///
    /// - Complexity: about 3 million floating-point operations in OpenBLAS and as many in the
    ///   plain-Swift references.
    public static func run() -> Report {
        Report(coreName: BLASRuntime.coreName, checks: checks(threadCount: BLASRuntime.threadCount))
    }

    /// Runs every check once at each of `threadCounts` (each clamped to at least 1), then restores
    /// the thread count.
    ///
    /// OpenBLAS resizes its one thread pool for each count: call this only while no other thread
    /// is inside a BLAS or LAPACK call (at start-up, say).
    public static func run(threadCounts: [Int]) -> Report {
        var all: [Check] = []
        for count in threadCounts {
            all += BLASRuntime.withThreadCount(count) { checks(threadCount: BLASRuntime.threadCount) }
        }
        return Report(coreName: BLASRuntime.coreName, checks: all)
    }

    /// The four checks, computed through OpenBLAS now.
    static func checks(threadCount: Int) -> [Check] {
        let a = sampleMatrix(rows: 93, columns: 80, seed: 1)
        let b = sampleMatrix(rows: 80, columns: 67, seed: 2)
        let gemmName = "dgemm 93×80·80×67"
        let product = check(gemmName) { checkProduct(try a.multiplied(by: b), of: a, b) }

        let af = Matrix<Float>(rows: 93, columns: 80) { i, j in Float(a[i, j]) }
        let bf = Matrix<Float>(rows: 80, columns: 67) { i, j in Float(b[i, j]) }
        let productFloat = check("sgemm 93×80·80×67") { checkProduct(try af.multiplied(by: bf), of: af, bf) }

        let general = dominantMatrix(order: 96, seed: 3, symmetric: false)
        let rhs = sampleMatrix(rows: 96, columns: 3, seed: 4)
        let lu = check("LU solve (getrf/getrs) 96×96, 3 right-hand sides") {
            checkLUSolution(try LUFactorization(general).solve(rhs), of: general, rightHandSide: rhs)
        }

        let spd = dominantMatrix(order: 88, seed: 5, symmetric: true)
        let rhsSPD = sampleMatrix(rows: 88, columns: 3, seed: 6)
        let cholesky = check("Cholesky solve (potrf/potrs) 88×88, 3 right-hand sides") {
            checkCholeskySolution(try CholeskyFactorization(spd).solve(rhsSPD), of: spd, rightHandSide: rhsSPD)
        }
        return [product, productFloat, lu, cholesky].map { $0.at(threadCount: threadCount) }
    }

    /// Runs `body`, turning a thrown error into a failed check named `name`.
    private static func check(_ name: String, _ body: () throws -> Check) -> Check {
        do { return try body() } catch {
            return Check(name: name, threadCount: 0, error: .infinity, tolerance: 0, failure: "threw \(error)")
        }
    }

    // MARK: - Comparisons with plain-Swift references

    /// Compares `product` with A·B computed in plain Swift loops (in Double).
    ///
    /// The error is max |Cᵢⱼ − (A·B)ᵢⱼ| / max (|A|·|B|)ᵢⱼ, which rounding bounds by about k·u;
    /// the tolerance is 1e-12 for `Double` and 1e-4 for `Float`.
    ///
    /// ```swift
    /// let c = try a.multiplied(by: b)
    /// #expect(BLASSelfTest.checkProduct(c, of: a, b).passed)
    /// ```
    public static func checkProduct<S: BLASScalar>(_ product: Matrix<S>, of a: Matrix<S>, _ b: Matrix<S>) -> Check {
        let name = "\(S.self == Float.self ? "s" : "d")gemm \(a.shapeDescription)·\(b.shapeDescription)"
        let tolerance = S.self == Float.self ? floatProductTolerance : doubleProductTolerance
        guard a.columns == b.rows, product.rows == a.rows, product.columns == b.columns else {
            return Check(name: name, threadCount: 0, error: .infinity, tolerance: tolerance,
                         failure: "product is \(product.shapeDescription), expected \(a.rows)×\(b.columns)")
        }
        let av = a.elements.map(Double.init), bv = b.elements.map(Double.init), cv = product.elements.map(Double.init)
        let (m, k, n) = (a.rows, a.columns, b.columns)
        var worst = 0.0, scale = 0.0
        for j in 0..<n {
            for i in 0..<m {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = av[i + p * m] * bv[p + j * k]
                    sum += term
                    magnitude += Swift.abs(term)
                }
                worst = largest(worst, Swift.abs(cv[i + j * m] - sum))
                scale = Swift.max(scale, magnitude)
            }
        }
        return Check(name: name, threadCount: 0, error: scale > 0 ? worst / scale : worst, tolerance: tolerance)
    }

    /// Compares `solution` of A·X = B with X from Gaussian elimination with partial pivoting in
    /// plain Swift loops.
    ///
    /// The error is max |Xᵢⱼ − X̂ᵢⱼ| / max |X̂ᵢⱼ|; the tolerance (1e-10) assumes a well-conditioned
    /// A (κ∞ ≤ 10, say), as the self-test's own matrices are.
    public static func checkLUSolution(_ solution: Matrix<Double>, of a: Matrix<Double>, rightHandSide b: Matrix<Double>) -> Check {
        let name = "LU solve \(a.shapeDescription), \(b.columns) right-hand side\(b.columns == 1 ? "" : "s")"
        return compareSolution(solution, reference: referenceLUSolve(a, b), name: name)
    }

    /// Compares `solution` of A·X = B (A symmetric positive definite) with X from a Cholesky
    /// factorisation in plain Swift loops.
    ///
    /// The error and tolerance are those of ``checkLUSolution(_:of:rightHandSide:)``.
    public static func checkCholeskySolution(_ solution: Matrix<Double>, of a: Matrix<Double>, rightHandSide b: Matrix<Double>) -> Check {
        let name = "Cholesky solve \(a.shapeDescription), \(b.columns) right-hand side\(b.columns == 1 ? "" : "s")"
        return compareSolution(solution, reference: referenceCholeskySolve(a, b), name: name)
    }

    private static func compareSolution(_ solution: Matrix<Double>, reference: Matrix<Double>?, name: String) -> Check {
        guard let reference else {
            return Check(name: name, threadCount: 0, error: .infinity, tolerance: solveTolerance,
                         failure: "the plain-Swift reference could not factor the matrix")
        }
        guard solution.rows == reference.rows, solution.columns == reference.columns else {
            return Check(name: name, threadCount: 0, error: .infinity, tolerance: solveTolerance,
                         failure: "solution is \(solution.shapeDescription), expected \(reference.shapeDescription)")
        }
        var worst = 0.0, scale = 0.0
        for (x, r) in zip(solution.elements, reference.elements) {
            worst = largest(worst, Swift.abs(x - r))
            scale = Swift.max(scale, Swift.abs(r))
        }
        return Check(name: name, threadCount: 0, error: scale > 0 ? worst / scale : worst, tolerance: solveTolerance)
    }

    /// The larger of the two, NaN winning (so a NaN entry makes the check fail).
    private static func largest(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    }

    /// X solving A·X = B by Gaussian elimination with partial pivoting; nil when a pivot is zero
    /// or the sizes disagree.
    static func referenceLUSolve(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double>? {
        let n = a.rows
        guard a.columns == n, b.rows == n else { return nil }
        var u = a.elements, x = b.elements
        let r = b.columns
        for k in 0..<n {
            var pivot = k
            for i in (k + 1)..<Swift.max(k + 1, n) where Swift.abs(u[i + k * n]) > Swift.abs(u[pivot + k * n]) { pivot = i }
            guard u[pivot + k * n] != 0 else { return nil }
            if pivot != k {
                for j in 0..<n { u.swapAt(k + j * n, pivot + j * n) }
                for j in 0..<r { x.swapAt(k + j * n, pivot + j * n) }
            }
            for i in (k + 1)..<Swift.max(k + 1, n) {
                let factor = u[i + k * n] / u[k + k * n]
                for j in (k + 1)..<Swift.max(k + 1, n) { u[i + j * n] -= factor * u[k + j * n] }
                for j in 0..<r { x[i + j * n] -= factor * x[k + j * n] }
            }
        }
        for j in 0..<r {
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = x[i + j * n]
                for p in (i + 1)..<Swift.max(i + 1, n) { sum -= u[i + p * n] * x[p + j * n] }
                x[i + j * n] = sum / u[i + i * n]
            }
        }
        return try? Matrix(rows: n, columns: r, columnMajor: x)
    }

    /// X solving A·X = B through A = L·Lᵀ; nil when A is not numerically positive definite or the
    /// sizes disagree. Reads the lower triangle of A.
    static func referenceCholeskySolve(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double>? {
        let n = a.rows
        guard a.columns == n, b.rows == n else { return nil }
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var diagonal = a.elements[j + j * n]
            for p in 0..<j { diagonal -= l[j + p * n] * l[j + p * n] }
            guard diagonal > 0 else { return nil }
            let ljj = diagonal.squareRoot()
            l[j + j * n] = ljj
            for i in (j + 1)..<Swift.max(j + 1, n) {
                var sum = a.elements[i + j * n]
                for p in 0..<j { sum -= l[i + p * n] * l[j + p * n] }
                l[i + j * n] = sum / ljj
            }
        }
        var x = b.elements
        for c in 0..<b.columns {
            for i in 0..<n {           // L·y = b
                var sum = x[i + c * n]
                for p in 0..<i { sum -= l[i + p * n] * x[p + c * n] }
                x[i + c * n] = sum / l[i + i * n]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {   // Lᵀ·x = y
                var sum = x[i + c * n]
                for p in (i + 1)..<Swift.max(i + 1, n) { sum -= l[p + i * n] * x[p + c * n] }
                x[i + c * n] = sum / l[i + i * n]
            }
        }
        return try? Matrix(rows: n, columns: b.columns, columnMajor: x)
    }

    // MARK: - Inputs

    /// Entries in [−1, 1) from a fixed hash of (seed, row, column): the same on every machine.
    static func sampleMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns) { i, j in sample(seed, UInt64(i), UInt64(j)) }
    }

    /// A strictly diagonally dominant matrix with κ∞ ≤ 3: off-diagonal entries in [−1, 1), the
    /// diagonal 2n plus one of them. Each row's off-diagonal sum is below n, so ‖A‖∞ < 3n and
    /// ‖A⁻¹‖∞ ≤ 1 / min (|aᵢᵢ| − Σⱼ≠ᵢ |aᵢⱼ|) < 1/n (Varah, 1975). Symmetric (then positive
    /// definite) when asked; otherwise its rows are reversed so that partial pivoting must swap
    /// rows (a permutation leaves κ∞ unchanged).
    static func dominantMatrix(order n: Int, seed: UInt64, symmetric: Bool) -> Matrix<Double> {
        let base = Matrix<Double>(rows: n, columns: n) { i, j in
            let (r, c) = symmetric ? (Swift.min(i, j), Swift.max(i, j)) : (i, j)
            return sample(seed, UInt64(r), UInt64(c)) + (i == j ? Double(2 * n) : 0)
        }
        return symmetric ? base : Matrix(rows: n, columns: n) { i, j in base[n - 1 - i, j] }
    }

    /// SplitMix64 (Steele, Lea and Flood, 2014) of the three inputs, mapped to [−1, 1).
    private static func sample(_ seed: UInt64, _ i: UInt64, _ j: UInt64) -> Double {
        var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ i &* 0xBF58_476D_1CE4_E5B9 &+ j &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 52) - 1
    }
}
