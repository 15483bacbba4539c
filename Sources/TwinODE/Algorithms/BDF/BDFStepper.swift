import RealModule

/// Advances a trajectory with variable-order BDF (see ``BDF``). `D` holds the backward
/// differences D₀ = yₙ, D₁ = ∇yₙ, …, scaled to the current step h.
final class BDFStepper<System: ODESystem>: ODEStepper {
    static var newtonMaxIterations: Int { 4 }
    static var minFactor: Double { StepControlParameters.minimumFactor }
    static var maxFactor: Double { StepControlParameters.bdf.maximumFactor }

    let context: SolverContext<System>
    let n: Int
    let maxOrder: Int
    private(set) var t: Double
    private(set) var tPrevious: Double
    let y: UnsafeMutablePointer<Double>
    private let D: UnsafeMutablePointer<Double>
    private let interpolationD: UnsafeMutablePointer<Double>
    private var interpolationOrder = 0
    private let yPredict: UnsafeMutablePointer<Double>
    private let psi: UnsafeMutablePointer<Double>
    private let scale: UnsafeMutablePointer<Double>
    private let d: UnsafeMutablePointer<Double>
    private let yNew: UnsafeMutablePointer<Double>
    private let fNew: UnsafeMutablePointer<Double>
    private let dy: UnsafeMutablePointer<Double>
    private let jac: UnsafeMutablePointer<Double>
    private let scratch: UnsafeMutablePointer<Double>
    /// R, U and R·U for step changes (6×6 each) and the rescaled rows.
    private let changeWork: UnsafeMutablePointer<Double>
    private let changeRows: UnsafeMutablePointer<Double>
    private let linear: DenseLinearSolver
    private var luIsCurrent = false
    private var jacobianIsCurrent = false
    private var haveJacobian = false
    private var order = 1
    private var h = 0.0
    private var hLast = 0.0
    private var equalSteps = 0
    private let gamma: [Double]
    private let alpha: [Double]
    private let errorConstant: [Double]
    private let newtonTolerance: Double
    private let options: ODEOptions
    private let maxStep: Double
    private var started = false
    /// Fixed order for convergence studies (with `options.fixedStep` and a starting history).
    private let fixedOrder: Int?

    init(context: SolverContext<System>, maxOrder: Int, options: ODEOptions, t0: Double, y0 initial: [Double], tEnd: Double,
         startingHistory: [[Double]]? = nil) {
        self.context = context
        self.options = options
        self.maxOrder = maxOrder
        n = context.n
        t = t0
        tPrevious = t0
        let size = max(1, n)
        let rows = maxOrder + 3
        y = .allocate(capacity: size)
        D = .allocate(capacity: rows * size)
        interpolationD = .allocate(capacity: (maxOrder + 1) * size)
        yPredict = .allocate(capacity: size)
        psi = .allocate(capacity: size)
        scale = .allocate(capacity: size)
        d = .allocate(capacity: size)
        yNew = .allocate(capacity: size)
        fNew = .allocate(capacity: size)
        dy = .allocate(capacity: size)
        jac = .allocate(capacity: size * size)
        scratch = .allocate(capacity: size)
        changeWork = .allocate(capacity: 108)
        changeWork.initialize(repeating: 0, count: 108)
        changeRows = .allocate(capacity: 6 * size)
        changeRows.initialize(repeating: 0, count: 6 * size)
        D.initialize(repeating: 0, count: rows * size)
        interpolationD.initialize(repeating: 0, count: (maxOrder + 1) * size)
        for p in [yPredict, psi, scale, d, yNew, fNew, dy, scratch] { p.initialize(repeating: 0, count: size) }
        jac.initialize(repeating: 0, count: size * size)
        for i in 0..<n { y[i] = initial[i] }
        linear = DenseLinearSolver(order: n)
        // Pure BDF: the NDF modification κ of Shampine and Reichelt is zero, so αₖ = γₖ = Σⱼ≤ₖ 1/j
        // and the local error constant is 1/(k + 1).
        var g = [0.0]
        for j in 1...6 { g.append(g[j - 1] + 1 / Double(j)) }
        gamma = g
        alpha = g
        errorConstant = (0...6).map { 1 / Double($0 + 1) }
        let rtol = max(options.relativeTolerance, 1e-300)
        newtonTolerance = max(10 * Double.ulpOfOne / rtol, min(0.03, rtol.squareRoot()))
        maxStep = min(options.maxStep ?? .infinity, tEnd - t0)
        if let history = startingHistory, let hFixed = options.fixedStep {
            // Backward differences of the given past values yₙ, yₙ₋₁, …: Dⱼ = ∇ʲyₙ.
            let k = history.count - 1
            var columns = history
            for j in 0...k {
                for i in 0..<n { D[j * n + i] = columns[0][i] }
                if j < k {
                    let count = context.n
                    columns = (0..<(columns.count - 1)).map { m in (0..<count).map { columns[m][$0] - columns[m + 1][$0] } }
                }
            }
            order = k
            h = hFixed
            fixedOrder = k
            started = true
        } else {
            fixedOrder = nil
        }
    }

