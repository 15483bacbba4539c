import RealModule

/// A number with its first derivatives in up to eight parameters (forward-mode
/// differentiation), used once per evaluation to carry the disposition constants' derivatives.
struct LinearPKDual {
    var value: Double
    var partials: SIMD8<Double>

    @inline(__always) init(_ value: Double, _ partials: SIMD8<Double> = .zero) {
        self.value = value
        self.partials = partials
    }

    /// The independent variable number `index` with value `value`.
    @inline(__always) static func variable(_ value: Double, _ index: Int) -> LinearPKDual {
        var d = SIMD8<Double>.zero
        d[index] = 1
        return LinearPKDual(value, d)
    }

    @inline(__always) static func + (a: Self, b: Self) -> Self { Self(a.value + b.value, a.partials + b.partials) }
    @inline(__always) static func - (a: Self, b: Self) -> Self { Self(a.value - b.value, a.partials - b.partials) }
    @inline(__always) static func * (a: Self, b: Self) -> Self {
        Self(a.value * b.value, b.value * a.partials + a.value * b.partials)
    }
    @inline(__always) static func / (a: Self, b: Self) -> Self {
        let q = a.value / b.value
        return Self(q, (a.partials - q * b.partials) / b.value)
    }
}

/// The disposition of the central amount after a unit bolus into the central compartment,
/// A(t) = Σᵢ cᵢ·e^(−λᵢ t), with the derivatives of λᵢ and cᵢ in the disposition parameters
/// (CL, V1, Q2, V2, Q3, V3 — partial index j is parameter j + 1).
///
/// The λᵢ are the roots of the characteristic polynomial of the micro constants
/// k10 = CL/V1, k12 = Q2/V1, k21 = Q2/V2, k13 = Q3/V1, k31 = Q3/V3
/// (Gibaldi & Perrier 1982, ch. 2; Abuhelwa, Foster & Upton 2015, eqs. for ADVAN3/ADVAN11):
///
/// - one compartment: λ = k10, c = 1;
/// - two: λ² − (k10 + k12 + k21)λ + k10·k21 = 0, c_α = (α − k21)/(α − β), c_β = (k21 − β)/(α − β);
/// - three: λ³ − a2·λ² + a1·λ − a0 = 0 with a2 = k10 + k12 + k13 + k21 + k31,
///   a1 = k10·k21 + k10·k31 + k21·k31 + k21·k13 + k31·k12, a0 = k10·k21·k31, solved by the
///   trigonometric form of the cubic and one Newton step; cᵢ = (k21 − λᵢ)(k31 − λᵢ)/Π_{j≠i}(λⱼ − λᵢ).
///
/// The roots' derivatives come from implicit differentiation of the polynomial,
/// dλ = −(∂P/∂θ)/(∂P/∂λ); the coefficients' by forward differentiation of their formulas.
/// Unused slots (beyond the compartment count) hold λ = 1, c = 0 and zero derivatives.
struct LinearPKDisposition {
    var lambda = SIMD4<Double>(1, 1, 1, 1)
    var coefficient = SIMD4<Double>.zero
    var dLambda0 = SIMD8<Double>.zero, dLambda1 = SIMD8<Double>.zero, dLambda2 = SIMD8<Double>.zero
    var dCoefficient0 = SIMD8<Double>.zero, dCoefficient1 = SIMD8<Double>.zero, dCoefficient2 = SIMD8<Double>.zero

