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
/// catch LinearAlgebraError.singular(let operation, let order, let pivot) { … }
/// ```
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Operand sizes that do not fit together, e.g. `gemm` of a 3×4 by a 5×2 matrix.
    /// `expected` and `found` are written as the operation sees them ("4 rows", "3×3").
    case dimensionMismatch(operation: String, expected: String, found: String)
    /// A square matrix was required.
    case notSquare(operation: String, rows: Int, columns: Int)
    /// The matrix is exactly singular: the `pivot`-th (1-based) diagonal entry of U is zero.
    case singular(operation: String, order: Int, pivot: Int)
    /// The leading minor of the given `order` (1-based) is not positive definite.
    case notPositiveDefinite(operation: String, size: Int, order: Int)
    /// A least-squares or triangular solve met a zero diagonal entry of R at `column` (1-based):
    /// the columns of A are linearly dependent.
    case rankDeficient(operation: String, rows: Int, columns: Int, column: Int)
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
        case let .singular(operation, order, pivot):
            return "\(operation): the \(order)×\(order) matrix is singular (U[\(pivot),\(pivot)] = 0); check for a repeated or all-zero row or column, or use the pseudo-inverse"
        case let .notPositiveDefinite(operation, size, order):
            return "\(operation): the \(size)×\(size) matrix is not positive definite (leading minor of order \(order)); check symmetry and scaling, or use an LU or eigen-decomposition instead"
        case let .rankDeficient(operation, rows, columns, column):
            return "\(operation): the \(rows)×\(columns) matrix is rank deficient (R[\(column),\(column)] = 0); remove dependent columns or use the pseudo-inverse"
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

/// Turns a LAPACK `info < 0` (an illegal argument, i.e. a bug in MedTwin) into a precondition failure.
@inlinable func checkLAPACKArguments(_ info: Int, _ routine: StaticString) {
    precondition(info >= 0, "TwinLinearAlgebra bug: LAPACK \(routine) rejected argument \(-info)")
}
