extension Matrix {
    /// A `rows × columns` matrix of zeros.
    @inlinable
    public static func zeros(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns)
    }

    /// The `n × n` identity matrix.
    @inlinable
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A square matrix with `diagonal` on its diagonal and zeros elsewhere.
    @inlinable
    public static func diagonal(_ diagonal: [Scalar]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = diagonal[i] }
        return m
    }

    /// A matrix from its rows, as written on paper: `Matrix(rows: [[1, 2], [3, 4]])`.
    ///
    /// An empty array gives a 0×0 matrix.
    ///
    /// - Precondition: every row has the same length (a literal in code; for data read at run
    ///   time use ``init(validatingRows:)``).
    @inlinable
    public init(rows data: [[Scalar]]) {
        do { self = try Matrix(validatingRows: data) } catch {
            preconditionFailure("Matrix(rows:): \(error)")
        }
    }

    /// A matrix from its rows, checking that every row has the same length.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:found:)`` naming the
    ///   first row whose length differs from row 0.
    @inlinable
    public init(validatingRows data: [[Scalar]]) throws {
        let r = data.count
        let c = data.first?.count ?? 0
        for (i, row) in data.enumerated() where row.count != c {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:)", expected: "\(c) entries in row \(i) (as in row 0)",
                                                       found: "\(row.count)")
        }
        var m = Matrix(rows: r, columns: c)
        for i in 0..<r { for j in 0..<c { m.storage[i + j * r] = data[i][j] } }
        self = m
    }

    /// A matrix whose entry `(i, j)` is `entry(i, j)`, filled column by column.
    ///
    /// ```swift
    /// let hilbert = Matrix<Double>(rows: 4, columns: 4) { i, j in 1 / Double(i + j + 1) }
    /// ```
    @inlinable
    public init(rows: Int, columns: Int, _ entry: (_ row: Int, _ column: Int) throws -> Scalar) rethrows {
        var m = Matrix(rows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { m.storage[i + j * rows] = try entry(i, j) } }
        self = m
    }

    /// A column vector (`n × 1`) holding `values`.
    @inlinable
    public init(column values: [Scalar]) {
        self.init(uncheckedRows: values.count, columns: 1, elements: values)
    }

    /// The rows as nested arrays, the inverse of ``init(rows:)``.
    @inlinable
    public var rowArrays: [[Scalar]] {
        (0..<rows).map { i in (0..<columns).map { j in storage[i + j * rows] } }
    }
}
