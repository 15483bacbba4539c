// Element-wise arithmetic. Operators between two matrices throw
// `LinearAlgebraError.dimensionMismatch` when the shapes differ: `let c = try a + b`.

extension Matrix {
    @inlinable
    func requireSameShape(_ other: Matrix, _ operation: String) throws {
        guard rows == other.rows, columns == other.columns else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "\(rows)×\(columns) (the left operand's shape)",
                                                       found: "\(other.rows)×\(other.columns)")
        }
    }

    /// Applies `combine` to corresponding entries of `self` and `other`, in place.
    @inlinable
    mutating func combineInPlace(_ other: Matrix, _ combine: (Scalar, Scalar) -> Scalar) {
        let count = storage.count
        other.storage.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for k in 0..<count { dst[k] = combine(dst[k], src[k]) }
            }
        }
    }

    /// A matrix with `transform` applied to every entry.
    @inlinable
    public func map(_ transform: (Scalar) throws -> Scalar) rethrows -> Matrix {
        Matrix(uncheckedRows: rows, columns: columns, elements: try storage.map(transform))
    }

    /// Entry-wise sum.
    @inlinable
    public static func + (lhs: Matrix, rhs: Matrix) throws -> Matrix {
        var out = lhs
        try out += rhs
        return out
    }

    /// Entry-wise difference.
    @inlinable
    public static func - (lhs: Matrix, rhs: Matrix) throws -> Matrix {
        var out = lhs
        try out -= rhs
        return out
    }

    @inlinable
    public static func += (lhs: inout Matrix, rhs: Matrix) throws {
        try lhs.requireSameShape(rhs, "matrix +")
        lhs.combineInPlace(rhs, +)
    }

    @inlinable
    public static func -= (lhs: inout Matrix, rhs: Matrix) throws {
        try lhs.requireSameShape(rhs, "matrix -")
        lhs.combineInPlace(rhs, -)
    }

    /// Entry-wise (Hadamard) product.
    @inlinable
    public func elementwiseProduct(_ other: Matrix) throws -> Matrix {
        try requireSameShape(other, "elementwiseProduct")
        var out = self
        out.combineInPlace(other, *)
        return out
    }

    /// Entry-wise quotient.
    @inlinable
    public func elementwiseQuotient(_ other: Matrix) throws -> Matrix {
        try requireSameShape(other, "elementwiseQuotient")
        var out = self
        out.combineInPlace(other, /)
        return out
    }

    @inlinable
    public static prefix func - (m: Matrix) -> Matrix { m.map { -$0 } }

    @inlinable
    public static func * (lhs: Scalar, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }

    @inlinable
    public static func * (lhs: Matrix, rhs: Scalar) -> Matrix { lhs.map { $0 * rhs } }

    @inlinable
    public static func / (lhs: Matrix, rhs: Scalar) -> Matrix { lhs.map { $0 / rhs } }

    @inlinable
    public static func *= (lhs: inout Matrix, rhs: Scalar) {
        lhs.storage.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] *= rhs } }
    }

    /// Sum of the diagonal.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``.
    @inlinable
    public func trace() throws -> Scalar {
        guard isSquare else { throw LinearAlgebraError.notSquare(operation: "trace", rows: rows, columns: columns) }
        var s: Scalar = 0
        for i in 0..<rows { s += storage[i + i * rows] }
        return s
    }

    /// Largest absolute entry (the max norm); 0 for an empty matrix.
    @inlinable
    public var maxAbs: Scalar {
        var m: Scalar = 0
        for v in storage { m = Swift.max(m, Swift.abs(v)) }
        return m
    }

    /// The 1-norm: the largest absolute column sum.
    @inlinable
    public var oneNorm: Scalar {
        var best: Scalar = 0
        for j in 0..<columns {
            var s: Scalar = 0
            for i in 0..<rows { s += Swift.abs(storage[i + j * rows]) }
            best = Swift.max(best, s)
        }
        return best
    }

    /// The Frobenius norm, √(Σ aᵢⱼ²), computed with scaling so it neither overflows nor underflows.
    @inlinable
    public var frobeniusNorm: Scalar {
        storage.withUnsafeBufferPointer { p in
            p.isEmpty ? 0 : Scalar.blasNrm2(p.count, p.baseAddress!, 1)
        }
    }

    /// The first entry, in storage order (column by column), that is NaN or infinite.
    @inlinable
    public var firstNonFinite: (row: Int, column: Int)? {
        let k = storage.withUnsafeBufferPointer { p -> Int? in
            for k in 0..<p.count where !p[k].isFinite { return k }
            return nil
        }
        return k.map { ($0 % rows, $0 / rows) }
    }

    /// Throws ``LinearAlgebraError/nonFinite(operation:row:column:)`` for the first NaN or infinity.
    @inlinable
    func requireFinite(_ operation: String) throws {
        if let (i, j) = firstNonFinite { throw LinearAlgebraError.nonFinite(operation: operation, row: i, column: j) }
    }

    /// The 1-norm, checking in the same pass that every entry is finite.
    @inlinable
    func oneNormRequiringFinite(_ operation: String) throws -> Scalar {
        try normsRequiringFinite(operation).oneNorm
    }

    /// The 1-norm and the largest absolute entry in one pass, checking that every entry is finite.
    @inlinable
    func normsRequiringFinite(_ operation: String) throws -> (oneNorm: Scalar, maxAbs: Scalar) {
        let (r, c) = (rows, columns)
        let norms = storage.withUnsafeBufferPointer { p -> (Scalar, Scalar)? in
            var best: Scalar = 0, largest: Scalar = 0
            for j in 0..<c {
                var s: Scalar = 0
                var m: Scalar = 0
                for i in 0..<r {
                    let v = Swift.abs(p[i + j * r])
                    s += v
                    m = Swift.max(m, v)
                }
                if !s.isFinite { return nil }
                best = Swift.max(best, s)
                largest = Swift.max(largest, m)
            }
            return (best, largest)
        }
        guard let norms else {
            try requireFinite(operation)
            // Finite entries whose column sum overflows: the 1-norm is genuinely infinite.
            return (.infinity, maxAbs)
        }
        return norms
    }

    /// Throws ``LinearAlgebraError/notSquare(operation:rows:columns:)`` unless square.
    @inlinable
    func requireSquare(_ operation: String) throws {
        guard isSquare else { throw LinearAlgebraError.notSquare(operation: operation, rows: rows, columns: columns) }
    }
}