    deinit {
        for p in [y, D, interpolationD, yPredict, psi, scale, d, yNew, fNew, dy, jac, scratch, changeWork, changeRows] { p.deallocate() }
    }

    /// Order 1 from the current (t, y): D₀ = y, D₁ = h·f(t, y).
    private func start() -> ODEStatus? {
        if let failure = context.f(t, y, fNew) { return .rightHandSideFailed(time: t, message: failure.message) }
        if let fixed = options.fixedStep { h = fixed } else if let h0 = options.initialStep, !started {
            h = min(h0, maxStep)
        } else {
            h = hairerInitialStep(context, order: StepControlParameters.bdf.estimatorOrder, t0: t, y0: y, f0: fNew, scratchY: yNew, scratchF: dy, maxStep: maxStep)
        }
        for j in 0..<(maxOrder + 3) { for i in 0..<n { D[j * n + i] = 0 } }
        for i in 0..<n { D[i] = y[i]; D[n + i] = h * fNew[i] }
        order = 1
        equalSteps = 0
        luIsCurrent = false
        jacobianIsCurrent = false
        haveJacobian = false
        started = true
        return nil
    }

    /// R(order, factor) of Shampine and Reichelt: Rᵢⱼ = Πₘ₌₁ⁱ (m − 1 − factor·j)/m, R₀ⱼ = 1
    /// (row-major, (k+1)×(k+1)).
    private func rMatrix(_ k: Int, _ factor: Double, into r: UnsafeMutablePointer<Double>) {
        let size = k + 1
        for j in 0..<size { r[j] = 1 }
        for i in 1..<max(1, size) {
            for j in 0..<size {
                let m = j == 0 ? 0 : (Double(i) - 1 - factor * Double(j)) / Double(i)
                r[i * size + j] = r[(i - 1) * size + j] * m
            }
        }
    }

    /// Rescales D₀ … D_order for a new step h·factor: D ← (R·U)ᵀ·D.
    private func changeStep(by factor: Double) {
        let size = order + 1
        let r = changeWork, u = changeWork + 36, ru = changeWork + 72
        rMatrix(order, factor, into: r)
        rMatrix(order, 1, into: u)
        for i in 0..<size { for j in 0..<size {
            var s = 0.0
            for m in 0..<size { s += r[i * size + m] * u[m * size + j] }
            ru[i * size + j] = s
        } }
        for j in 0..<size {
            let row = changeRows + j * n
            for i in 0..<n { row[i] = 0 }
            for m in 0..<size {
                let w = ru[m * size + j]
                let source = D + m * n
                for i in 0..<n { row[i] += w * source[i] }
            }
        }
        D.update(from: changeRows, count: size * n)
        h *= factor
        luIsCurrent = false
    }

