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
    /// Dormand and Prince (1980), "A family of embedded Runge–Kutta formulae", J. Comput. Appl.
    /// Math. 6, 19–26, with the order-4 dense output of Hairer, Nørsett and Wanner (1993, §II.6,
    /// the continuous extension of DOPRI5, expanded here into powers of θ).
    package static let dormandPrince5: ExplicitRungeKuttaTableau = {
        let d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0
        let d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0
        let d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0
        let b: [Double] = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0]
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
            c: [1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
            a: [1.0 / 5,
                3.0 / 40, 9.0 / 40,
                44.0 / 45, -56.0 / 15, 32.0 / 9,
                19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729,
                9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656,
                35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
            errorWeights: [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40],
            interpolation: r)
    }()

    /// Tsitouras (2011), "Runge–Kutta pairs of order 5(4) satisfying only the first column
    /// simplifying assumption", Comput. Math. Appl. 62, 770–775, with its degree-4 interpolant.
    package static let tsitouras5 = ExplicitRungeKuttaTableau(
        name: "Tsit5",
        c: [0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
        a: [0.161,
            -0.008480655492356989, 0.335480655492357,
            2.8971530571054935, -6.359448489975075, 4.3622954328695815,
            5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525,
            5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383,
            0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774],
        errorWeights: [-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995, -0.1447110071732629,
                       0.5823571654525552, -0.45808210592918697, 0.015151515151515152],
        interpolation: [1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216,
                        0, 0.13169999999999998, -0.2234, 0.1017,
                        0, 3.9302962368947516, -5.941033872131505, 2.490627285651253,
                        0, -12.411077166933676, 30.33818863028232, -16.548102889244902,
                        0, 37.50931341651104, -88.1789048947664, 47.37952196281928,
                        0, -27.896526289197286, 65.09189467479366, -34.87065786149661,
                        0, 1.5, -4.0, 2.5])
}
