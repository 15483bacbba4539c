#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TwinLinearAlgebra

/// The kernel self-test passes on this machine's kernels and catches results that rounding cannot
/// explain. Corruptions are injected into what the comparison functions are given, never into OpenBLAS.
@Suite struct BLASSelfTestTests {
    /// The largest entry of |A|·|B| for the 3×4 and 4×2 matrices below is 2.25 (row 0 of |A| with
    /// column 1 of |B|), so 1e-6 is 4.4e-7 relative: far above the double tolerance (1e-12).
    static let wrongByOneMillionth = 1e-6

    // Changing OpenBLAS's thread count while other tests run BLAS calls is unsafe, so each thread
    // count runs in its own process (an exit test).
    @Test func passesOnThisMachinesKernelsWithOneThread() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let report = BLASSelfTest.run(threadCounts: [1])
            guard report.passed, report.checks.count == 4, report.checks.allSatisfy({ $0.threadCount == 1 }) else {
                print(report.summary, report.checks)
                exit(1)
            }
        }
        Self.show(result)
    }

    @Test func passesOnThisMachinesKernelsWithTwoThreads() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let report = BLASSelfTest.run(threadCounts: [2])
            guard report.passed, report.checks.count == 4, report.checks.allSatisfy({ $0.threadCount == 2 }) else {
                print(report.summary, report.checks)
                exit(1)
            }
        }
        Self.show(result)
    }

    /// Prints what a failed exit test wrote, so the failing check is visible in the log.
    static func show(_ result: ExitTest.Result?) {
        guard let result, result.exitStatus != .exitCode(0) else { return }
        print(String(decoding: result.standardOutputContent, as: UTF8.self))
    }

    @Test func passesAtTheCurrentThreadCount() {
        let report = BLASSelfTest.run()
        #expect(report.passed, "\(report.checks)")
        #expect(report.coreName == BLASRuntime.coreName)
        #expect(report.summary.hasSuffix("passed the self-test (4 checks)"))
    }

    static let a = Matrix<Double>(rows: [[1, -0.5, 0.25, 1], [0.5, 0.75, -1, 0.125], [-0.25, 1, 0.5, -0.75]])
    static let b = Matrix<Double>(rows: [[0.5, -1], [1, 0.25], [-0.75, 0.5], [0.125, 1]])

    @Test func detectsAWrongProductEntry() throws {
        let product = try Self.a.multiplied(by: Self.b)   // OpenBLAS dgemm, left as computed
        #expect(BLASSelfTest.checkProduct(product, of: Self.a, Self.b).passed)
        var wrong = product
        wrong[2, 1] += Self.wrongByOneMillionth
        let check = BLASSelfTest.checkProduct(wrong, of: Self.a, Self.b)
        #expect(!check.passed)
        #expect(check.error > check.tolerance * 1000, "\(check)")
        #expect(check.description.hasPrefix("dgemm 3×4·4×2: error "))
    }

    @Test func detectsANaNOrMisshapedProduct() throws {
        var nan = try Self.a.multiplied(by: Self.b)
        nan[0, 0] = .nan
        #expect(!BLASSelfTest.checkProduct(nan, of: Self.a, Self.b).passed)
        let misshaped = Matrix<Double>(rows: 2, columns: 3)
        #expect(BLASSelfTest.checkProduct(misshaped, of: Self.a, Self.b).failure != nil)
    }

    @Test func floatProductsAreJudgedAtSinglePrecision() throws {
        let af = Matrix<Float>(rows: 3, columns: 4) { i, j in Float(Self.a[i, j]) }
        let bf = Matrix<Float>(rows: 4, columns: 2) { i, j in Float(Self.b[i, j]) }
        var product = try af.multiplied(by: bf)
        #expect(BLASSelfTest.checkProduct(product, of: af, bf).passed)
        product[1, 1] += 0.01   // 1e-2 relative: above the float tolerance (1e-4)
        #expect(!BLASSelfTest.checkProduct(product, of: af, bf).passed)
    }

    /// [[4, 3], [6, 3]]·[1, 2] = [10, 12] and [[4, 2], [2, 3]]·[1, 1] = [6, 5], by hand.
    @Test func solutionsAreComparedWithPlainSwiftReferences() throws {
        let general = Matrix<Double>(rows: [[4, 3], [6, 3]])
        let spd = Matrix<Double>(rows: [[4, 2], [2, 3]])
        #expect(BLASSelfTest.checkLUSolution(Matrix(column: [1, 2]), of: general, rightHandSide: Matrix(column: [10, 12])).passed)
        #expect(BLASSelfTest.checkCholeskySolution(Matrix(column: [1, 1]), of: spd, rightHandSide: Matrix(column: [6, 5])).passed)
        let wrong = Matrix<Double>(column: [1, 2 + 1e-6])
        #expect(!BLASSelfTest.checkLUSolution(wrong, of: general, rightHandSide: Matrix(column: [10, 12])).passed)
        #expect(!BLASSelfTest.checkCholeskySolution(wrong, of: spd, rightHandSide: Matrix(column: [6, 5])).passed)
        // Not positive definite: the reference cannot factor it, so nothing can pass.
        let indefinite = Matrix<Double>(rows: [[1, 2], [2, 1]])
        #expect(BLASSelfTest.checkCholeskySolution(Matrix(column: [1, 1]), of: indefinite, rightHandSide: Matrix(column: [3, 3])).failure != nil)
    }

    @Test func lapackSolutionsPassAndAWrongEntryFails() throws {
        // A diagonally dominant 40×40 system, solved by LAPACK through the public API.
        let n = 40
        let a = Matrix<Double>(rows: n, columns: n) { i, j in i == j ? Double(2 * n) : Double((i * 7 + j * 3) % 11) / 11 - 0.5 }
        let b = Matrix<Double>(rows: n, columns: 2) { i, j in Double(i - j) / Double(n) }
        var x = try LUFactorization(a).solve(b)
        #expect(BLASSelfTest.checkLUSolution(x, of: a, rightHandSide: b).passed)
        x[n / 2, 1] *= 1 + Self.wrongByOneMillionth * 1000
        #expect(!BLASSelfTest.checkLUSolution(x, of: a, rightHandSide: b).passed)
    }

    @Test func summaryNamesTheFirstFailure() {
        let good = BLASSelfTest.Check(name: "dgemm 2×2·2×2", threadCount: 1, error: 1e-17, tolerance: 1e-12)
        let bad = BLASSelfTest.Check(name: "LU solve 2×2, 1 right-hand side", threadCount: 2, error: 0.5, tolerance: 1e-10)
        let nan = BLASSelfTest.Check(name: "sgemm 2×2·2×2", threadCount: 2, error: .nan, tolerance: 1e-4)
        let report = BLASSelfTest.Report(coreName: "Cooperlake", checks: [good, bad, nan])
        #expect(!report.passed)
        #expect(report.failures.map(\.name) == [bad.name, nan.name], "a NaN error fails")
        #expect(report.summary == "OpenBLAS Cooperlake kernels failed the self-test: LU solve 2×2, 1 right-hand side on 2 threads: "
                                + "error 0.5 > 1e-10 and 1 more failed check(s)")
    }
}
