extension Matrix {
    /// Column `j` as a contiguous slice of the storage: no copy is made.
    ///
    /// - Precondition: `0 <= j < columns`.
    @inlinable
    public func column(_ j: Int) -> ArraySlice<Scalar> {
        precondition(j >= 0 && j < columns, "Matrix.column: \(j) out of range for \(rows)×\(columns)")
        return storage[(j * rows)..<((j + 1) * rows)]
    }

    /// Row `i` as a strided view of the storage: no copy is made.
    ///
    /// - Precondition: `0 <= i < rows`.
    @inlinable
    public func row(_ i: Int) -> MatrixRow<Scalar> {
        precondition(i >= 0 && i < rows, "Matrix.row: \(i) out of range for \(rows)×\(columns)")
        return MatrixRow(storage: elements, first: i, stride: rows, count: columns)
    }

    /// Replaces column `j` with `values`.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless
    ///   `values.count == rows`.
    @inlinable
    public mutating func setColumn<C: Collection>(_ j: Int, to values: C) throws where C.Element == Scalar {
        precondition(j >= 0 && j < columns, "Matrix.setColumn: \(j) out of range for \(rows)×\(columns)")
        guard values.count == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "setColumn", expected: "\(rows) values", found: "\(values.count)")
        }
        var k = j * rows
        for v in values { storage[k] = v; k += 1 }
    }

    /// Replaces row `i` with `values`.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` unless
    ///   `values.count == columns`.
    @inlinable
    public mutating func setRow<C: Collection>(_ i: Int, to values: C) throws where C.Element == Scalar {
        precondition(i >= 0 && i < rows, "Matrix.setRow: \(i) out of range for \(rows)×\(columns)")
        guard values.count == columns else {
            throw LinearAlgebraError.dimensionMismatch(operation: "setRow", expected: "\(columns) values", found: "\(values.count)")
        }
        var k = i
        for v in values { storage[k] = v; k += rows }
    }

    /// The block of rows `rowRange` and columns `columnRange`, copied.
    ///
    /// - Precondition: both ranges lie inside the matrix.
    @inlinable
    public subscript(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> Matrix {
        precondition(rowRange.lowerBound >= 0 && rowRange.upperBound <= rows && columnRange.lowerBound >= 0 && columnRange.upperBound <= columns,
                     "Matrix: block \(rowRange)×\(columnRange) out of range for \(rows)×\(columns)")
        var out = Matrix(rows: rowRange.count, columns: columnRange.count)
        for (jj, j) in columnRange.enumerated() {
            for (ii, i) in rowRange.enumerated() { out.storage[ii + jj * rowRange.count] = storage[i + j * rows] }
        }
        return out
    }

    /// The transpose, as a new matrix.
    ///
    /// To multiply by a transpose without forming it, pass ``Transpose/transpose`` to
    /// ``multiplied(by:transposingSelf:transposingOther:)`` or ``BLAS/gemm(alpha:_:_:beta:into:transposeA:transposeB:)``.
    ///
    /// - Complexity: O(rows · columns).
    @inlinable
    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                // Blocked so that both the read and the write stream through cache lines.
                let block = 32
                var j0 = 0
                while j0 < columns {
                    let j1 = min(j0 + block, columns)
                    var i0 = 0
                    while i0 < rows {
                        let i1 = min(i0 + block, rows)
                        for j in j0..<j1 { for i in i0..<i1 { dst[j + i * columns] = src[i + j * rows] } }
                        i0 = i1
                    }
                    j0 = j1
                }
            }
        }
        return out
    }

    /// The main diagonal.
    @inlinable
    public var diagonalElements: [Scalar] {
        (0..<min(rows, columns)).map { storage[$0 + $0 * rows] }
    }
}

/// A row of a ``Matrix``: a read-only, strided view of the column-major storage.
public struct MatrixRow<Scalar: BLASScalar>: RandomAccessCollection, Sendable {
    @usableFromInline let storage: [Scalar]
    @usableFromInline let first_: Int
    @usableFromInline let stride: Int
    public let count: Int

    @inlinable init(storage: [Scalar], first: Int, stride: Int, count: Int) {
        self.storage = storage
        self.first_ = first
        self.stride = stride
        self.count = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public subscript(position: Int) -> Scalar {
        precondition(position >= 0 && position < count, "MatrixRow: index \(position) out of range 0..<\(count)")
        return storage[first_ + position * stride]
    }
}
