/// The coefficients of a seven-stage, first-same-as-last explicit Runge–Kutta pair of order
/// 5(4) with a degree-4 continuous extension: y(t₀ + θh) = y₀ + h·Σᵢ bᵢ(θ)·kᵢ.
package struct ExplicitRungeKuttaTableau: Sendable {
    package let name: String
    /// Nodes c₂ … c₇.
    package let c: [Double]
    /// Stage coefficients, row by row: a₂₁; a₃₁ a₃₂; …; a₇₁ … a₇₆ (row 7 is the solution, b).
    package let a: [Double]
    /// Error weights eᵢ = bᵢ − b̂ᵢ for the 7 stages (the 4th-order estimate's difference).
    package let errorWeights: [Double]
    /// bᵢ(θ) = Σₖ₌₁⁴ r[i][k]·θᵏ, as 7 rows of 4 (k = 1 … 4).
    package let interpolation: [Double]
}

extension ExplicitRungeKuttaTableau {
    /// Dormand and Prince (1980) (``DormandPrince5Coefficients``), with the order-4 dense output of
    /// Hairer, Nørsett and Wanner (1993, §II.6, the continuous extension of DOPRI5, expanded here
    /// into powers of θ).
    package static let dormandPrince5: ExplicitRungeKuttaTableau = {
        let d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0
        let d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0
        let d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0
        let b: [Double] = (15..<21).map(DormandPrince5Coefficients.a) + [0]
        let d: [Double] = [d1, 0, d3, d4, d5, d6, d7]
        // Hairer's form y₀ + θ(Δ + (1−θ)(h k₁ − Δ + θ(Δ − h k₇ − (h k₁ − Δ) + (1−θ) h Σ dᵢkᵢ))) with
        // Δ = h Σ bᵢkᵢ expands, per stage weight, to θ·(b+δ₁−…): collect the coefficients of θ¹…θ⁴.
        var r: [Double] = []
        for i in 0..<7 {
            let e1: Double = i == 0 ? 1 : 0       // the k₁ term of h k₁
            let e7: Double = i == 6 ? 1 : 0       // the k₇ term of h k₇
            let A = b[i]                          // Δ
            let B = e1 - b[i]                     // h k₁ − Δ
            let C = b[i] - e7 - B                 // Δ − h k₇ − (h k₁ − Δ)
            let D = d[i]                          // h Σ dᵢ kᵢ
            r += [A + B, C + D - B, -(C + 2 * D), D]
        }
        return ExplicitRungeKuttaTableau(
            name: "DP5",
            c: (0..<6).map(DormandPrince5Coefficients.c),
            a: (0..<21).map(DormandPrince5Coefficients.a),
            errorWeights: (0..<7).map(DormandPrince5Coefficients.e),
            interpolation: r)
    }()

    /// Tsitouras (2011) (``Tsitouras5Coefficients``), with its degree-4 interpolant.
    package static let tsitouras5 = ExplicitRungeKuttaTableau(
        name: "Tsit5",
        c: (0..<6).map(Tsitouras5Coefficients.c),
        a: (0..<21).map(Tsitouras5Coefficients.a),
        errorWeights: (0..<7).map(Tsitouras5Coefficients.e),
        interpolation: [1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216,
                        0, 0.13169999999999998, -0.2234, 0.1017,
                        0, 3.9302962368947516, -5.941033872131505, 2.490627285651253,
                        0, -12.411077166933676, 30.33818863028232, -16.548102889244902,
                        0, 37.50931341651104, -88.1789048947664, 47.37952196281928,
                        0, -27.896526289197286, 65.09189467479366, -34.87065786149661,
                        0, 1.5, -4.0, 2.5])
}
