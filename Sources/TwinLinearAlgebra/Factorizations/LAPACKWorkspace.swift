/// Runs a LAPACK workspace query (`lwork = -1`) and returns the optimal size it reports (at least `minimum`).
func lapackWorkspaceQuery<S: BLASScalar>(minimum: Int = 1, routine: StaticString,
                                         _ query: (UnsafeMutablePointer<S>) -> Int) -> Int {
    var size: S = 0
    let info = query(&size)
    checkLAPACKArguments(info, routine)
    return Swift.max(minimum, Int(size.rounded(.up)))
}

/// Runs a LAPACK condition estimator (`gecon`, `pocon`) with its workspace of
/// `workPerOrder · n` scalars and n integers; returns 1 for an empty matrix.
func lapackConditionEstimate<S: BLASScalar>(
    order n: Int, workPerOrder: Int, routine: StaticString,
    _ call: (_ rcond: UnsafeMutablePointer<S>, _ work: UnsafeMutablePointer<S>, _ iwork: UnsafeMutablePointer<Int32>) -> Int
) -> S {
    if n == 0 { return 1 }
    var rcond: S = 0
    var work = [S](repeating: 0, count: workPerOrder * n)
    var iwork = [Int32](repeating: 0, count: n)
    let info = work.withUnsafeMutableBufferPointer { pw in
        iwork.withUnsafeMutableBufferPointer { pi in call(&rcond, pw.baseAddress!, pi.baseAddress!) }
    }
    checkLAPACKArguments(info, routine)
    return rcond
}

extension Matrix {
    /// Throws ``LinearAlgebraError/notSymmetric(operation:row:column:)`` when an entry differs
    /// from its mirror by more than √ε·max|aᵢⱼ| (rounding in a product such as AᵀA stays far below that).
    func requireSymmetric(_ operation: String, maxAbs largest: Scalar? = nil) throws {
        let n = rows
        let tolerance = Scalar.ulpOfOne.squareRoot() * (largest ?? maxAbs)
        // Compared tile by tile so that the mirrored (strided) reads stay in cache.
        let tile = 64
        let found = storage.withUnsafeBufferPointer { p -> (Int, Int)? in
            var j0 = 0
            while j0 < n {
                var i0 = j0
                while i0 < n {
                    for j in j0..<Swift.min(j0 + tile, n) {
                        for i in Swift.max(i0, j + 1)..<Swift.max(Swift.max(i0, j + 1), Swift.min(i0 + tile, n))
                        where Swift.abs(p[i + j * n] - p[j + i * n]) > tolerance {
                            return (i, j)
                        }
                    }
                    i0 += tile
                }
                j0 += tile
            }
            return nil
        }
        if let (i, j) = found { throw LinearAlgebraError.notSymmetric(operation: operation, row: i, column: j) }
    }
}
