import RealModule

/// A number a model's right-hand side computes with.
///
/// A model writes its equations once, generic over `S: ODEScalar`, and MedTwin runs them with
/// `Double` (a single solve), ``Dual`` (forward sensitivities) and ``Lanes`` (a SIMD vector of
/// patients, in the ensemble engine). The protocol supplies arithmetic, literals, and the elementary functions
/// physiological models need — the standard library has no generic `exp`.
///
/// ```swift
/// func elimination<S: ODEScalar>(_ amount: S, clearance: S, volume: S) -> S {
///     -clearance / volume * amount                 // mg/h
/// }
/// let hill: Double = .pow(2.0, 1.5)                // functions are static members
/// ```
public protocol ODEScalar: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The constant `value`, with zero derivative parts.
    init(_ value: Double)
    /// The value part (for a `Double`, itself).
    var primal: Double { get }

    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    static prefix func - (operand: Self) -> Self

    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    /// xʸ for x > 0.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// xⁿ by repeated multiplication (defined for x ≤ 0 too).
    static func pow(_ x: Self, _ n: Int) -> Self
    static func tanh(_ x: Self) -> Self
    /// The largest whole number ≤ x (zero derivative parts): periodic forcing such as a heart
    /// cycle, written without branching on a value so that every lane of an ensemble follows it.
    static func floor(_ x: Self) -> Self
    /// The larger of the two by value; its derivative parts come with it.
    static func maximum(_ x: Self, _ y: Self) -> Self
    /// The smaller of the two by value.
    static func minimum(_ x: Self, _ y: Self) -> Self
    /// Whether `predicate` holds for the value of any patient this number carries (itself for a
    /// `Double` or a ``Dual``, any lane for ``Lanes``): how a right-hand side decides to throw a
    /// ``RightHandSideFailure`` — the ensemble engine then finds the failing lane by itself.
    func anyValue(_ predicate: (Double) -> Bool) -> Bool
}

extension ODEScalar {
    @inlinable public func anyValue(_ predicate: (Double) -> Bool) -> Bool { predicate(primal) }
}

extension ODEScalar {
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
    @inlinable public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }
    @inlinable public static func /= (lhs: inout Self, rhs: Self) { lhs = lhs / rhs }
}

extension Double: ODEScalar {
    @inlinable public var primal: Double { self }
    @inlinable public static func floor(_ x: Double) -> Double { x.rounded(.down) }
    @inlinable public static func maximum(_ x: Double, _ y: Double) -> Double { Swift.max(x, y) }
    @inlinable public static func minimum(_ x: Double, _ y: Double) -> Double { Swift.min(x, y) }
}
