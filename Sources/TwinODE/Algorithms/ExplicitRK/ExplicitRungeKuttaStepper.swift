/// Advances a trajectory with a seven-stage FSAL Runge–Kutta pair (DP5, Tsit5): PI step control
/// on the weighted RMS error, Hairer's initial step, recoverable right-hand-side failures
/// retried with a quarter of the step. All storage is allocated once, here.
final class ExplicitRungeKuttaStepper<System: ODESystem>: EmbeddedErrorStepper {
    let context: SolverContext<System>
    let tableau: ExplicitRungeKuttaTableau
    let n: Int
    var t: Double
    private(set) var tPrevious: Double
    let y: UnsafeMutablePointer<Double>
    /// State at the start of the last accepted step.
    private let y0: UnsafeMutablePointer<Double>
    private let yNew: UnsafeMutablePointer<Double>
    private let stageY: UnsafeMutablePointer<Double>
    private let errorVector: UnsafeMutablePointer<Double>
    /// k₁ … k₇, n each; k₁ of the next step is k₇ of this one (first same as last).
    private let k: UnsafeMutablePointer<Double>
    /// The accepted step's k values (for interpolation), copied on acceptance.
    private let kLast: UnsafeMutablePointer<Double>
    private let a: UnsafeMutablePointer<Double>
    private let c: UnsafeMutablePointer<Double>
    private let e: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>
    var h: Double
    private(set) var hLast = 0.0
    var controller = PIController(.explicitPair)
    private var derivativeIsCurrent = false
    let options: ODEOptions
    let maxStep: Double
    var rejectedLastAttempt = false

    init(context: SolverContext<System>, tableau: ExplicitRungeKuttaTableau, options: ODEOptions, t0: Double, y0 initial: [Double], tEnd: Double) {
        self.context = context
        self.tableau = tableau
        self.options = options
        n = context.n
        t = t0
        tPrevious = t0
        let size = max(1, n)
        y = .allocate(capacity: size)
        y0 = .allocate(capacity: size)
        yNew = .allocate(capacity: size)
        stageY = .allocate(capacity: size)
        errorVector = .allocate(capacity: size)
        k = .allocate(capacity: 7 * size)
        kLast = .allocate(capacity: 7 * size)
        a = .allocate(capacity: 21); a.initialize(from: tableau.a, count: 21)
        c = .allocate(capacity: 6); c.initialize(from: tableau.c, count: 6)
        e = .allocate(capacity: 7); e.initialize(from: tableau.errorWeights, count: 7)
        r = .allocate(capacity: 28); r.initialize(from: tableau.interpolation, count: 28)
        for i in 0..<n { y[i] = initial[i]; y0[i] = initial[i] }
        k.initialize(repeating: 0, count: 7 * size)
        kLast.initialize(repeating: 0, count: 7 * size)
        maxStep = min(options.maxStep ?? .infinity, tEnd - t0)
        h = options.fixedStep ?? options.initialStep ?? 0
    }

    deinit {
        for p in [y, y0, yNew, stageY, errorVector, k, kLast, a, c, e, r] { p.deallocate() }
    }

    /// Makes k₁ = f(t, y) current and, on the first call, picks the initial step.
    private func prepare() -> ODEStatus? {
        if derivativeIsCurrent { return nil }
        if let failure = context.f(t, y, k) { return .rightHandSideFailed(time: t, message: failure.message) }
        derivativeIsCurrent = true
        if h == 0 {
            // The error estimate's order (4): exponent 1/5, as IORD = 5 in Hairer's DOPRI5 code.
            h = hairerInitialStep(context, order: StepControlParameters.explicitPair.estimatorOrder, t0: t, y0: y, f0: k, scratchY: stageY, scratchF: yNew, maxStep: maxStep)
        }
        return nil
    }

    func step(limit: Double) -> ODEStatus? {
        if let failure = prepare() { return failure }
        return adaptiveStep(limit: limit)
    }

