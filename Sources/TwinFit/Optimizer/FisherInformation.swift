import TwinLinearAlgebra

/// The (observed or expected) Fisher information of a fit and what follows from it: covariance,
/// standard errors, correlations, condition number and an identifiability verdict naming the
/// parameter combinations the data cannot determine.
///
/// Everything comes from one eigendecomposition I = V·Λ·Vᵀ (TwinLinearAlgebra's
/// ``SymmetricEigendecomposition``): covariance I⁻¹ = V·Λ⁻¹·Vᵀ, condition number λmax/λmin, and the
/// weak directions are the eigenvectors of the smallest eigenvalues.
///
/// **Thresholds.** The information is *singular* when λmin ≤ n·ε·λmax: below that the eigenvalue is
/// rounding noise of forming and decomposing the matrix (the rank tolerance of NumPy's
/// `matrix_rank` on the same spectrum); the covariance is then not reported. It is
/// *ill-conditioned* when λmax/λmin > 1/√ε ≈ 6.7e7 (default): the Jacobians behind an information
/// matrix come from ODE sensitivities or differences accurate to about √ε at best, so an eigenvalue
/// below √ε·λmax cannot be told from zero; equivalently a standard error along that direction is
/// more than ~8000× the best-determined one. The covariance is still reported then, flagged.
///
/// ```swift
/// // y = a·b·x fitted in (log a, log b): only the product is determined.
/// let info = try FisherInformation(information: [4, 4, 4, 4], parameterNames: ["log a", "log b"])
/// info.identifiability.status                            // .singular
/// info.identifiability.weakDirections[0].description     // "log a − log b (0.71, −0.71)"
/// ```
public struct FisherInformation: Sendable, Hashable, Codable {
    /// The default ill-conditioning threshold 1/√ε ≈ 6.7e7 (see the type's discussion).
    public static let defaultConditionThreshold = 1 / Double.ulpOfOne.squareRoot()

    /// Parameter names, in order (for example ["log CL", "log V"]).
    public let parameterNames: [String]
    /// I (n×n, row-major, symmetrised), in 1/(parameter unit)².
    public let information: [Double]
    /// λ₁ ≤ … ≤ λₙ.
    public let eigenvalues: [Double]
    /// Unit eigenvectors: `eigenvectors[i]` belongs to `eigenvalues[i]`.
    public let eigenvectors: [[Double]]
    /// λmax/λmin (+∞ when λmin ≤ 0).
    public let conditionNumber: Double
    /// I⁻¹ (n×n, row-major), or nil when I is singular.
    public let covariance: [Double]?
    /// √diag(I⁻¹), in the parameters' units, or nil when I is singular.
    public let standardErrors: [Double]?
    /// Correlations C_ij/(SE_i·SE_j) (n×n, row-major), or nil when I is singular.
    public let correlation: [Double]?
    /// The identifiability verdict and the weak directions.
    public let identifiability: IdentifiabilityReport