    /// `p` is the full, validated parameter vector (ka first).
    init(compartments: Int, parameters p: [Double]) {
        let cl = LinearPKDual.variable(p[1], 0), v1 = LinearPKDual.variable(p[2], 1)
        let k10 = cl / v1
        switch compartments {
        case 1:
            lambda[0] = k10.value
            coefficient[0] = 1
            dLambda0 = k10.partials
        case 2:
            let q = LinearPKDual.variable(p[3], 2), v2 = LinearPKDual.variable(p[4], 3)
            let k12 = q / v1, k21 = q / v2
            let a1 = k10 + k12 + k21, a0 = k10 * k21
            // disc = a1² − 4·a0 = (k10 + k12 − k21)² + 4·k12·k21 > 0, written without cancellation.
            let d = k10.value + k12.value - k21.value
            let root = (d * d + 4 * k12.value * k21.value).squareRoot()
            let alpha = (a1.value + root) / 2, beta = a0.value / alpha
            // P(λ) = λ² − a1·λ + a0: dλ = (λ·da1 − da0)/P′(λ), P′(α) = root, P′(β) = −root.
            let da = LinearPKDual(alpha, (alpha * a1.partials - a0.partials) / root)
            let db = LinearPKDual(beta, (beta * a1.partials - a0.partials) / -root)
            let ca = (da - k21) / (da - db), cb = (k21 - db) / (da - db)
            lambda = SIMD4(alpha, beta, 1, 1)
            coefficient = SIMD4(ca.value, cb.value, 0, 0)
            dLambda0 = da.partials; dLambda1 = db.partials
            dCoefficient0 = ca.partials; dCoefficient1 = cb.partials
        default:
            let q2 = LinearPKDual.variable(p[3], 2), v2 = LinearPKDual.variable(p[4], 3)
            let q3 = LinearPKDual.variable(p[5], 4), v3 = LinearPKDual.variable(p[6], 5)
            let k12 = q2 / v1, k21 = q2 / v2, k13 = q3 / v1, k31 = q3 / v3
            let a2 = k10 + k12 + k13 + k21 + k31
            let a1 = k10 * k21 + k10 * k31 + k21 * k31 + k21 * k13 + k31 * k12
            let a0 = k10 * k21 * k31
            let roots = Self.cubicRoots(a2: a2.value, a1: a1.value, a0: a0.value)
            func root(_ i: Int) -> LinearPKDual {
                let x = roots[i]
                let slope = (3 * x - 2 * a2.value) * x + a1.value
                // P(λ) = λ³ − a2·λ² + a1·λ − a0: dλ = (λ²·da2 − λ·da1 + da0)/P′(λ).
                return LinearPKDual(x, (x * x * a2.partials - x * a1.partials + a0.partials) / slope)
            }
            func weight(_ li: LinearPKDual, _ lj: LinearPKDual, _ lk: LinearPKDual) -> LinearPKDual {
                (k21 - li) * (k31 - li) / ((lj - li) * (lk - li))
            }
            let l0 = root(0), l1 = root(1), l2 = root(2)
            let c0 = weight(l0, l1, l2), c1 = weight(l1, l2, l0), c2 = weight(l2, l0, l1)
            lambda = SIMD4(l0.value, l1.value, l2.value, 1)
            coefficient = SIMD4(c0.value, c1.value, c2.value, 0)
            dLambda0 = l0.partials; dLambda1 = l1.partials; dLambda2 = l2.partials
            dCoefficient0 = c0.partials; dCoefficient1 = c1.partials; dCoefficient2 = c2.partials
        }
    }

    /// The three real roots of λ³ − a2·λ² + a1·λ − a0 (all > 0 for the mammillary model),
    /// largest first: the depressed cubic x³ + p·x + q with λ = x + a2/3,
    /// p = a1 − a2²/3, q = −2a2³/27 + a1·a2/3 − a0, and
    /// xₖ = 2√(−p/3)·cos(θ/3 − 2πk/3), θ = arccos((3q/(2p))·√(−3/p)) — then one Newton step each.
    static func cubicRoots(a2: Double, a1: Double, a0: Double) -> SIMD4<Double> {
        let p = a1 - a2 * a2 / 3
        let q = -2 * a2 * a2 * a2 / 27 + a1 * a2 / 3 - a0
        let shift = a2 / 3
        var roots = SIMD4<Double>(shift, shift, shift, 1)
        if p < 0 {
            let m = 2 * (-p / 3).squareRoot()
            let argument = min(1, max(-1, 3 * q / (p * m)))
            let theta = Double.acos(argument) / 3
            for k in 0..<3 {
                roots[k] = shift + m * Double.cos(theta - 2 * Double.pi * Double(k) / 3)
            }
        }
        for k in 0..<3 {
            let x = roots[k]
            let slope = (3 * x - 2 * a2) * x + a1
            let value = ((x - a2) * x + a1) * x - a0
            if slope != 0 { roots[k] = x - value / slope }
        }
        return roots
    }
}
