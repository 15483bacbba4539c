import TwinLinearAlgebra

/// Closed forms for the Hilbert matrix Hᵢⱼ = 1/(i + j − 1) (1-based): its exact inverse and
/// determinant (Choi 1983, "Tricks or treats with the Hilbert matrix", Amer. Math. Monthly 90,
/// 301–312), hence its exact 1-norm condition number.
enum HilbertMatrix {
    static func binomial(_ n: Int, _ k: Int) -> Double {
        if k < 0 || k > n { return 0 }
        var r = 1.0
        for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
        return r.rounded()
    }

    /// (H⁻¹)ᵢⱼ = (−1)^(i+j) (i+j−1) C(n+i−1, n−j) C(n+j−1, n−i) C(i+j−2, i−1)², exact integers.
    static func exactInverse(_ n: Int) -> Matrix<Double> {
        Matrix(rows: n, columns: n) { r, c in
            let (i, j) = (r + 1, c + 1)
            let sign: Double = (i + j) % 2 == 0 ? 1 : -1
            let b = binomial(i + j - 2, i - 1)
            return sign * Double(i + j - 1) * binomial(n + i - 1, n - j) * binomial(n + j - 1, n - i) * b * b
        }
    }

    /// det Hₙ = cₙ⁴ / c₂ₙ with cₙ = Π_{k=1}^{n−1} k!.
    static func exactDeterminant(_ n: Int) -> Double {
        func c(_ m: Int) -> Double {
            var p = 1.0, f = 1.0
            if m > 1 { for k in 1..<m { f *= Double(k); p *= f } }
            return p
        }
        return pow4(c(n)) / c(2 * n)
    }

    private static func pow4(_ x: Double) -> Double { x * x * x * x }

    /// κ₁(Hₙ) = ‖Hₙ‖₁ · ‖Hₙ⁻¹‖₁, from the closed forms.
    static func exactConditionNumber(_ n: Int) -> Double {
        let h = Matrix<Double>(rows: n, columns: n) { i, j in 1 / Double(i + j + 1) }
        return h.oneNorm * exactInverse(n).oneNorm
    }
}