    /// Analyses the information matrix `information` (n×n, row-major) of parameters `parameterNames`.
    ///
    /// - Parameter conditionThreshold: condition numbers above it count as ill-conditioned.
    /// - Throws: ``FisherInformationError`` for a wrong size, non-finite or asymmetric entries, a
    ///   clearly negative eigenvalue, or a bad threshold.
    public init(information: [Double], parameterNames: [String],
                conditionThreshold: Double = FisherInformation.defaultConditionThreshold) throws(FisherInformationError) {
        let n = parameterNames.count
        guard n > 0 else { throw .empty }
        guard information.count == n * n else { throw .dimensionMismatch(names: n, found: information.count) }
        guard conditionThreshold > 1, conditionThreshold.isFinite else {
            throw .invalidArgument(name: "conditionThreshold", value: conditionThreshold)
        }
        var largest = 0.0
        for i in 0..<n { for j in 0..<n {
            let v = information[i * n + j]
            guard v.isFinite else { throw .nonFinite(row: i, column: j) }
            largest = Swift.max(largest, Swift.abs(v))
        } }
        var symmetric = information
        for i in 0..<n { for j in 0..<i {
            let (a, b) = (information[i * n + j], information[j * n + i])
            guard Swift.abs(a - b) <= 64 * Double(n) * .ulpOfOne * largest else { throw .notSymmetric(row: i, column: j) }
            symmetric[i * n + j] = 0.5 * (a + b)
            symmetric[j * n + i] = symmetric[i * n + j]
        } }
        let lambda: [Double], vectors: [[Double]]
        if let small = SmallSymmetricEigen.decompose(symmetric, order: n) {
            // n ≤ 8: cyclic Jacobi, as accurate as LAPACK's syevd and much cheaper at this size.
            lambda = small.eigenvalues
            vectors = (0..<n).map { i in (0..<n).map { small.eigenvectors[$0 * n + i] } }
        } else {
            let eig: SymmetricEigendecomposition<Double>
            do {
                eig = try SymmetricEigendecomposition(Matrix<Double>(rows: n, columns: n) { symmetric[$0 * n + $1] })
            } catch {
                throw .eigendecompositionFailed(message: String(describing: error))
            }
            lambda = eig.eigenvalues
            vectors = (0..<n).map { i in (0..<n).map { eig.eigenvectors[$0, i] } }
        }
        let lambdaMax = lambda[n - 1], lambdaMin = lambda[0]
        if lambdaMin < -Double.ulpOfOne.squareRoot() * Swift.max(lambdaMax, 0) || lambdaMax < 0 {
            throw .notPositiveSemidefinite(eigenvalue: lambdaMin, largest: lambdaMax)
        }
        let singularCutoff = Double(n) * .ulpOfOne * lambdaMax
        let singular = lambdaMax <= 0 || lambdaMin <= singularCutoff
        let kappa = lambdaMin > 0 ? lambdaMax / lambdaMin : .infinity

        let weak = (0..<n).filter { lambda[$0] <= singularCutoff || lambda[$0] * conditionThreshold < lambdaMax }
            .map { ParameterCombination(eigenvalue: lambda[$0], vector: vectors[$0], names: parameterNames) }
        let status: IdentifiabilityReport.Status = singular ? .singular : (kappa > conditionThreshold ? .illConditioned : .identifiable)

        self.parameterNames = parameterNames
        self.information = symmetric
        self.eigenvalues = lambda
        self.eigenvectors = vectors
        self.conditionNumber = kappa
        self.identifiability = IdentifiabilityReport(status: status, conditionNumber: kappa, conditionThreshold: conditionThreshold,
                                                     weakDirections: status == .identifiable ? [] : weak)
        if singular {
            (covariance, standardErrors, correlation) = (nil, nil, nil)
            return
        }
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i {
            var s = 0.0
            for k in 0..<n { s += vectors[k][i] * vectors[k][j] / lambda[k] }
            c[i * n + j] = s
            c[j * n + i] = s
        } }
        let se = (0..<n).map { c[$0 * n + $0].squareRoot() }
        var r = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { r[i * n + j] = i == j ? 1 : c[i * n + j] / (se[i] * se[j]) } }
        (covariance, standardErrors, correlation) = (c, se, r)
    }

    /// The information implied by a minimiser's curvature: I = curvature / (2σ²).
    ///
    /// For least squares f = Σ rᵢ² the curvature is 2JᵀJ, so I = JᵀJ/σ² with σ² the residual variance
    /// (mg/L)²; for f = −2 log L with Fisher scoring the curvature is 2·I, so pass σ² = 1.
    ///
    /// ```swift
    /// let info = try FisherInformation(curvature: fit.curvature, parameterNames: ["log CL", "log V"],
    ///                                  residualVariance: fit.objective / Double(m - n))
    /// ```
    public init(curvature: [Double], parameterNames: [String], residualVariance: Double = 1,
                conditionThreshold: Double = FisherInformation.defaultConditionThreshold) throws(FisherInformationError) {
        guard residualVariance > 0, residualVariance.isFinite else {
            throw .invalidArgument(name: "residualVariance", value: residualVariance)
        }
        try self.init(information: curvature.map { $0 / (2 * residualVariance) }, parameterNames: parameterNames,
                      conditionThreshold: conditionThreshold)
    }
}