    func step(limit: Double) -> ODEStatus? {
        if !started, let failure = start() { return failure }
        let adaptive = options.fixedStep == nil
        var newtonFailures = 0
        while true {
            // Respect the maximum step and land exactly on the limit.
            if adaptive && h > maxStep { changeStep(by: maxStep / h) }
            var landsOnLimit = false
            if t + h * 1.01 >= limit {
                let target = limit - t
                // Already there up to rounding (StepSizeFloor: a few ulps of t, relative to the span near 0).
                if target <= context.stepFloor.minimum(at: t) { t = limit; return nil }
                if target != h { changeStep(by: target / h) }
                landsOnLimit = true
            }
            if h <= context.stepFloor.minimum(at: t) { return .stepSizeTooSmall(time: t, step: h) }
            let tNew = landsOnLimit ? limit : t + h

            for i in 0..<n {
                var sum = 0.0
                var p = 0.0
                for j in 0...order { sum += D[j * n + i] }
                for j in 1...order { p += gamma[j] * D[j * n + i] }
                yPredict[i] = sum
                psi[i] = p / alpha[order]
                scale[i] = WeightedErrorNorm.weight(absolute: context.absoluteTolerance[i], relative: context.relativeTolerance, sum, sum)
            }
            let c = h / alpha[order]
            if !haveJacobian {
                if let failure = context.f(tNew, yPredict, fNew) { return .rightHandSideFailed(time: t, message: failure.message) }
                if let failure = context.jacobian(tNew, yPredict, fNew, h: h, into: jac) { return .rightHandSideFailed(time: t, message: failure.message) }
                haveJacobian = true
                jacobianIsCurrent = true
                luIsCurrent = false
            }
            if !luIsCurrent {
                let m = linear.matrix
                for idx in 0..<(n * n) { m[idx] = -c * jac[idx] }
                for i in 0..<n { m[i + i * n] += 1 }
                context.statistics.luFactorizations += 1
                if linear.factor() {
                    luIsCurrent = true
                } else {
                    // Singular I − cJ: a fresh Jacobian, then a smaller step.
                    context.statistics.rejectedSteps += 1
                    newtonFailures += 1
                    if newtonFailures > 10 || !adaptive { return .singularIterationMatrix(time: t) }
                    if !jacobianIsCurrent { haveJacobian = false } else { changeStep(by: 0.5); equalSteps = 0 }
                    continue
                }
            }

            let (converged, iterations, recoverableFailure) = newton(tNew: tNew, c: c)
            if !converged {
                if let failure = recoverableFailure, case .unrecoverable = failure {
                    return .rightHandSideFailed(time: t, message: failure.message)
                }
                newtonFailures += 1
                context.statistics.rejectedSteps += 1
                if !adaptive { return .newtonDidNotConverge(time: t) }
                if newtonFailures > 20 { return .newtonDidNotConverge(time: t) }
                if !jacobianIsCurrent && recoverableFailure == nil {
                    haveJacobian = false
                } else {
                    changeStep(by: 0.5)
                    equalSteps = 0
                }
                continue
            }

            let safety = StepControlParameters.safety * Double(2 * Self.newtonMaxIterations + 1) / Double(2 * Self.newtonMaxIterations + iterations)
            for i in 0..<n { scale[i] = WeightedErrorNorm.weight(absolute: context.absoluteTolerance[i], relative: context.relativeTolerance, yNew[i], yNew[i]) }
            var errorNorm = weightedNorm(d, factor: errorConstant[order])
            if errorNorm.isNaN { errorNorm = .infinity }
            if adaptive && errorNorm > 1 {
                context.statistics.rejectedSteps += 1
                let factor = max(Self.minFactor, safety * Double.pow(errorNorm, -1 / Double(order + 1)))
                changeStep(by: factor)
                equalSteps = 0
                if context.statistics.acceptedSteps + context.statistics.rejectedSteps >= options.maxSteps {
                    return .tooManySteps(time: t, steps: context.statistics.acceptedSteps + context.statistics.rejectedSteps)
                }
                continue
            }

            // Accept.
            context.statistics.acceptedSteps += 1
            tPrevious = t
            t = tNew
            hLast = h
            for i in 0..<n { y[i] = yNew[i] }
            equalSteps += 1
            for i in 0..<n {
                D[(order + 2) * n + i] = d[i] - D[(order + 1) * n + i]
                D[(order + 1) * n + i] = d[i]
            }
            var j = order
            while j >= 0 {
                for i in 0..<n { D[j * n + i] += D[(j + 1) * n + i] }
                j -= 1
            }
            interpolationOrder = order
            interpolationD.update(from: D, count: (order + 1) * n)
            jacobianIsCurrent = false
            for i in 0..<n where !y[i].isFinite { return .nonFiniteState(time: t) }

            if !adaptive || fixedOrder != nil || equalSteps < order + 1 { return nil }
            // Order and step selection from the error estimates of orders k − 1, k, k + 1.
            let below = order > 1 ? weightedNorm(D + order * n, factor: errorConstant[order - 1]) : .infinity
            let above = order < maxOrder ? weightedNorm(D + (order + 2) * n, factor: errorConstant[order + 1]) : .infinity
            // Step factors for orders k − 1, k, k + 1 (no array: this runs every few steps).
            func factor(_ e: Double, _ k: Int) -> Double { e == 0 ? Self.maxFactor : Double.pow(e, -1 / Double(order + k)) }
            let (f0, f1, f2) = (factor(below, 0), factor(errorNorm, 1), factor(above, 2))
            var best = 1
            var bestFactor = f1
            if f0 > bestFactor { best = 0; bestFactor = f0 }
            if f2 > bestFactor { best = 2; bestFactor = f2 }
            order += best - 1
            changeStep(by: min(Self.maxFactor, safety * bestFactor))
            equalSteps = 0
            return nil
        }
    }

