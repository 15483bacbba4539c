/// Why a ``FisherInformation`` could not be built from the matrix given.
public enum FisherInformationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// No parameters.
    case empty
    /// The matrix has `found` entries but `names` parameters need names² of them.
    case dimensionMismatch(names: Int, found: Int)
    /// Entry (row, column) is NaN or infinite.
    case nonFinite(row: Int, column: Int)
    /// Entries (row, column) and (column, row) differ by more than rounding.
    case notSymmetric(row: Int, column: Int)
    /// An eigenvalue is clearly negative (below −√ε·λmax): not an information matrix.
    case notPositiveSemidefinite(eigenvalue: Double, largest: Double)
    /// The condition threshold or the residual variance is not a positive finite number.
    case invalidArgument(name: String, value: Double)
    /// The eigendecomposition failed (LAPACK's message).
    case eigendecompositionFailed(message: String)

    public var description: String {
        switch self {
        case .empty:
            return "the information matrix has no parameters"
        case let .dimensionMismatch(names, found):
            return "the information matrix has \(found) entries but \(names) parameter names need \(names * names) (n×n, row-major)"
        case let .nonFinite(row, column):
            return "information matrix entry (\(row), \(column)) is not finite"
        case let .notSymmetric(row, column):
            return "the information matrix is not symmetric at (\(row), \(column)) and (\(column), \(row))"
        case let .notPositiveSemidefinite(eigenvalue, largest):
            return "the information matrix has the negative eigenvalue \(eigenvalue) (largest \(largest)); an information matrix is positive semidefinite"
        case let .invalidArgument(name, value):
            return "\(name) = \(value) is invalid: it must be positive and finite"
        case let .eigendecompositionFailed(message):
            return "the eigendecomposition of the information matrix failed: \(message)"
        }
    }
}
