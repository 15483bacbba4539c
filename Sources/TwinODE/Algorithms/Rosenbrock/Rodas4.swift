/// Rodas4: a six-stage, L-stable, stiffly accurate Rosenbrock method of order 4 with an embedded
/// order-3 error estimate and order-3 dense output, for stiff problems. Each step evaluates the
/// Jacobian once (analytic, or by forward differences) and factors (1/(γh))·I − J once with
/// TwinLinearAlgebra's LU (the pure-Swift path for n ≤ 8).
///
/// References: Hairer and Wanner (1996), Solving Ordinary Differential Equations II, 2nd ed.,
/// Springer, §IV.7 (the RODAS code, coefficient set 1, with its dense output).
public struct Rodas4: ODEAlgorithm {
    public init() {}
    public var name: String { "Rodas4" }
    public var order: Int { 4 }
    public var isStiff: Bool { true }
    public var descriptor: AlgorithmDescriptor { AlgorithmDescriptor(kind: .rodas4) }
}

extension ODEAlgorithm where Self == Rodas4 {
    /// Rodas4, the stiff one-step method.
    public static var rodas4: Rodas4 { Rodas4() }
}

/// The RODAS coefficients (Hairer and Wanner 1996, §IV.7), in the formulation where stage
/// vectors kᵢ solve ((1/(γh))·I − J)·kᵢ = f(t + cᵢh, Yᵢ) + dᵢ·h·∂f/∂t + Σⱼ cᵢⱼ·kⱼ / h.
package enum Rodas4Coefficients {
    package static let gamma = 0.25
    package static let c2 = 0.386, c3 = 0.21, c4 = 0.63
    package static let d1 = 0.25, d2 = -0.1043, d3 = 0.1035, d4 = -0.3620000000000023e-01
    package static let a21 = 1.544
    package static let a31 = 0.9466785280815826, a32 = 0.2557011698983284
    package static let a41 = 3.314825187068521, a42 = 2.896124015972201, a43 = 0.9986419139977817
    package static let a51 = 1.221224509226641, a52 = 6.019134481288629, a53 = 12.53708332932087, a54 = -0.6878860361058950
    package static let c21 = -5.6688
    package static let c31 = -2.430093356833875, c32 = -0.2063599157091915
    package static let c41 = -0.1073529058151375, c42 = -9.594562251023355, c43 = -20.47028614809616
    package static let c51 = 7.496443313967647, c52 = -10.24680431464352, c53 = -33.99990352819905, c54 = 11.70890893206160
    package static let c61 = 8.083246795921522, c62 = -7.981132988064893, c63 = -31.52159432874371, c64 = 16.31930543123136
    package static let c65 = -6.058818238834054
    // Dense output: y(θ) = (1−θ)·y₀ + θ·(y₁ + (1−θ)·(q₁ + θ·q₂)), q = Σ dᵢⱼ kⱼ.
    package static let d21 = 10.12623508344586, d22 = -7.487995877610167, d23 = -34.80091861555747
    package static let d24 = -7.992771707568823, d25 = 1.025137723295662
    package static let d31 = -0.6762803392801253, d32 = 6.087714651680015, d33 = 16.43084320892478
    package static let d34 = 24.76722511418386, d35 = -6.594389125716872
}
