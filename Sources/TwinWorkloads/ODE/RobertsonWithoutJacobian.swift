import TwinODE

/// ``Robertson`` without its analytic Jacobian, so the solvers difference the right-hand side:
/// the workload that checks finite-difference Jacobians against analytic ones.
///
/// ```swift
/// let problem = try ODEProblem(system: RobertsonWithoutJacobian(), initialState: [1, 0, 0],
///                              timeSpan: (0, 1e5), parameters: Robertson.typicalParameters)
/// ```
public struct RobertsonWithoutJacobian: ODESystem {
    public init() {}
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 3 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        try Robertson().rightHandSide(t: t, y: y, p: p, dy: dy)
    }
}
