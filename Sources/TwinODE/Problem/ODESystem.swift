/// A read-only view of a state or parameter vector handed to a right-hand side: no copy, no
/// allocation. Indices are 0-based.
///
/// Bounds: in debug builds (`swift build`, `swift test`, -Onone) every index is checked, and an
/// index outside 0..<count stops the program with the index and the count (an `assert`). In
/// release builds (-O) the check is compiled out: the view is read in the innermost loop of every
/// solver, and an out-of-range index there reads outside the solver's storage — undefined
/// behaviour, no error. Run a new model's tests in a debug build before a release run.
public struct ODEVector<S>: @unchecked Sendable {
    // Safe: the solver keeps the storage alive and unchanged for the duration of the call the
    // view is passed to; the view is not meant to escape that call.
    @usableFromInline let base: UnsafePointer<S>
    public let count: Int

    @inlinable public init(_ base: UnsafePointer<S>, count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable public subscript(index: Int) -> S {
        assert(index >= 0 && index < count, "ODEVector: index \(index) out of range 0..<\(count)")
        return base[index]
    }
}

/// The output of a right-hand side: `dy[i] = …` writes straight into the solver's storage.
/// Bounds are checked in debug builds only, as ``ODEVector``'s (an out-of-range write in a release
/// build corrupts the solver's memory).
public struct ODEMutableVector<S>: @unchecked Sendable {
    // Safe: as ODEVector; the solver owns the storage and reads it back after the call.
    @usableFromInline let base: UnsafeMutablePointer<S>
    public let count: Int

    @inlinable public init(_ base: UnsafeMutablePointer<S>, count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable public subscript(index: Int) -> S {
        get {
            assert(index >= 0 && index < count, "ODEMutableVector: index \(index) out of range 0..<\(count)")
            return base[index]
        }
        nonmutating set {
            assert(index >= 0 && index < count, "ODEMutableVector: index \(index) out of range 0..<\(count)")
            base[index] = newValue
        }
    }
}

/// Why a right-hand side could not be evaluated at the state it was given.
///
/// The contract follows SUNDIALS: a *recoverable* failure (e.g. a negative concentration where
/// a square root is taken, met in a trial stage) makes the solver retry with a smaller step; an
/// *unrecoverable* one ends the solve with ``ODEStatus/rightHandSideFailed(time:message:)``.
public enum RightHandSideFailure: Error, Sendable, Equatable {
    case recoverable(String)
    case unrecoverable(String)
}

/// An ordinary differential equation system y′ = f(t, y, p), written once for every scalar type.
///
/// Conform a small struct; the right-hand side writes `dy` in place and must not allocate. What a
/// model author writes: the sizes, ``rightHandSide(t:y:p:dy:)``, and optionally an analytic
/// ``jacobian(t:y:p:into:)`` (its presence is its return value: there is no flag to keep in step)
/// and ``isAutonomous``. The solvers' own entry points (one per scalar type, and the ensemble
/// engine's fused stage loop) are requirements behind `@_spi(LaneEngine)`, with default
/// implementations: a conforming type never sees them.
///
/// ```swift
/// /// One-compartment PK with first-order elimination: A′ = −(CL/V)·A, A in mg, t in hours.
/// struct OneCompartment: ODESystem {
///     var stateCount: Int { 1 }
///     var parameterCount: Int { 2 }                       // CL (L/h), V (L)
///     func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>,
///                                      dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
///         dy[0] = -(p[0] / p[1]) * y[0]
///     }
///     func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>,
///                   into J: ODEMutableVector<Double>) -> Bool {
///         J[0] = -p[0] / p[1]
///         return true                                     // provided: stiff solvers use it
///     }
/// }
/// ```
public protocol ODESystem: Sendable {
    /// The number of states n.
    var stateCount: Int { get }
    /// The number of parameters the right-hand side reads.
    var parameterCount: Int { get }

    /// Writes f(t, y, p) into `dy`.
    ///
    /// - Throws: ``RightHandSideFailure`` when f cannot be evaluated at this state.
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure)

    /// Writes ∂f/∂y (n×n, column-major: entry (i, j) = ∂fᵢ/∂yⱼ) into `jacobian`, which arrives
    /// filled with zeros, and returns true. The default writes nothing and returns false — "not
    /// provided" — and stiff solvers then difference f. Implementing it is what makes the
    /// Jacobian analytic; the compiler asks for the `return true`.
    func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) -> Bool

    /// Whether f does not depend on t explicitly (saves the ∂f/∂t evaluation of Rosenbrock methods).
    var isAutonomous: Bool { get }

