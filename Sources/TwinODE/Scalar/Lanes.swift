import RealModule

/// A SIMD vector of `Double`s usable as the lanes of an ensemble: one virtual patient per lane.
///
/// `SIMD2`, `SIMD4` and `SIMD8` of `Double` conform (8 doubles fill one AVX-512 register). The
/// requirement routes a right-hand side to the ``ODESystem`` entry point for that width, which
/// is compiled and specialised in the module that defines the system.
public protocol ODELaneVector: SIMD, Sendable where Scalar == Double {
    /// Evaluates `system`'s right-hand side for a vector of patients at once.
    static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                         dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure)
    /// x = m·2ᵉ with m ∈ [1, 2), lane by lane, for positive normal x (by bit manipulation).
    static func decompose(_ x: Self) -> (significand: Self, exponent: Self)
    /// 2ᵏ for whole numbers k in [−1022, 1023], lane by lane (by bit manipulation).
    static func exp2(integer k: Self) -> Self
    /// a < b lane by lane (false where either is NaN): the concrete vector comparison (the
    /// generic `.<` of `SIMD` compiles to a loop over the lanes).
    static func laneLess(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage>
    /// a ≤ b lane by lane (false where either is NaN).
    static func laneLessOrEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage>
    /// a = b lane by lane (false where either is NaN).
    static func laneEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage>
}

/// 2⁵² + 1023: adding it to a whole number k puts k + 1023 in the low bits of the significand.
@usableFromInline let laneExponentMagic = 4503599627370496.0 + 1023

extension ODELaneVector {
    @inlinable @inline(__always)
    static func decompose<Bits: SIMD>(_ x: Self, bits _: Bits.Type) -> (significand: Self, exponent: Self)
        where Bits.Scalar == UInt64 {
        // Safe: Self and Bits are SIMD vectors of the same lane count of 8-byte scalars.
        let bits = unsafeBitCast(x, to: Bits.self)
        let m = (bits & Bits(repeating: 0x000F_FFFF_FFFF_FFFF)) | Bits(repeating: 0x3FF0_0000_0000_0000)
        let e = (bits &>> Bits(repeating: 52)) | Bits(repeating: 0x4330_0000_0000_0000)
        return (unsafeBitCast(m, to: Self.self), unsafeBitCast(e, to: Self.self) - Self(repeating: laneExponentMagic))
    }

    @inlinable @inline(__always)
    static func exp2<Bits: SIMD>(integer k: Self, bits _: Bits.Type) -> Self where Bits.Scalar == UInt64 {
        // Safe: as in decompose.
        let biased = unsafeBitCast(k + Self(repeating: laneExponentMagic), to: Bits.self)
        return unsafeBitCast(biased &<< Bits(repeating: 52), to: Self.self)
    }
}

extension SIMD2: ODELaneVector where Scalar == Double {
    @inlinable @inline(__always)
    public static func decompose(_ x: Self) -> (significand: Self, exponent: Self) { decompose(x, bits: SIMD2<UInt64>.self) }
    @inlinable @inline(__always)
    public static func exp2(integer k: Self) -> Self { exp2(integer: k, bits: SIMD2<UInt64>.self) }
    @inlinable @inline(__always)
    public static func laneLess(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .< b }
    @inlinable @inline(__always)
    public static func laneLessOrEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .<= b }
    @inlinable @inline(__always)
    public static func laneEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .== b }
    @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

extension SIMD4: ODELaneVector where Scalar == Double {
    @inlinable @inline(__always)
    public static func decompose(_ x: Self) -> (significand: Self, exponent: Self) { decompose(x, bits: SIMD4<UInt64>.self) }
    @inlinable @inline(__always)
    public static func exp2(integer k: Self) -> Self { exp2(integer: k, bits: SIMD4<UInt64>.self) }
    @inlinable @inline(__always)
    public static func laneLess(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .< b }
    @inlinable @inline(__always)
    public static func laneLessOrEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .<= b }
    @inlinable @inline(__always)
    public static func laneEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .== b }
    @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

