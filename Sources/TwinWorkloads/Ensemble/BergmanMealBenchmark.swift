import TwinODE

/// The `bergman` benchmark problem of `../shared/peers/models.h`: a variant of Bergman's minimal
/// model (Bergman et al. 1979) with a meal and a smooth insulin secretion term, t in minutes:
/// G′ = −(p1 + X)·G + p1·Gb + Ra(t), X′ = −p2·X + p3·(I − Ib), I′ = −n·(I − Ib) + γ·(G − Gb),
/// Ra(t) = Dm·kabs·e^(−kabs·t) with Dm = 150 mg/dL, kabs = 0.05/min, Gb = 90 mg/dL, Ib = 10 µU/mL.
/// Parameters (p1, p2, p3, n, γ), typical (0.03, 0.02, 1e-5, 0.3, 0.2). The library's
/// ``BergmanMinimalModel`` in TwinModels follows the published model; this one matches the peers.
public struct BergmanMealBenchmark: ODESystem {
    public static let basalGlucose = 90.0
    public static let basalInsulin = 10.0
    public static let mealGlucose = 150.0
    public static let absorptionRate = 0.05
    public static let typicalParameters: [Double] = [0.03, 0.02, 1e-5, 0.3, 0.2]

    public init() {}
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 5 }

    @inlinable @inline(__always)
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let gb = S(Self.basalGlucose), ib = S(Self.basalInsulin)
        let ra = S(Self.mealGlucose * Self.absorptionRate) * S.exp(S(-Self.absorptionRate) * t)
        dy[0] = -(p[0] + y[1]) * y[0] + p[0] * gb + ra
        dy[1] = -p[1] * y[1] + p[2] * (y[2] - ib)
        dy[2] = -p[3] * (y[2] - ib) + p[4] * (y[0] - gb)
    }

    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        // Column-major: J[i + 3j] = ∂fᵢ/∂yⱼ.
        J[0] = -(p[0] + y[1]); J[2] = p[4]
        J[3] = -y[0]; J[4] = -p[1]
        J[7] = p[2]; J[8] = -p[3]
        return true
    }
}
