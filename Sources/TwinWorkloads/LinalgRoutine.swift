/// One dense linear-algebra routine timed the way the C peer `blas_bench` times it, so that
/// `Benchmarks/compare/linalg.sh` can divide one by the other.
public enum LinalgRoutine: String, CaseIterable, Sendable {
    case dgemm, dgesv, dpotrf, dgesdd, dsyevd
    /// `dgesv` as a user's `Matrix.solve` runs it: with the `gecon` condition check (``ConditionCheck/machinePrecision``).
    case dgesvChecked = "dgesv-checked"

    /// What the routine does, for people.
    public var summary: String {
        switch self {
        case .dgemm: "C = A·B (gemm)"
        case .dgesv: "LU factor + solve of one right-hand side (getrf + getrs), no condition estimate, as LAPACK dgesv"
        case .dgesvChecked: "LU factor + condition check + solve (getrf + gecon + getrs), the default of Matrix.solve"
        case .dpotrf: "Cholesky factorisation (potrf)"
        case .dgesdd: "thin SVD with vectors (gesdd)"
        case .dsyevd: "symmetric eigendecomposition with vectors (syevd)"
        }
    }

    /// Floating-point operations counted for a rate, as the peer counts them; nil where the peer
    /// reports time only (the iterative SVD and eigensolver).
    public func flops(_ n: Int) -> Double? {
        let x = Double(n)
        switch self {
        case .dgemm: return 2 * x * x * x
        case .dgesv, .dgesvChecked: return 2.0 / 3.0 * x * x * x + 2 * x * x
        case .dpotrf: return x * x * x / 3
        case .dgesdd, .dsyevd: return nil
        }
    }
}

/// Minimum and median over repeats, after one warm-up run.
public struct LinalgTiming: Sendable {
    public let routine: LinalgRoutine
    public let n: Int
    public let repeats: Int
    public let minimumSeconds: Double
    public let medianSeconds: Double

    /// GFLOP/s at the minimum time, for routines with a flop count.
    public var bestRate: Double? { routine.flops(n).map { $0 / minimumSeconds / 1e9 } }
    /// GFLOP/s at the median time.
    public var medianRate: Double? { routine.flops(n).map { $0 / medianSeconds / 1e9 } }
}
