/// A dense matrix of `Float` or `Double`, stored column-major and contiguously (LAPACK's order),
/// with value semantics: copies are cheap and share storage until one of them is mutated
/// (copy-on-write).
///
/// Element `(i, j)` (0-based) lives at `storage[i + j * rows]`. Operations that call OpenBLAS or
/// LAPACK hand the storage over without copying; `Transpose.transpose` arguments read a matrix
/// transposed without forming the transpose.
///
/// ```swift
/// var a = Matrix<Double>(rows: [[4, 1], [1, 3]])
/// a[0, 1] = 2                       // row 0, column 1
/// let x = try a.solve([1, 2])       // LU solve
/// let c = try a.multiplied(by: a)   // gemm
/// ```
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries in column-major order (`rows × columns` of them).
    @usableFromInline var storage: [Scalar]

    /// The entries in column-major order (`rows × columns` of them); entry (i, j) is `elements[i + j * rows]`.
    @inlinable public var elements: [Scalar] { storage }

    /// A matrix of the given size with every entry equal to `value` (default 0).
    ///
    /// - Precondition: `rows >= 0`, `columns >= 0`.
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](repeating: value, count: rows * columns)
    }

    /// A matrix taking ownership of column-major `elements`.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` when
    ///   `elements.count != rows * columns`.
    @inlinable
    public init(rows: Int, columns: Int, columnMajor elements: [Scalar]) throws {
        guard rows >= 0, columns >= 0 else {
            throw LinearAlgebraError.invalidArgument(operation: "Matrix(rows:columns:columnMajor:)", message: "negative size \(rows)×\(columns)")
        }
        guard elements.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:columnMajor:)",
                                                       expected: "\(rows * columns) elements for \(rows)×\(columns)",
                                                       found: "\(elements.count)")
        }
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// Internal initialiser for storage whose size the caller has already established.
    @inlinable
    init(uncheckedRows rows: Int, columns: Int, elements: [Scalar]) {
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// Whether the matrix has as many rows as columns.
    @inlinable public var isSquare: Bool { rows == columns }

    /// `(rows, columns)`.
    @inlinable public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// The shape written as people read it, "3×4".
    public var shapeDescription: String { "\(rows)×\(columns)" }

    /// Entry at row `row`, column `column` (0-based).
    ///
    /// - Precondition: both indices are in range.
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) out of range for \(rows)×\(columns)")
            return storage[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) out of range for \(rows)×\(columns)")
            storage[row + column * rows] = newValue
        }
    }

    /// Calls `body` with the column-major storage; the leading dimension is `rows`.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable column-major storage (made unique first); the leading dimension is `rows`.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}

extension Matrix: CustomStringConvertible {
    /// Rows on separate lines, for reading in a terminal or a test failure.
    public var description: String {
        var lines: [String] = ["\(rows)×\(columns) Matrix<\(Scalar.self)>"]
        for i in 0..<min(rows, 12) {
            var cells: [String] = []
            for j in 0..<min(columns, 12) { cells.append("\(self[i, j])") }
            if columns > 12 { cells.append("…") }
            lines.append("  [" + cells.joined(separator: ", ") + "]")
        }
        if rows > 12 { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}
