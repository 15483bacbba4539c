/// The forward sensitivity (variational) system of a base system: states y and the n×P matrix
/// S = ∂y/∂p for P chosen parameters, with
///
/// ```
/// y′ = f(t, y, p)
/// S′ = (∂f/∂y)·S + ∂f/∂p
/// ```
///
/// Both right-hand sides come from one evaluation of f with ``Dual`` numbers: states carry the
/// rows of S as their derivative parts and each chosen parameter a unit seed, so the dual
/// result's parts are exactly (∂f/∂y)·S + ∂f/∂p. The augmented state is laid out as
/// [y₀ … yₙ₋₁, S₀₀ … Sₙ₋₁,₀, S₀₁ …] (S column-major). Solved like any system, with error
/// control on states and sensitivities together (SUNDIALS CVODES calls this the simultaneous
/// corrector; Hindmarsh et al. 2005, ACM TOMS 31, 363–396).
struct SensitivitySystem<Base: ODESystem>: ODESystem {
    let base: Base
    /// Indices of the parameters differentiated against (at most ``Dual/capacity``).
    let parameterIndices: [Int]
    let scratch: DualScratch

    init(base: Base, parameterIndices: [Int]) {
        self.base = base
        self.parameterIndices = parameterIndices
        self.scratch = DualScratch(states: base.stateCount, parameters: base.parameterCount)
    }

    var stateCount: Int { base.stateCount * (1 + parameterIndices.count) }
    var parameterCount: Int { base.parameterCount }
    var isAutonomous: Bool { base.isAutonomous }

    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        throw .unrecoverable("the sensitivity system is evaluated in Double only")
    }

    func evaluate(t: Double, y: ODEVector<Double>, p: ODEVector<Double>, dy: ODEMutableVector<Double>) throws(RightHandSideFailure) {
        let n = base.stateCount
        let count = parameterIndices.count
        let yd = scratch.y, pd = scratch.p, fd = scratch.f
        for i in 0..<n {
            var partials = SIMD16<Double>.zero
            for k in 0..<count { partials[k] = y[n + k * n + i] }
            yd[i] = Dual(value: y[i], partials: partials)
        }
        for j in 0..<base.parameterCount { pd[j] = Dual(p[j]) }
        for (k, j) in parameterIndices.enumerated() { pd[j].partials[k] = 1 }
        try base.evaluate(t: Dual(t), y: ODEVector(UnsafePointer(yd), count: n), p: ODEVector(UnsafePointer(pd), count: base.parameterCount),
                          dy: ODEMutableVector(fd, count: n))
        for i in 0..<n {
            dy[i] = fd[i].value
            for k in 0..<count { dy[n + k * n + i] = fd[i].partials[k] }
        }
    }
}

/// Dual-number work vectors of one sensitivity solve, allocated once.
final class DualScratch: @unchecked Sendable {
    // Safe to mark Sendable: each solve builds its own system and scratch and evaluates its
    // right-hand side on one thread at a time; the buffers never cross into another solve.
    let y: UnsafeMutablePointer<Dual>
    let p: UnsafeMutablePointer<Dual>
    let f: UnsafeMutablePointer<Dual>
    private let states: Int, parameters: Int

    init(states: Int, parameters: Int) {
        self.states = max(1, states)
        self.parameters = max(1, parameters)
        y = .allocate(capacity: self.states)
        y.initialize(repeating: Dual(0), count: self.states)
        p = .allocate(capacity: self.parameters)
        p.initialize(repeating: Dual(0), count: self.parameters)
        f = .allocate(capacity: self.states)
        f.initialize(repeating: Dual(0), count: self.states)
    }

    deinit {
        y.deallocate()
        p.deallocate()
        f.deallocate()
    }
}
