import Testing
import TwinLinearAlgebra

@Suite struct MatrixTests {
    @Test func storesColumnMajorAndReadsBackRows() throws {
        let m = Matrix<Double>(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.elements == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
        #expect(m.rowArrays == [[1, 2, 3], [4, 5, 6]])
        let same = try Matrix<Double>(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6])
        #expect(same == m)
    }

    @Test func constructsIdentityZerosDiagonalAndFromClosure() {
        #expect(Matrix<Float>.identity(3) == Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        #expect(Matrix<Double>.zeros(rows: 2, columns: 1).elements == [0, 0])
        #expect(Matrix<Double>.diagonal([2, 3]) == Matrix(rows: [[2, 0], [0, 3]]))
        let m = Matrix<Double>(rows: 2, columns: 2) { i, j in Double(10 * i + j) }
        #expect(m.rowArrays == [[0, 1], [10, 11]])
    }

    @Test func rejectsRaggedRowsAndWrongElementCount() {
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:)", expected: "2 entries in row 1 (as in row 0)", found: "1")) {
            try Matrix<Double>(validatingRows: [[1, 2], [3]])
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix<Double>(rows: 2, columns: 2, columnMajor: [1, 2, 3]) }
    }

    @Test func copiesOnWriteSoCopiesAreIndependent() {
        let a = Matrix<Double>(rows: [[1, 2], [3, 4]])
        var b = a
        b[0, 0] = 99
        #expect(a[0, 0] == 1)
        #expect(b[0, 0] == 99)
    }

    @Test func rowAndColumnViewsReadWithoutCopyingAndSettersWrite() throws {
        var m = Matrix<Double>(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(Array(m.column(1)) == [2, 5])
        #expect(Array(m.row(1)) == [4, 5, 6])
        try m.setColumn(0, to: [7, 8])
        try m.setRow(1, to: [0, 0, 9])
        #expect(m.rowArrays == [[7, 2, 3], [0, 0, 9]])
        #expect(throws: LinearAlgebraError.self) { try m.setRow(0, to: [1, 2]) }
        #expect(m[rows: 0..<2, columns: 1..<3] == Matrix(rows: [[2, 3], [0, 9]]))
    }

    @Test(arguments: [(1, 1), (3, 5), (40, 70), (65, 33)])
    func transposeSwapsIndices(rows: Int, columns: Int) {
        let m = Matrix<Double>(rows: rows, columns: columns) { i, j in Double(i * 1000 + j) }
        let t = m.transposed
        #expect(t.rows == columns && t.columns == rows)
        #expect(t == Matrix(rows: columns, columns: rows) { i, j in Double(j * 1000 + i) })
    }

    @Test func elementwiseArithmeticMatchesByHand() throws {
        let a = Matrix<Double>(rows: [[1, 2], [3, 4]])
        let b = Matrix<Double>(rows: [[5, 6], [7, 8]])
        #expect(try a + b == Matrix(rows: [[6, 8], [10, 12]]))
        #expect(try b - a == Matrix(rows: [[4, 4], [4, 4]]))
        #expect(try a.elementwiseProduct(b) == Matrix(rows: [[5, 12], [21, 32]]))
        #expect(try b.elementwiseQuotient(a) == Matrix(rows: [[5, 3], [7.0 / 3, 2]]))
        #expect(2 * a == Matrix(rows: [[2, 4], [6, 8]]))
        #expect(a / 2 == Matrix(rows: [[0.5, 1], [1.5, 2]]))
        #expect(-a == Matrix(rows: [[-1, -2], [-3, -4]]))
        #expect(try a.trace() == 5)
        #expect(a.oneNorm == 6)          // max column sum |2| + |4|
        #expect(a.maxAbs == 4)
        #expect(isClose(a.frobeniusNorm, Double(30).squareRoot(), tolerance: 1e-15))
    }

    @Test func mismatchedShapesThrowInsteadOfCrashing() {
        let a = Matrix<Float>(rows: 2, columns: 2)
        let b = Matrix<Float>(rows: 2, columns: 3)
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "matrix +", expected: "2×2 (the left operand's shape)", found: "2×3")) {
            try a + b
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "trace", rows: 2, columns: 3)) { try b.trace() }
    }

    @Test func findsTheFirstNonFiniteEntry() {
        var m = Matrix<Double>(rows: 3, columns: 3)
        #expect(m.firstNonFinite == nil)
        m[2, 1] = .nan
        m[0, 2] = .infinity
        #expect(m.firstNonFinite! == (2, 1))
    }
}

import _TwinTestSupport
