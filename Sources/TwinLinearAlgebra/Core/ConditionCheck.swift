/// How a factorisation or solve guards against a matrix that is singular to working precision.
///
/// LAPACK's solvers only report a pivot (or a diagonal of R) that is *exactly* zero. Rounding
/// rarely leaves an exact zero: a matrix with two identical columns usually factors into a pivot
/// of about ε·‖A‖, and its "solution" is rounding noise amplified by 1/ε (on one CPU ±3.9e16).
/// The user-facing solves therefore estimate the reciprocal condition number
/// rcond = 1 / (‖A‖₁·‖A⁻¹‖₁) with LAPACK's estimators (`gecon`, `pocon`, `trcon`: O(n²) after
/// the O(n³) factorisation) and refuse the matrix with
/// ``LinearAlgebraError/singular(operation:order:reciprocalCondition:threshold:)`` when
///
/// ```
/// rcond < threshold        (default threshold: ε of the scalar, 2.2e-16 for Double, 1.2e-7 for Float)
/// ```
///
/// which is the test behind MATLAB's "matrix is singular to working precision" and LAPACK's
/// expert drivers (`gesvx` reports `info = n + 1` for rcond < ε). Below it, a solution has no
/// correct digit to expect. The estimate is within a small factor of the truth (Higham 1988:
/// rarely more than 3), so a matrix whose rcond lies within 10× of the threshold may be accepted
/// on one CPU and refused on another; a decision that must not depend on the BLAS kernel needs a
/// matrix clearly on one side.
///
/// Pass ``unchecked`` when the caller has checked the conditioning already, or cannot afford the
/// estimate in a hot loop (a stiff solver's iteration matrices do; their error control rejects
/// a step whose solve went wrong): only an exactly zero pivot is then refused.
///
/// ```swift
/// let x = try a.solve(b)                                                  // refuses rcond < ε
/// let y = try a.solve(b, conditionCheck: .minimumReciprocalCondition(1e-10)) // stricter
/// let lu = try LUFactorization(a, conditionCheck: .unchecked)            // no estimate
/// ```
public enum ConditionCheck: Sendable, Hashable {
    /// Refuse a reciprocal condition estimate below ε of the scalar type (`Scalar.ulpOfOne`). The default.
    case machinePrecision
    /// Refuse a reciprocal condition estimate below the given value, in [0, 1].
    case minimumReciprocalCondition(Double)
    /// Estimate nothing: only an exactly zero pivot (LU, triangular solve) or a non-positive
    /// pivot (Cholesky) is refused. For callers that have checked already and for hot paths.
    case unchecked

    /// The threshold on rcond for scalar `S`, or nil when unchecked.
    ///
    /// - Throws: ``LinearAlgebraError/invalidArgument(operation:message:)`` for a threshold
    ///   outside [0, 1] or not finite.
    func threshold<S: BLASScalar>(_: S.Type, operation: String) throws -> S? {
        switch self {
        case .machinePrecision:
            return S.ulpOfOne
        case .minimumReciprocalCondition(let value):
            guard value.isFinite, value >= 0, value <= 1 else {
                throw LinearAlgebraError.invalidArgument(
                    operation: operation,
                    message: "the minimum reciprocal condition must lie in [0, 1], got \(value); use .machinePrecision for the default ε")
            }
            return S(value)
        case .unchecked:
            return nil
        }
    }
}

/// What a least-squares solve does when A has numerical rank below its number of columns.
public enum RankDeficiencyPolicy: Sendable, Hashable {
    /// Throw ``LinearAlgebraError/rankDeficient(operation:rows:columns:rank:tolerance:)``. The default.
    case throwError
    /// Return the minimum-norm solution: the X of least ‖X‖₂ among those minimising ‖A·X − B‖₂
    /// with A replaced by its numerical-rank approximation (LAPACK `gelsy`).
    case minimumNorm
}

/// A least-squares solution with the numerical rank it was computed at.
public struct LeastSquaresSolution<Scalar: BLASScalar>: Sendable {
    /// X, n×nrhs.
    public let solution: Matrix<Scalar>
    /// The numerical rank used: the order of the largest leading block R₁₁ of the column-pivoted
    /// QR factorisation A·P = Q·R whose estimated condition number is below 1 / ``tolerance``.
    public let rank: Int
    /// The relative tolerance that decided the rank.
    public let tolerance: Scalar
}
