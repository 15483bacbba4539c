/// Runs a LAPACK workspace query (`lwork = -1`) and returns the optimal size it reports (at least `minimum`).
func lapackWorkspaceQuery<S: BLASScalar>(minimum: Int = 1, routine: StaticString,
                                         _ query: (UnsafeMutablePointer<S>) -> Int) -> Int {
    var size: S = 0
    let info = query(&size)
    checkLAPACKArguments(info, routine)
    return Swift.max(minimum, Int(size.rounded(.up)))
}

extension Matrix {
    /// Throws ``LinearAlgebraError/notSymmetric(operation:row:column:)`` when an entry differs
    /// from its mirror by more than √ε·max|aᵢⱼ| (rounding in a product such as AᵀA stays far below that).
    func requireSymmetric(_ operation: String) throws {
        let tolerance = Scalar.ulpOfOne.squareRoot() * maxAbs
        for j in 0..<columns {
            for i in (j + 1)..<Swift.max(j + 1, rows) where Swift.abs(storage[i + j * rows] - storage[j + i * rows]) > tolerance {
                throw LinearAlgebraError.notSymmetric(operation: operation, row: i, column: j)
            }
        }
    }
}
