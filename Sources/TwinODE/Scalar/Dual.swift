public import RealModule

/// A forward-mode dual number: a value and its derivatives with respect to up to
/// ``Dual/capacity`` (16) inputs at once.
///
/// Running a right-hand side with `Dual` states and parameters gives, in one evaluation, f and
/// the directional derivatives J·s + ∂f/∂p for every seeded direction — the right-hand side of
/// the forward sensitivity (variational) equations. Derivatives propagate by the chain rule
/// through every operation of ``ODEScalar``.
///
/// ```swift
/// let x = Dual(3, seed: 0)                // x = 3, dx/dx = 1
/// let y = Dual.exp(x) * x                 // y = 3e³, dy/dx = 4e³
/// y.value; y.partials[0]
/// ```
public struct Dual: ODEScalar, Hashable {
    /// How many derivative directions one `Dual` carries.
    public static let capacity = 16

    /// The value.
    public var value: Double
    /// The derivatives with respect to the seeded inputs (entries past the used count stay 0).
    public var partials: SIMD16<Double>

    @inlinable public init(value: Double, partials: SIMD16<Double>) {
        self.value = value
        self.partials = partials
    }

    /// A constant.
    @inlinable public init(_ value: Double) { self.init(value: value, partials: .zero) }

    /// An independent variable: derivative 1 in direction `seed`, 0 elsewhere.
    @inlinable public init(_ value: Double, seed: Int) {
        var p = SIMD16<Double>.zero
        p[seed] = 1
        self.init(value: value, partials: p)
    }

    @inlinable public init(floatLiteral value: Double) { self.init(value) }
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }
    @inlinable public var primal: Double { value }

    @inlinable public static func + (a: Dual, b: Dual) -> Dual { Dual(value: a.value + b.value, partials: a.partials + b.partials) }
    @inlinable public static func - (a: Dual, b: Dual) -> Dual { Dual(value: a.value - b.value, partials: a.partials - b.partials) }
    @inlinable public static prefix func - (a: Dual) -> Dual { Dual(value: -a.value, partials: -a.partials) }
    @inlinable public static func * (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value * b.value, partials: b.value * a.partials + a.value * b.partials)
    }
    @inlinable public static func / (a: Dual, b: Dual) -> Dual {
        let inv = 1 / b.value
        let q = a.value * inv
        return Dual(value: q, partials: (a.partials - q * b.partials) * inv)
    }

    /// Applies a function with value `f` and derivative `df` at `x.value`.
    @inlinable static func chain(_ x: Dual, _ f: Double, _ df: Double) -> Dual { Dual(value: f, partials: df * x.partials) }

    @inlinable public static func exp(_ x: Dual) -> Dual { let e = Double.exp(x.value); return chain(x, e, e) }
    @inlinable public static func log(_ x: Dual) -> Dual { chain(x, Double.log(x.value), 1 / x.value) }
    @inlinable public static func sqrt(_ x: Dual) -> Dual { let r = x.value.squareRoot(); return chain(x, r, 0.5 / r) }
    @inlinable public static func tanh(_ x: Dual) -> Dual { let t = Double.tanh(x.value); return chain(x, t, 1 - t * t) }
    @inlinable public static func pow(_ x: Dual, _ y: Dual) -> Dual {
        // d(xʸ) = y·xʸ⁻¹·dx + xʸ·log x·dy
        let v = Double.pow(x.value, y.value)
        let dx = y.value * Double.pow(x.value, y.value - 1)
        let dy = v * Double.log(x.value)
        return Dual(value: v, partials: dx * x.partials + (y.partials == .zero ? .zero : dy * y.partials))
    }
    @inlinable public static func pow(_ x: Dual, _ n: Int) -> Dual {
        if n == 0 { return Dual(1) }
        let v = Double.pow(x.value, n) as Double
        let d = Double(n) * (Double.pow(x.value, n - 1) as Double)
        return chain(x, v, d)
    }
    @inlinable public static func floor(_ x: Dual) -> Dual { Dual(x.value.rounded(.down)) }
    @inlinable public static func maximum(_ x: Dual, _ y: Dual) -> Dual { x.value >= y.value ? x : y }
    @inlinable public static func minimum(_ x: Dual, _ y: Dual) -> Dual { x.value <= y.value ? x : y }
}
