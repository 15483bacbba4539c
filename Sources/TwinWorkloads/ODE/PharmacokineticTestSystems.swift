import TwinODE

/// Two-compartment pharmacokinetics with first-order oral absorption, amounts in mg, t in h:
/// gut′ = −ka·gut; central′ = ka·gut − (CL/V1 + Q/V1)·central + (Q/V2)·periph;
/// periph′ = (Q/V1)·central − (Q/V2)·periph. Parameters (ka 1/h, CL L/h, V1 L, Q L/h, V2 L),
/// typical (1, 5, 20, 2, 40) — the `pk` problem of `../shared/peers/models.h`.
public struct TwoCompartmentOral: ODESystem {
    public init() {}
    public static let typicalParameters: [Double] = [1, 5, 20, 2, 40]
    public var stateCount: Int { 3 }
    public var parameterCount: Int { 5 }
    public var isAutonomous: Bool { true }
    @inline(__always)
    public func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        let ka = p[0], k10 = p[1] / p[2], k12 = p[3] / p[2], k21 = p[3] / p[4]
        let absorbed = ka * y[0]
        let toPeripheral = k12 * y[1]
        let fromPeripheral = k21 * y[2]
        dy[0] = -absorbed
        dy[1] = absorbed - k10 * y[1] - toPeripheral + fromPeripheral
        dy[2] = toPeripheral - fromPeripheral
    }
    public func jacobian(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, into J: ODEMutableVector<Double>) -> Bool {
        let ka = p[0], k10 = p[1] / p[2], k12 = p[3] / p[2], k21 = p[3] / p[4]
        J[0] = -ka; J[1] = ka
        J[4] = -(k10 + k12); J[5] = k12
        J[7] = k21; J[8] = -k21
        return true
    }
}
