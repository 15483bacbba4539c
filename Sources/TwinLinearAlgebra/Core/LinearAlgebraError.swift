/// Why a linear-algebra operation refused its input or could not produce a result.
///
/// Every case names the operation and the sizes involved, and its ``description`` says how to
/// fix the call. Errors are thrown before any computation where the problem is visible in the
/// input (sizes, non-finite values), and after a LAPACK routine reports a mathematical failure
/// (`info > 0`) otherwise. A LAPACK `info < 0` means MedTwin passed a bad argument: that is a
/// bug of ours and stops the process with a precondition failure naming the routine.
///
/// ```swift
/// do { _ = try LUFactorization(Matrix<Double>(rows: [[1, 2], [2, 4]])) }
/// catch LinearAlgebraError.singular(let operation, let order, let rcond, let threshold) { … }
/// ```
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Operand sizes that do not fit together, e.g. `gemm` of a 3×4 by a 5×2 matrix.
    /// `expected` and `found` are written as the operation sees them ("4 rows", "3×3").
    case dimensionMismatch(operation: String, expected: String, found: String)
    /// A square matrix was required.
    case notSquare(operation: String, rows: Int, columns: Int)
    /// The square matrix of the given `order` is singular to working precision: its reciprocal
    /// condition estimate (LAPACK `gecon`/`pocon`/`trcon`, 1-norm) is below `threshold` (see
    /// ``ConditionCheck``). An exactly zero pivot reports `reciprocalCondition` 0; `threshold`
    /// is 0 when the caller asked for no estimate (``ConditionCheck/unchecked``). Both values are
    /// the scalar's, widened to `Double`.
    case singular(operation: String, order: Int, reciprocalCondition: Double, threshold: Double)
    /// The leading minor of the given `order` (1-based) is not positive definite.
    case notPositiveDefinite(operation: String, size: Int, order: Int)
    /// The columns of the `rows`×`columns` matrix of a least-squares problem are linearly
    /// dependent to within the relative `tolerance`: its numerical `rank` (below `columns`) is the
    /// order of the largest leading block of the column-pivoted QR factorisation whose estimated
    /// condition number is below 1/`tolerance` (≈ the number of singular values above
    /// `tolerance`·σ₁). `tolerance` is the scalar's, widened to `Double`.
    case rankDeficient(operation: String, rows: Int, columns: Int, rank: Int, tolerance: Double)
    /// An iterative routine (SVD, eigenvalues) did not converge; `unconverged` is LAPACK's count.
    case noConvergence(operation: String, size: Int, unconverged: Int)
    /// The input holds a NaN or an infinity at (row, column), 0-based.
    case nonFinite(operation: String, row: Int, column: Int)
    /// A symmetric matrix was required; entries (row, column) and (column, row), 0-based, differ.
    case notSymmetric(operation: String, row: Int, column: Int)
    /// An argument outside its valid range (a negative size, a tolerance below zero …).
    case invalidArgument(operation: String, message: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, expected, found):
            return "\(operation): expected \(expected), found \(found); make the operands' sizes agree"
        case let .notSquare(operation, rows, columns):
            return "\(operation): the matrix is \(rows)×\(columns) but must be square; use a least-squares solve (QR) for rectangular systems"
        case let .singular(operation, order, rcond, threshold):
            let why = rcond == 0
                ? "exactly singular (a zero pivot)"
                : "singular to working precision (reciprocal condition estimate \(short(rcond)) < threshold \(short(threshold)))"
            return "\(operation): the \(order)×\(order) matrix is \(why); check for a repeated or all-zero row or column "
                + "and for badly scaled units, use pseudoInverse() or a least-squares solve with ifRankDeficient: .minimumNorm, "
                + "or pass conditionCheck: .unchecked if you accept a solution with no correct digit guaranteed"
        case let .notPositiveDefinite(operation, size, order):
            return "\(operation): the \(size)×\(size) matrix is not positive definite (the leading minor of order \(order) is not positive "
                + "after rounding); check symmetry and scaling, and for a semidefinite matrix (e.g. a covariance of dependent variables) "
                + "use an LU, eigen-decomposition or pseudoInverse() instead"
        case let .rankDeficient(operation, rows, columns, rank, tolerance):
            return "\(operation): the \(rows)×\(columns) matrix has numerical rank \(rank) < \(columns) at relative tolerance \(short(tolerance)) "
                + "(its columns are linearly dependent to that precision); remove or combine dependent columns, "
                + "pass ifRankDeficient: .minimumNorm for the minimum-norm solution, or a smaller rankTolerance if the data justify it"
        case let .noConvergence(operation, size, unconverged):
            return "\(operation): did not converge for the \(size)×\(size) problem (\(unconverged) values unconverged); check the input for extreme scaling"
        case let .nonFinite(operation, row, column):
            return "\(operation): the input holds a NaN or infinity at row \(row), column \(column) (0-based); clean the data before factorising"
        case let .notSymmetric(operation, row, column):
            return "\(operation): the matrix is not symmetric (entries [\(row),\(column)] and [\(column),\(row)] differ); symmetrise it as (A + Aᵀ)/2 if the asymmetry is rounding"
        case let .invalidArgument(operation, message):
            return "\(operation): \(message)"
        }
    }
}

/// A number in 3 significant digits ("2.22e-16"), for messages.
private func short(_ x: Double) -> String {
    if x == 0 || !x.isFinite { return "\(x)" }
    let exponent = Int((Swift.abs(x).log10Floor))
    let mantissa = (x / pow10(exponent) * 100).rounded() / 100
    return "\(mantissa)e\(exponent)"
}

private func pow10(_ k: Int) -> Double {
    var r = 1.0
    for _ in 0..<Swift.abs(k) { r *= 10 }
    return k < 0 ? 1 / r : r
}

private extension Double {
    /// ⌊log₁₀ x⌋ for x > 0.
    var log10Floor: Double {
        var k = 0.0, y = self
        while y >= 10 { y /= 10; k += 1 }
        while y < 1 { y *= 10; k -= 1 }
        return k
    }
}

/// Turns a LAPACK `info < 0` (an illegal argument, i.e. a bug in MedTwin) into a precondition failure.
@inlinable func checkLAPACKArguments(_ info: Int, _ routine: StaticString) {
    precondition(info >= 0, "TwinLinearAlgebra bug: LAPACK \(routine) rejected argument \(-info)")
}
