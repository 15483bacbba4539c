/// A read-only view of a state or parameter vector handed to a right-hand side: no copy, no
/// allocation. Indices are 0-based and checked in debug builds.
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
/// Conform a small struct; the right-hand side writes `dy` in place and must not allocate.
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

    /// Whether ``jacobian(t:y:p:into:)`` is implemented; when false, stiff solvers difference f.
    var hasAnalyticJacobian: Bool { get }

    /// Writes ∂f/∂y (n×n, column-major: entry (i, j) = ∂fᵢ/∂yⱼ) into `jacobian`, which arrives
    /// filled with zeros.
    func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>)

    /// Whether f does not depend on t explicitly (saves the ∂f/∂t evaluation of Rosenbrock methods).
    var isAutonomous: Bool { get }

    /// f with `Double`s: the entry point of the single-trajectory solvers. Leave it to the default,
    /// which forwards to ``rightHandSide(t:y:p:dy:)``; it exists so that the forwarding is
    /// compiled, and specialised, in the module that defines the system.
    func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure)

    /// f with ``Dual`` numbers, for forward sensitivities. Leave it to the default.
    func evaluate(t: Dual, y: ODEVector<Dual>, p: ODEVector<Dual>, dy: ODEMutableVector<Dual>) throws(RightHandSideFailure)

    /// f for 2, 4 or 8 patients at once, for the ensemble engine. Leave them to the defaults.
    func evaluate(t: Lanes<SIMD2<Double>>, y: ODEVector<Lanes<SIMD2<Double>>>, p: ODEVector<Lanes<SIMD2<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD2<Double>>>) throws(RightHandSideFailure)
    func evaluate(t: Lanes<SIMD4<Double>>, y: ODEVector<Lanes<SIMD4<Double>>>, p: ODEVector<Lanes<SIMD4<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD4<Double>>>) throws(RightHandSideFailure)
    func evaluate(t: Lanes<SIMD8<Double>>, y: ODEVector<Lanes<SIMD8<Double>>>, p: ODEVector<Lanes<SIMD8<Double>>>,
                  dy: ODEMutableVector<Lanes<SIMD8<Double>>>) throws(RightHandSideFailure)

    /// The stages of one explicit Runge–Kutta trial step for 2, 4 or 8 patients at once (see
    /// ``LaneStages``); returns 7, or the stage whose right-hand side threw. Leave them to the
    /// defaults: they compile the ensemble engine's stage loop together with this system's
    /// right-hand side (mark a small `rightHandSide` `@inline(__always)` to make sure it is
    /// inlined there; what it derives from the parameters alone is then computed once per step).
    func evaluateStages(_ stages: LaneStages<SIMD2<Double>>) -> Int
    func evaluateStages(_ stages: LaneStages<SIMD4<Double>>) -> Int
    func evaluateStages(_ stages: LaneStages<SIMD8<Double>>) -> Int
}

extension ODESystem {
    @inlinable
    public func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @inlinable
    public func evaluate(t: Dual, y: ODEVector<Dual>, p: ODEVector<Dual>, dy: ODEMutableVector<Dual>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @inlinable
    public func evaluate(t: Lanes<SIMD2<Double>>, y: ODEVector<Lanes<SIMD2<Double>>>, p: ODEVector<Lanes<SIMD2<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD2<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @inlinable
    public func evaluate(t: Lanes<SIMD4<Double>>, y: ODEVector<Lanes<SIMD4<Double>>>, p: ODEVector<Lanes<SIMD4<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD4<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @inlinable
    public func evaluate(t: Lanes<SIMD8<Double>>, y: ODEVector<Lanes<SIMD8<Double>>>, p: ODEVector<Lanes<SIMD8<Double>>>,
                         dy: ODEMutableVector<Lanes<SIMD8<Double>>>) throws(RightHandSideFailure) {
        try rightHandSide(t: t, y: y, p: p, dy: dy)
    }

    @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD2<Double>>) -> Int { stages.run(self) }

    @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD4<Double>>) -> Int { stages.run(self) }

    @inlinable
    public func evaluateStages(_ stages: LaneStages<SIMD8<Double>>) -> Int { stages.run(self) }

    public var hasAnalyticJacobian: Bool { false }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) {}
    public var isAutonomous: Bool { false }
}