    /// Computes stages 2 … 7 for step hh from (t, y) with k₁ current; yNew and the error norm.
    @inline(__always)
    func attempt(_ hh: Double) -> StepAttempt {
        let n = self.n
        var row = 0
        for s in 1..<7 {
            // stageY = y + h Σ_{j<s} a[s][j] k_j
            for i in 0..<n { stageY[i] = y[i] }
            for j in 0..<s {
                let coefficient = hh * a[row + j]
                if coefficient != 0 {
                    let kj = k + j * n
                    for i in 0..<n { stageY[i] += coefficient * kj[i] }
                }
            }
            row += s
            let ts = s == 6 ? t + hh : t + c[s - 1] * hh
            if s == 6 { for i in 0..<n { yNew[i] = stageY[i] } }
            if let failure = context.f(ts, stageY, k + s * n) {
                if case .recoverable = failure { return .recoverableFailure }
                return .failure(failure)
            }
        }
        for i in 0..<n {
            var sum = 0.0
            for s in 0..<7 { sum += e[s] * k[s * n + i] }
            errorVector[i] = hh * sum
        }
        let err = context.errorNorm(errorVector, y, yNew)
        return .computed(error: err.isNaN ? .infinity : err)
    }

    func accept(_ hh: Double, landsOnLimit: Bool, limit: Double) {
        context.statistics.acceptedSteps += 1
        for i in 0..<n { y0[i] = y[i]; y[i] = yNew[i] }
        kLast.update(from: k, count: 7 * n)
        // First same as last: k₇ at (t + h, yNew) is the next step's k₁.
        k.update(from: k + 6 * n, count: n)
        tPrevious = t
        t = landsOnLimit ? limit : t + hh
        hLast = hh
    }

    func interpolate(at time: Double, into out: UnsafeMutablePointer<Double>) {
        let theta = hLast > 0 ? (time - tPrevious) / hLast : 0
        for i in 0..<n {
            var acc = 0.0
            for s in 0..<7 {
                let rs = r + 4 * s
                let b = theta * (rs[0] + theta * (rs[1] + theta * (rs[2] + theta * rs[3])))
                acc += b * kLast[s * n + i]
            }
            out[i] = y0[i] + hLast * acc
        }
    }

    func appendDenseSegment(to dense: inout DenseOutput) {
        let (n, hh) = (self.n, hLast)
        dense.append(start: tPrevious, length: hh, degree: 4) { power, out in
            if power == 0 {
                for i in 0..<n { out[i] = y0[i] }
                return
            }
            for i in 0..<n {
                var acc = 0.0
                for s in 0..<7 { acc += r[4 * s + power - 1] * kLast[s * n + i] }
                out[i] = hh * acc
            }
        }
    }

    func truncate(at time: Double) {
        interpolate(at: time, into: yNew)
        for i in 0..<n { y[i] = yNew[i] }
        t = time
        derivativeIsCurrent = false
    }

    func restart() -> ODEStatus? {
        derivativeIsCurrent = false
        return prepare()
    }
}

/// Dormand–Prince 5(4) (DOPRI5): the classic non-stiff pair, 6 right-hand sides per step (FSAL),
/// order-4 dense output. Dormand and Prince (1980), J. Comput. Appl. Math. 6, 19–26.
public struct DormandPrince5: ODEAlgorithm {
    public init() {}
    public var name: String { "DP5" }
    public var order: Int { 5 }
    public var isStiff: Bool { false }
    public var descriptor: AlgorithmDescriptor { AlgorithmDescriptor(kind: .dormandPrince5) }
}

/// Tsitouras 5(4): like DP5 but with coefficients chosen for smaller error constants; usually the
/// most efficient non-stiff method at moderate tolerances. Tsitouras (2011), Comput. Math. Appl. 62, 770–775.
public struct Tsitouras5: ODEAlgorithm {
    public init() {}
    public var name: String { "Tsit5" }
    public var order: Int { 5 }
    public var isStiff: Bool { false }
    public var descriptor: AlgorithmDescriptor { AlgorithmDescriptor(kind: .tsitouras5) }
}

extension ODEAlgorithm where Self == DormandPrince5 {
    /// Dormand–Prince 5(4).
    public static var dp5: DormandPrince5 { DormandPrince5() }
}

extension ODEAlgorithm where Self == Tsitouras5 {
    /// Tsitouras 5(4).
    public static var tsit5: Tsitouras5 { Tsitouras5() }
}