    /// The simplified Newton iteration for yNew = yPredict + d solving the BDF equation; returns
    /// whether it converged, the iterations used, and a right-hand-side failure if one stopped it.
    private func newton(tNew: Double, c: Double) -> (Bool, Int, RightHandSideFailure?) {
        for i in 0..<n { d[i] = 0; yNew[i] = yPredict[i] }
        var previousNorm = -1.0
        let maxIterations = Self.newtonMaxIterations
        for k in 0..<maxIterations {
            if let failure = context.f(tNew, yNew, fNew) { return (false, k + 1, failure) }
            var finite = true
            for i in 0..<n where !fNew[i].isFinite { finite = false }
            if !finite { return (false, k + 1, nil) }
            for i in 0..<n { dy[i] = c * fNew[i] - psi[i] - d[i] }
            linear.solve(dy)
            context.statistics.linearSolves += 1
            let dyNorm = weightedNorm(dy, factor: 1)
            if previousNorm >= 0 {
                let rate = dyNorm / previousNorm
                if rate >= 1 || Double.pow(rate, maxIterations - k) / (1 - rate) * dyNorm > newtonTolerance {
                    return (false, k + 1, nil)
                }
                for i in 0..<n { yNew[i] += dy[i]; d[i] += dy[i] }
                if dyNorm == 0 || rate / (1 - rate) * dyNorm < newtonTolerance { return (true, k + 1, nil) }
            } else {
                for i in 0..<n { yNew[i] += dy[i]; d[i] += dy[i] }
                if dyNorm == 0 { return (true, k + 1, nil) }
            }
            previousNorm = dyNorm
        }
        return (false, maxIterations, nil)
    }

    /// ``WeightedErrorNorm`` of factor·v, with the weights `scale` taken at the step's start (a = b = y).
    @inline(__always)
    private func weightedNorm(_ v: UnsafePointer<Double>, factor: Double) -> Double {
        var s = 0.0
        for i in 0..<n { let r = factor * v[i] / scale[i]; s += r * r }
        return WeightedErrorNorm.norm(squaredSum: s, count: n)
    }

    /// The coefficients of Pⱼ(θ) = Πₘ₌₀ʲ⁻¹ (θ − 1 + m)/(m + 1) in powers of θ, j = 0 … k.
    private func basisPolynomials(_ k: Int) -> [[Double]] {
        var polys: [[Double]] = [[1]]
        for j in 1...max(1, k) {
            let prev = polys[j - 1]
            let m = Double(j - 1)
            // multiply by (θ + (m − 1)) / (m + 1)
            var next = [Double](repeating: 0, count: prev.count + 1)
            for (p, coefficient) in prev.enumerated() {
                next[p + 1] += coefficient / (m + 1)
                next[p] += coefficient * (m - 1) / (m + 1)
            }
            polys.append(next)
        }
        return polys
    }

    func interpolate(at time: Double, into out: UnsafeMutablePointer<Double>) {
        let theta = hLast > 0 ? (time - t) / hLast : 0   // measured back from t: θ' = θ − 1
        for i in 0..<n { out[i] = interpolationD[i] }
        var p = 1.0
        for j in 1...max(1, interpolationOrder) where j <= interpolationOrder {
            p *= (theta + Double(j - 1)) / Double(j)
            for i in 0..<n { out[i] += interpolationD[j * n + i] * p }
        }
    }

    func appendDenseSegment(to dense: inout DenseOutput) {
        let k = interpolationOrder
        let polys = basisPolynomials(k)
        let n = self.n
        dense.append(start: tPrevious, length: hLast, degree: max(1, k)) { power, out in
            for i in 0..<n {
                var s = 0.0
                for j in 0...k where power < polys[j].count { s += polys[j][power] * interpolationD[j * n + i] }
                out[i] = s
            }
        }
    }

    func truncate(at time: Double) {
        interpolate(at: time, into: scratch)
        for i in 0..<n { y[i] = scratch[i] }
        t = time
        started = false
    }

    func restart() -> ODEStatus? {
        started = false
        return start()
    }
}
