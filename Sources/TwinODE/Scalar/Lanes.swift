import RealModule

/// A SIMD vector of `Double`s usable as the lanes of an ensemble: one virtual patient per lane.
///
/// `SIMD2`, `SIMD4` and `SIMD8` of `Double` conform (8 doubles fill one AVX-512 register). The
/// requirement routes a right-hand side to the ``ODESystem`` entry point for that width, which
/// is compiled and specialised in the module that defines the system.
public protocol ODELaneVector: SIMD, Sendable where Scalar == Double {
    /// Evaluates `system`'s right-hand side for a vector of patients at once.
    @_spi(LaneEngine)
    static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                         dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure)
    /// Runs `system`'s stage entry point for this width (``LaneStages``).
    @_spi(LaneEngine)
    static func evaluateStages(_ system: any ODESystem, _ stages: LaneStages<Self>) -> Int
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
    /// b where `mask` is set, a elsewhere, on whole vectors (the generic `replacing(with:where:)`
    /// of `SIMD` compiles lane by lane, or in 128-bit pieces).
    static func laneSelect(_ a: Self, _ b: Self, where mask: SIMDMask<MaskStorage>) -> Self
}

extension ODELaneVector {
    /// `other` where `mask` is set, this vector elsewhere: `replacing(with:where:)` on whole vectors.
    @inlinable @inline(__always)
    public func selecting(_ other: Self, where mask: SIMDMask<MaskStorage>) -> Self { Self.laneSelect(self, other, where: mask) }
    /// `other` where `mask` is set, this vector elsewhere.
    @inlinable @inline(__always)
    public func selecting(_ other: Double, where mask: SIMDMask<MaskStorage>) -> Self {
        Self.laneSelect(self, Self(repeating: other), where: mask)
    }
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
    @_spi(LaneEngine) @inlinable
    public static func evaluateStages(_ system: any ODESystem, _ stages: LaneStages<Self>) -> Int {
        system.evaluateStages(stages)
    }
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
    @inlinable @inline(__always)
    public static func laneSelect(_ a: Self, _ b: Self, where mask: SIMDMask<MaskStorage>) -> Self {
        // Safe: 8-byte Doubles reinterpreted as the mask type of the same lane count, whose own
        // select is vector code.
        let merged = unsafeBitCast(a, to: SIMDMask<MaskStorage>.self).replacing(with: unsafeBitCast(b, to: SIMDMask<MaskStorage>.self), where: mask)
        return unsafeBitCast(merged, to: Self.self)
    }
    @_spi(LaneEngine) @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

extension SIMD4: ODELaneVector where Scalar == Double {
    @_spi(LaneEngine) @inlinable
    public static func evaluateStages(_ system: any ODESystem, _ stages: LaneStages<Self>) -> Int {
        system.evaluateStages(stages)
    }
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
    @inlinable @inline(__always)
    public static func laneSelect(_ a: Self, _ b: Self, where mask: SIMDMask<MaskStorage>) -> Self {
        // Safe: 8-byte Doubles reinterpreted as the mask type of the same lane count, whose own
        // select is vector code.
        let merged = unsafeBitCast(a, to: SIMDMask<MaskStorage>.self).replacing(with: unsafeBitCast(b, to: SIMDMask<MaskStorage>.self), where: mask)
        return unsafeBitCast(merged, to: Self.self)
    }
    @_spi(LaneEngine) @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

extension SIMD8: ODELaneVector where Scalar == Double {
    @_spi(LaneEngine) @inlinable
    public static func evaluateStages(_ system: any ODESystem, _ stages: LaneStages<Self>) -> Int {
        system.evaluateStages(stages)
    }
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
    @inlinable @inline(__always)
    public static func laneSelect(_ a: Self, _ b: Self, where mask: SIMDMask<MaskStorage>) -> Self {
        // Safe: 8-byte Doubles reinterpreted as the mask type of the same lane count, whose own
        // select is vector code.
        let merged = unsafeBitCast(a, to: SIMDMask<MaskStorage>.self).replacing(with: unsafeBitCast(b, to: SIMDMask<MaskStorage>.self), where: mask)
        return unsafeBitCast(merged, to: Self.self)
    }
    @_spi(LaneEngine) @inlinable
    public static func evaluate(_ system: any ODESystem, t: Lanes<Self>, y: ODEVector<Lanes<Self>>, p: ODEVector<Lanes<Self>>,
                                dy: ODEMutableVector<Lanes<Self>>) throws(RightHandSideFailure) {
        try system.evaluate(t: t, y: y, p: p, dy: dy)
    }
}

/// Several patients' values of one quantity, computed lane by lane: the scalar the ensemble
/// engine runs a model's right-hand side with.
///
/// Every operation acts on each lane independently, so a patient's result does not depend on the
/// lane width or on its neighbours. Arithmetic, `sqrt` and `floor` give exactly the bits of the
/// `Double` operation; `exp` is computed on whole vectors (Cody–Waite reduction and a degree-13
/// Taylor polynomial, within 2 ulp of the correctly rounded value) and the other elementary
/// functions call the scalar ones lane by lane.
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

