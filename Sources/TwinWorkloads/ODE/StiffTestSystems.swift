import TwinODE

/// Robertson's chemical kinetics (1966), the classic stiff test: parameters (k₁, k₂, k₃) =
/// (0.04, 3·10⁷, 10⁴), y₀ = (1, 0, 0). Hairer and Wanner (1996), §IV.1.
public struct Robertson: ODESystem {
    public init() {}
    public static let typicalParameters: [Double] = [0.04, 3e7, 1e4]
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 3 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let a = p[0] * y[0]
        let b = p[2] * y[1] * y[2]
        let c = p[1] * y[1] * y[1]
        dy[0] = b - a
        dy[1] = a - b - c
        dy[2] = c
    }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let (k1, k2, k3) = (p[0], p[1], p[2])
        // Column-major: J[i + 3j] = ∂fᵢ/∂yⱼ.
        J[0] = -k1; J[1] = k1; J[2] = 0
        J[3] = k3 * y[2]; J[4] = -k3 * y[2] - 2 * k2 * y[1]; J[5] = 2 * k2 * y[1]
        J[6] = k3 * y[1]; J[7] = -k3 * y[1]; J[8] = 0
        return true
    }
}

/// Van der Pol's oscillator in its unscaled form y₁′ = y₂, y₂′ = μ(1 − y₁²)y₂ − y₁; parameter μ
/// (1000 for the stiff test on [0, 3000] from (2, 0)). Hairer and Wanner (1996), §IV.1.
public struct VanDerPol: ODESystem {
    public init() {}
    public var stateCount: Int { 2 }
    public var parameterCount: Int { 1 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = y[1]
        dy[1] = p[0] * (1 - y[0] * y[0]) * y[1] - y[0]
    }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let mu = p[0]
        J[0] = 0; J[1] = -2 * mu * y[0] * y[1] - 1
        J[2] = 1; J[3] = mu * (1 - y[0] * y[0])
        return true
    }
}

/// HIRES, the "high irradiance response" of plant morphogenesis (Schäfer 1975), eight stiff
/// equations on [0, 321.8122] from (1, 0, 0, 0, 0, 0, 0, 0.0057). Hairer and Wanner (1996), §IV.10.
public struct HIRES: ODESystem {
    public init() {}
    public static let initialState: [Double] = [1, 0, 0, 0, 0, 0, 0, 0.0057]
    public static let end = 321.8122
    public var stateCount: Int { 8 }
    public var parameterCount: Int { 0 }
    public var isAutonomous: Bool { true }
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let r = 280 * y[5] * y[7]
        dy[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007
        dy[1] = 1.71 * y[0] - 8.75 * y[1]
        dy[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4]
        dy[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3]
        dy[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6]
        dy[5] = -r + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6]
        dy[6] = r - 1.81 * y[6]
        dy[7] = -r + 1.81 * y[6]
    }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        func set(_ i: Int, _ j: Int, _ v: Double) { J[i + 8 * j] = v }
        set(0, 0, -1.71); set(0, 1, 0.43); set(0, 2, 8.32)
        set(1, 0, 1.71); set(1, 1, -8.75)
        set(2, 2, -10.03); set(2, 3, 0.43); set(2, 4, 0.035)
        set(3, 1, 8.32); set(3, 2, 1.71); set(3, 3, -1.12)
        set(4, 4, -1.745); set(4, 5, 0.43); set(4, 6, 0.43)
        set(5, 3, 0.69); set(5, 4, 1.71); set(5, 5, -0.43 - 280 * y[7]); set(5, 6, 0.69); set(5, 7, -280 * y[5])
        set(6, 5, 280 * y[7]); set(6, 6, -1.81); set(6, 7, 280 * y[5])
        set(7, 5, -280 * y[7]); set(7, 6, 1.81); set(7, 7, -280 * y[5])
        return true
    }
}
