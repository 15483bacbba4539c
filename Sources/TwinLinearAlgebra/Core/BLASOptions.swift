/// Whether an operand enters a BLAS or LAPACK operation as stored or transposed.
///
/// ```swift
/// let c = try a.multiplied(by: b, transposingSelf: true)   // Aᵀ·B, no copy of A
/// ```
public enum Transpose: Sendable, Hashable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose of the matrix as stored (no copy is made).
    case transpose
}

/// Which triangle of a square matrix an operation reads or writes.
public enum Triangle: Sendable, Hashable {
    /// The upper triangle, diagonal included.
    case upper
    /// The lower triangle, diagonal included.
    case lower
}

/// On which side a triangular matrix multiplies in `trsm`: `op(A)·X = αB` (left) or `X·op(A) = αB` (right).
public enum Side: Sendable, Hashable {
    case left
    case right
}

/// Whether a triangular matrix has an implicit unit diagonal.
public enum Diagonal: Sendable, Hashable {
    /// The stored diagonal is used.
    case nonUnit
    /// The diagonal is taken to be all ones and is not read.
    case unit
}