    @inlinable @inline(__always) public static func exp(_ x: Self) -> Self {
        // x = k·ln2 + r, |r| ≤ ln2/2, with ln2 split so that k·ln2hi is exact (Cody and Waite
        // 1980); eʳ by its Taylor series to r¹³/13! (truncation < 1e-17 relative); 2ᵏ by bits.
        let v = x.vector
        let low = Vector(repeating: -745.2), high = Vector(repeating: 709.8)
        let clamped = v.selecting(low, where: Vector.laneLess(v, low)).selecting(high, where: Vector.laneLess(high, v))
        let k = Vector(repeating: 6755399441055744.0).addingProduct(clamped, Vector(repeating: 1.4426950408889634))
            - 6755399441055744.0
        let r = clamped.addingProduct(-k, Vector(repeating: 0.6931471803691238))
            .addingProduct(-k, Vector(repeating: 1.9082149292705877e-10))
        // Estrin's scheme in fused multiply-adds: a dependency chain of 4 instead of 13 (the
        // coefficients are 1/j!).
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        @inline(__always) func pair(_ a: Double, _ b: Double) -> Vector { Vector(repeating: a).addingProduct(r, Vector(repeating: b)) }
        let q0 = pair(1, 1), q1 = pair(0.5, 1.0 / 6), q2 = pair(1.0 / 24, 1.0 / 120), q3 = pair(1.0 / 720, 1.0 / 5040)
        let q4 = pair(1.0 / 40320, 1.0 / 362880), q5 = pair(1.0 / 3628800, 1.0 / 39916800)
        let q6 = pair(1.0 / 479001600, 1.0 / 6227020800)
        let low4 = q0.addingProduct(r2, q1).addingProduct(r4, q2.addingProduct(r2, q3))
        let high4 = q4.addingProduct(r2, q5).addingProduct(r4, q6)
        let p = low4.addingProduct(r8, high4)
        // 2ᵏ in two halves, so that k down to −1075 (subnormal results) and up to 1024 stay exact.
        let half = ((k * 0.5) + 6755399441055744.0) - 6755399441055744.0
        var result = p * Vector.exp2(integer: half) * Vector.exp2(integer: k - half)
        result = result.selecting(.infinity, where: Vector.laneLess(Vector(repeating: 709.782712893384), v))
        result = result.selecting(0, where: Vector.laneLess(v, Vector(repeating: -745.1332191019412)))
        return Self(result.selecting(v, where: .!Vector.laneEqual(v, v)))      // NaN stays NaN
    }
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
        Self(x.vector.selecting(y.vector, where: Vector.laneLessOrEqual(x.vector, y.vector)))
    }
    @inlinable public static func minimum(_ x: Self, _ y: Self) -> Self {
        // Lane-wise Swift.min(x, y), which is `y < x ? y : x`.
        Self(x.vector.selecting(y.vector, where: Vector.laneLess(y.vector, x.vector)))
    }
}
