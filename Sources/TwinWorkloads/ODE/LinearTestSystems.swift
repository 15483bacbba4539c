import TwinODE

/// y′ = −k·y: y(t) = y₀·e^(−kt). Parameter k.
public struct ExponentialDecay: ODESystem {
    public init() {}
    public var stateCount: Int { 1 }
    public var parameterCount: Int { 1 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = -p[0] * y[0]
    }
}

/// y₁′ = y₂, y₂′ = −ω²·y₁: y₁ = cos ωt, y₂ = −ω sin ωt from (1, 0). Parameter ω.
public struct HarmonicOscillator: ODESystem {
    public init() {}
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 1 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = y[1]
        dy[1] = -(p[0] * p[0]) * y[0]
    }
}

/// y′ = A·y for a constant n×n matrix A (column-major), with its exact Jacobian A.
public struct LinearSystem: ODESystem {
    public let matrix: [Double]
    public let stateCount: Int
    public init(columnMajor matrix: [Double], order: Int) {
        self.matrix = matrix
        self.stateCount = order
    }
    public var parameterCount: Int { 0 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let n = stateCount
        for i in 0..<n {
            var s = S(0)
            for j in 0..<n { s += S(matrix[i + j * n]) * y[j] }
            dy[i] = s
        }
    }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into jacobian: ODEMutableVector<Double>) -> Bool {
        for k in 0..<(stateCount * stateCount) { jacobian[k] = matrix[k] }
        return true
    }
}