extension SIMD8: ODELaneVector where Scalar == Double {
    @inlinable @inline(__always)
    public static func decompose(_ x: Self) -> (significand: Self, exponent: Self) { decompose(x, bits: SIMD8<UInt64>.self) }
    @inlinable @inline(__always)
    public static func exp2(integer k: Self) -> Self { exp2(integer: k, bits: SIMD8<UInt64>.self) }
    @inlinable @inline(__always)
    public static func laneLess(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .< b }
    @inlinable @inline(__always)
    public static func laneLessOrEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .<= b }
    @inlinable @inline(__always)
    public static func laneEqual(_ a: Self, _ b: Self) -> SIMDMask<MaskStorage> { a .== b }
    @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

/// Several patients' values of one quantity, computed lane by lane: the scalar the ensemble
/// engine runs a model's right-hand side with.
///
/// Every operation acts on each lane independently and gives, in each lane, exactly the bits the
/// same operation gives on a `Double` (the elementary functions call the scalar ones lane by
/// lane), so a patient's result does not depend on the lane width or on its neighbours.
/// ``primal`` is lane 0: a model must not branch on it — use ``ODEScalar/maximum(_:_:)``,
/// ``ODEScalar/minimum(_:_:)`` or ``ODEScalar/floor(_:)`` instead.
///
/// ```swift
/// let x = Lanes<SIMD4<Double>>(SIMD4(0, 1, 2, 3))
/// let y = Lanes.exp(x) * 2             // (2, 2e, 2e², 2e³)
/// ```
@frozen
public struct Lanes<Vector: ODELaneVector>: ODEScalar {
    /// The lanes' values.
    public var vector: Vector

    @inlinable @inline(__always) public init(_ vector: Vector) { self.vector = vector }
    /// The same value in every lane.
    @inlinable @inline(__always) public init(_ value: Double) { vector = Vector(repeating: value) }
    @inlinable public init(floatLiteral value: Double) { self.init(value) }
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }

    /// Lane 0 (see the type's discussion).
    @inlinable public var primal: Double { vector[0] }

    @inlinable @inline(__always) public static func + (a: Self, b: Self) -> Self { Self(a.vector + b.vector) }
    @inlinable @inline(__always) public static func - (a: Self, b: Self) -> Self { Self(a.vector - b.vector) }
    @inlinable @inline(__always) public static func * (a: Self, b: Self) -> Self { Self(a.vector * b.vector) }
    @inlinable @inline(__always) public static func / (a: Self, b: Self) -> Self { Self(a.vector / b.vector) }
    @inlinable @inline(__always) public static prefix func - (a: Self) -> Self { Self(-a.vector) }

    @inlinable @inline(__always)
    static func map(_ x: Self, _ f: (Double) -> Double) -> Self {
        var r = x.vector
        for i in r.indices { r[i] = f(r[i]) }
        return Self(r)
    }

    @inlinable public static func exp(_ x: Self) -> Self { map(x) { Double.exp($0) } }
    @inlinable public static func log(_ x: Self) -> Self { map(x) { Double.log($0) } }
    @inlinable public static func sqrt(_ x: Self) -> Self { Self(x.vector.squareRoot()) }
    @inlinable public static func tanh(_ x: Self) -> Self { map(x) { Double.tanh($0) } }
    @inlinable public static func floor(_ x: Self) -> Self { Self(x.vector.rounded(.down)) }
    @inlinable public static func pow(_ x: Self, _ y: Self) -> Self {
        var r = x.vector
        for i in r.indices { r[i] = Double.pow(x.vector[i], y.vector[i]) }
        return Self(r)
    }
    @inlinable public static func pow(_ x: Self, _ n: Int) -> Self { map(x) { Double.pow($0, n) } }
    @inlinable public static func maximum(_ x: Self, _ y: Self) -> Self {
        // Lane-wise Swift.max(x, y), which is `y >= x ? y : x`.
        Self(x.vector.replacing(with: y.vector, where: Vector.laneLessOrEqual(x.vector, y.vector)))
    }
    @inlinable public static func minimum(_ x: Self, _ y: Self) -> Self {
        // Lane-wise Swift.min(x, y), which is `y < x ? y : x`.
        Self(x.vector.replacing(with: y.vector, where: Vector.laneLess(y.vector, x.vector)))
    }
}