    /// f with `Double`s: the entry point of the single-trajectory solvers. Leave it to the default,
    /// which forwards to ``rightHandSide(t:y:p:dy:)``; it exists so that the forwarding is
    /// compiled, and specialised, in the module that defines the system.
    @_spi(LaneEngine)
    func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure)

    /// f with ``Dual`` numbers, for forward sensitivities. Leave it to the default.
    @_spi(LaneEngine)
    func evaluate(t: Dual, y: ODEVector<Dual>, p: ODEVector<Dual>, dy: ODEMutableVector<Dual>) throws(RightHandSideFailure)

    /// f for 2, 4 or 8 patients at once, for the ensemble engine. Leave them to the defaults.
    @_spi(LaneEngine)
    func evaluate(t: Lanes<SIMD2<Double>>, y: ODEVector<Lanes<SIMD2<Double>>>, p: ODEVector<Lanes<SIMD2<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD2<Double>>>) throws(RightHandSideFailure)
    @_spi(LaneEngine)
    func evaluate(t: Lanes<SIMD4<Double>>, y: ODEVector<Lanes<SIMD4<Double>>>, p: ODEVector<Lanes<SIMD4<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD4<Double>>>) throws(RightHandSideFailure)
    @_spi(LaneEngine)
    func evaluate(t: Lanes<SIMD8<Double>>, y: ODEVector<Lanes<SIMD8<Double>>>, p: ODEVector<Lanes<SIMD8<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD8<Double>>>) throws(RightHandSideFailure)

    /// The stages of one explicit Runge–Kutta trial step for 2, 4 or 8 patients at once (see
    /// ``LaneStages``); returns 7, or the stage whose right-hand side threw. Leave them to the
    /// defaults: they compile the ensemble engine's stage loop together with this system's
    /// right-hand side (mark a small `rightHandSide` `@inline(__always)` to make sure it is
    /// inlined there; what it derives from the parameters alone is then computed once per step).
    @_spi(LaneEngine)
    func evaluateStages(_ stages: LaneStages<SIMD2<Double>>) -> Int
    @_spi(LaneEngine)
    func evaluateStages(_ stages: LaneStages<SIMD4<Double>>) -> Int
    @_spi(LaneEngine)
    func evaluateStages(_ stages: LaneStages<SIMD8<Double>>) -> Int
}

// The default entry points: public, because a conforming type in any module takes them as the
// witnesses of the SPI requirements above (and compiles them, specialised, in its own module);
// hidden from the documentation, since a model author neither writes nor calls them.
extension ODESystem {
    @_documentation(visibility: internal) @inlinable
    public func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @_documentation(visibility: internal) @inlinable
    public func evaluate(t: Dual, y: ODEVector<Dual>, p: ODEVector<Dual>, dy: ODEMutableVector<Dual>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @_documentation(visibility: internal) @inlinable
    public func evaluate(t: Lanes<SIMD2<Double>>, y: ODEVector<Lanes<SIMD2<Double>>>, p: ODEVector<Lanes<SIMD2<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD2<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @_documentation(visibility: internal) @inlinable
    public func evaluate(t: Lanes<SIMD4<Double>>, y: ODEVector<Lanes<SIMD4<Double>>>, p: ODEVector<Lanes<SIMD4<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD4<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @_documentation(visibility: internal) @inlinable
    public func evaluate(t: Lanes<SIMD8<Double>>, y: ODEVector<Lanes<SIMD8<Double>>>, p: ODEVector<Lanes<SIMD8<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD8<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @_documentation(visibility: internal) @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD2<Double>>) -> Int { stages.run(self) }

    @_documentation(visibility: internal) @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD4<Double>>) -> Int { stages.run(self) }

    @_documentation(visibility: internal) @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD8<Double>>) -> Int { stages.run(self) }

    /// Not provided: writes nothing and returns false, so stiff solvers difference f.
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) -> Bool { false }
    public var isAutonomous: Bool { false }

    /// Whether this system provides an analytic ``jacobian(t:y:p:into:)``: calls it once at
    /// t = 0 with zero state and parameters (allocates; for listings and tests, not for solvers,
    /// which learn it from the call they make anyway).
    public var providesJacobian: Bool {
        let n = stateCount, np = parameterCount
        var y = [Double](repeating: 0, count: max(n, 1))
        var p = [Double](repeating: 0, count: max(np, 1))
        var jac = [Double](repeating: 0, count: max(n * n, 1))
        return y.withUnsafeMutableBufferPointer { yb in
            p.withUnsafeMutableBufferPointer { pb in
                jac.withUnsafeMutableBufferPointer { jb in
                    guard let yBase = yb.baseAddress, let pBase = pb.baseAddress, let jBase = jb.baseAddress else { return false }
                    return jacobian(t: 0, y: ODEVector(yBase, count: n), p: ODEVector(pBase, count: np),
                                    into: ODEMutableVector(jBase, count: n * n))
                }
            }
        }
    }
}
