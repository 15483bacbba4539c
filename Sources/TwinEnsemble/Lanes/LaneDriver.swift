import RealModule
@_spi(LaneEngine) import TwinODE

/// Fills member `index`: its initial state, parameters and events; nil when ready, or the reason
/// it cannot be solved.
typealias MemberPreparation = (Int, inout EnsembleMember) -> EnsembleMemberStatus?

/// Runs a chunk of members through the lanes of one stepper: every lane has its own time, step
/// size and error control; a lane that reaches a dose applies it and goes on; a lane whose
/// patient finishes (or fails) takes the next member at once, so no lane waits for another.
///
/// Everything a lane computes depends only on its own member, so a member's result is the same
/// bits whatever the lane width, whichever lane it lands in, and whatever its neighbours do.
final class LaneDriver<Stepper: LaneStepper> {
    typealias V = Stepper.V
    let stepper: Stepper
    let lanes: LaneState<V>
    let span: (start: Double, end: Double)
    let maxStep: Double
    let maxSteps: Double
    let grid: [Double]
    /// The method's step-control settings (TwinODE's, as its single-trajectory stepper reads them).
    let control: StepControlParameters
    let alpha: Double
    let beta: Double
    let maximumGrowth: Double
    /// TwinODE's step-control and initial-step constants, read once here: their getters are
    /// `package` and are not inlined across the module boundary, so a read in the stepping loop
    /// is a call per constant per step (and spills every live vector around it).
    private let constants: LaneControlConstants
    /// The step-size floor and least first step on the span's time axis (TwinODE's rule).
    let floor: StepSizeFloor
    /// The member being prepared, behind a pointer (no exclusivity checks on the way in).
    private let scratch: UnsafeMutablePointer<EnsembleMember>
    private let scalarOut: UnsafeMutablePointer<Double>
    private let initY: UnsafeMutablePointer<V>
    private let initF: UnsafeMutablePointer<V>

    init(stepper: Stepper, stepControl: StepControlParameters, span: (start: Double, end: Double), maxStep: Double?,
         maxSteps: Int, grid: [Double]) {
        self.stepper = stepper
        lanes = stepper.lanes
        self.span = span
        self.maxStep = min(maxStep ?? .infinity, span.end - span.start)
        floor = StepSizeFloor(start: span.start, end: span.end)
        self.maxSteps = Double(maxSteps)
        self.grid = grid
        control = stepControl
        beta = stepControl.beta
        maximumGrowth = stepControl.maximumFactor
        alpha = stepControl.alpha
        constants = LaneControlConstants()
        let size = max(lanes.n, 1)
        // Safe: allocated here, freed in deinit, indexed below n (scratch: one member).
        scratch = .allocate(capacity: 1)
        scratch.initialize(to: EnsembleMember())
        scalarOut = .allocate(capacity: size)
        initY = .allocate(capacity: size)
        initY.initialize(repeating: V(repeating: 0), count: size)
        initF = .allocate(capacity: size)
        initF.initialize(repeating: V(repeating: 0), count: size)
    }

    deinit {
        scratch.deinitialize(count: 1)
        scratch.deallocate()
        scalarOut.deallocate()
        initY.deallocate()
        initF.deallocate()
    }

    /// Solves chunks from `feed` until it has none left: lanes are refilled across chunk
    /// boundaries (the next chunk is claimed as soon as the current one runs out), each member's
    /// status, steps, final state, parameters and grid states go into its chunk, and a chunk is
    /// delivered, with its summary, when its last member is done.
    func run(feed: any ChunkFeed, layout: ChunkLayout, summarize: @escaping (EnsembleChunk) -> PopulationSummary?,
             prepare: MemberPreparation) {
        var chunks = OpenChunks(feed: feed, layout: layout, summarize: summarize)
        let width = lanes.width
        var needsRefresh = LaneMask<V>(repeating: false)
        var needsInitialStep = LaneMask<V>(repeating: false)
        lanes.active = LaneMask<V>(repeating: false)
        for lane in 0..<width { lanes.slots[lane].member = -1 }
        /// Fills the idle lanes; with `wait` (no member in flight), blocks for a chunk if need be.
        func fillIdleLanes(wait: Bool) {
            for lane in 0..<width where !lanes.active[lane] {
                guard load(lane: lane, chunks: &chunks, prepare: prepare, wait: wait && !any(lanes.active)) else { break }
                needsRefresh[lane] = true
                needsInitialStep[lane] = true
            }
        }
        fillIdleLanes(wait: true)
        let eps4 = 4 * Double.ulpOfOne
        let k = constants
        while true {
            if chunks.starved {
                // The feed had no chunk to give (its window was full): try again for the idle lanes,
                // waiting only when no member is left in flight.
                chunks.starved = false
                fillIdleLanes(wait: !any(lanes.active))
            }
            guard any(lanes.active) else { break }
            // 1. Fresh lanes and lanes after a dose: f(t, y) and, for fresh ones, the first step.
            if any(needsRefresh) {
                let failed = stepper.refresh(needsRefresh)
                if any(failed) {
                    for lane in 0..<width where failed[lane] {
                        finish(lane: lane, status: .solverFailed(.rightHandSideFailed(time: lanes.t[lane], message: "the right-hand side could not be evaluated")),
                               chunks: &chunks)
                        if load(lane: lane, chunks: &chunks, prepare: prepare, wait: false) { needsRefresh[lane] = true; needsInitialStep[lane] = true }
                        else { needsRefresh[lane] = false; needsInitialStep[lane] = false }
                    }
                    continue
                }
                if any(needsInitialStep) { initialStep(needsInitialStep) }
                needsRefresh = LaneMask<V>(repeating: false)
                needsInitialStep = LaneMask<V>(repeating: false)
            }
            // 2. One trial step in every lane, clipped to land exactly on the lane's next stop.
            // (Comparisons go through lt/le/gt/ge: the concrete vector compares.)
            let active = lanes.active
            let t = lanes.t
            let h0 = lanes.h
            let tStop = lanes.tStop
            var hTry = h0.selecting(maxStep, where: gt(h0, maxStep))
            let last = active .& le(tStop, t + hTry * 1.01)
            hTry = hTry.selecting(tStop - t, where: last)
            // The floor 4ε·max(|t|, ε·S) of StepSizeFloor: relative to t and the span, never an absolute time.
            let scaleT = larger(abs(t), V(repeating: floor.spanScale))
            let tiny = active .& le(hTry, eps4 * scaleT)
            hTry = hTry.selecting(0, where: tiny .| .!active)
            lanes.trialStep = hTry
            let attempt = stepper.attempt()
            let err = attempt.error
            let stepping = active .& .!tiny
            let accepted = stepping .& le(err, 1)
            let rejected = stepping .& .!accepted .& .!attempt.fatal
            let landed = accepted .& last
            let tNew = (t + hTry).selecting(tStop, where: landed)

            // 3. Output times passed by the accepted step, lane by lane, before y moves on (a
            // lane that landed on its stop leaves the stop's own times until its doses applied).
            if !grid.isEmpty { emitGrid(accepted: accepted, tNew: tNew, hTry: hTry, chunks: &chunks) }
            stepper.accept(accepted)
            lanes.t = t.selecting(tNew, where: accepted)

            // 4. Step-size control (TwinODE's StepControlParameters, the formula documented there):
            // PI on accepted lanes, I (no β term) on rejected ones, one exp2. err is the squared
            // norm: log₂‖e‖ = ½·log₂ err (floored at log₂ errorFloor; 0 for ∞).
            let finiteErr = lt(err, .infinity)
            let squaredFloor = k.squaredErrorFloor
            let clippedErr = err.selecting(squaredFloor, where: .!ge(err, squaredFloor)).selecting(1, where: .!finiteErr)
            let logErr = 0.5 * LaneMath.log2(clippedErr)
            let previous = lanes.logPreviousError
            let memory = (beta * previous).selecting(0, where: rejected)
            let factor = LaneMath.exp2(memory - alpha * logErr) * k.safety
            var growth = bounded(factor, k.minimumFactor, maximumGrowth)
            growth = growth.selecting(smaller(growth, V(repeating: 1)), where: lanes.rejectedLast)
            var hAccepted = hTry * growth
            hAccepted = hAccepted.selecting(larger(hAccepted, hTry), where: last)
            // log₂ max(‖e‖, minimumPreviousError) of the accepted step, for the next one.
            lanes.logPreviousError = previous.selecting(larger(logErr, V(repeating: k.log2MinimumPreviousError)),
                                                        where: accepted)
            var shrink = bounded(factor, k.minimumFactor, 1)
            shrink = shrink.selecting(k.minimumFactor, where: .!finiteErr)
            shrink = shrink.selecting(k.recoverableFailureShrink, where: attempt.recoverable)
            shrink = shrink.selecting(k.singularMatrixShrink, where: attempt.singular)
            lanes.h = h0.selecting(hAccepted, where: accepted).selecting(hTry * shrink, where: rejected)
            lanes.rejectedLast = (lanes.rejectedLast .& .!accepted) .| rejected
            let steps = lanes.steps
            lanes.steps = steps.selecting(steps + 1, where: accepted)
            let attempts = lanes.attempts.selecting(lanes.attempts + 1, where: stepping)
            lanes.attempts = attempts

            // 5. The rare lanes: landed on a dose or the end, failed, or out of steps.
            var probe = V(repeating: 0)
            for i in 0..<lanes.n { probe += lanes.y[i] * 0 }
            let nonFinite = accepted .& .!eq(probe, 0)
            let outOfSteps = active .& ge(attempts, maxSteps)
            let special = landed .| tiny .| attempt.fatal .| nonFinite .| outOfSteps
            guard any(special) else { continue }
            for lane in 0..<width where special[lane] {
                let time = lanes.t[lane]
                var failure: ODEStatus?
                if attempt.fatal[lane] {
                    failure = .rightHandSideFailed(time: time, message: "the right-hand side reported an unrecoverable failure")
                } else if nonFinite[lane] {
                    failure = .nonFiniteState(time: time)
                } else if tiny[lane] && !last[lane] {
                    failure = .stepSizeTooSmall(time: time, step: hTry[lane])
                } else if outOfSteps[lane] && !landed[lane] {
                    failure = .tooManySteps(time: time, steps: Int(lanes.attempts[lane]))
                }
                if let failure {
                    finish(lane: lane, status: .solverFailed(failure), chunks: &chunks)
                } else {
                    // At the stop (a step landed there, or it was already there up to rounding):
                    // its doses apply, then its grid times get the post-dose state.
                    let stop = lanes.tStop[lane]
                    lanes.t[lane] = stop
                    applyEvents(lane: lane, at: stop)
                    if stop >= span.end {
                        if !grid.isEmpty { emitRemainingGrid(lane: lane, chunks: &chunks) }
                        finish(lane: lane, status: .solved, chunks: &chunks)
                    } else {
                        if !grid.isEmpty { emitGridBefore(lane: lane, time: stop, chunks: &chunks) }
                        needsRefresh[lane] = true
                        continue
                    }
                }
                if load(lane: lane, chunks: &chunks, prepare: prepare, wait: false) {
                    needsRefresh[lane] = true
                    needsInitialStep[lane] = true
                }
            }
        }
    }

    // MARK: - Members in and out of lanes

    /// Puts the next member that can be set up into `lane`; false when none is left or none can be
    /// had yet (then `chunks.starved` is set).
    private func load(lane: Int, chunks: inout OpenChunks, prepare: MemberPreparation, wait: Bool) -> Bool {
        let n = lanes.n, np = lanes.np
        while let (index, slotOfChunk) = chunks.nextMember(wait: wait) {
            scratch.pointee.index = index
            if let status = prepare(index, &scratch.pointee) ?? validate(scratch) {
                chunks.record(index, in: slotOfChunk) { chunk, local in chunk.statuses[local] = status }
                chunks.memberDone(in: slotOfChunk)
                continue
            }
            let member = scratch
            chunks.record(index, in: slotOfChunk) { chunk, local in
                for j in 0..<np { chunk.parameterValues[local * np + j] = member.pointee.parameters[j] }
            }
            for i in 0..<n { lanes.y[i][lane] = member.pointee.initialState[i] }
            for j in 0..<np { lanes.p[j][lane] = member.pointee.parameters[j] }
            let slot = lanes.slots + lane
            slot.pointee.member = index
            slot.pointee.chunk = slotOfChunk
            if !(slot.pointee.events.isEmpty && member.pointee.timeEvents.isEmpty) {
                slot.pointee.events.removeAll(keepingCapacity: true)
                slot.pointee.events.append(contentsOf: member.pointee.timeEvents)
                if !isSortedByTime(slot.pointee.events) {
                    slot.pointee.events = slot.pointee.events.enumerated()
                        .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
                }
            }
            slot.pointee.nextEvent = 0
            slot.pointee.nextGrid = 0
            lanes.t[lane] = span.start
            lanes.h[lane] = 0
            lanes.steps[lane] = 0
            lanes.attempts[lane] = 0
            lanes.logPreviousError[lane] = constants.log2MinimumPreviousError
            lanes.rejectedLast[lane] = false
            lanes.active[lane] = true
            applyEvents(lane: lane, at: span.start)
            emitGridBefore(lane: lane, time: span.start, chunks: &chunks)
            return true
        }
        lanes.slots[lane].member = -1
        lanes.active[lane] = false
        lanes.h[lane] = 0
        return false
    }

    /// Records `status` for the lane's member (the final state when solved) and empties the lane;
    /// delivers the member's chunk when it was the chunk's last.
    private func finish(lane: Int, status: EnsembleMemberStatus, chunks: inout OpenChunks) {
        let index = lanes.slots[lane].member
        guard index >= 0 else { return }
        let slotOfChunk = lanes.slots[lane].chunk
        let steps = Int(lanes.steps[lane])
        let n = lanes.n
        chunks.record(index, in: slotOfChunk) { chunk, local in
            chunk.statuses[local] = status
            chunk.stepCounts[local] = steps
            if status == .solved {
                for i in 0..<n { chunk.finals[local * n + i] = lanes.y[i][lane] }
            }
        }
        lanes.slots[lane].member = -1
        lanes.active[lane] = false
        chunks.memberDone(in: slotOfChunk)
    }

    /// Applies the lane's events at `time` and sets its next stop.
    private func applyEvents(lane: Int, at time: Double) {
        let slot = lanes.slots + lane
        var k = slot.pointee.nextEvent
        let count = slot.pointee.events.count
        while k < count && slot.pointee.events[k].time <= time {
            let event = slot.pointee.events[k]
            // Events before the start were dropped by ODEProblem's rules: only those at the start apply.
            if event.time == time || time > span.start {
                // TwinODE's meaning of the action, as a single solve applies it.
                switch event.action.target {
                case .state(let i): lanes.y[i][lane] = event.action.applied(to: lanes.y[i][lane])
                case .parameter(let j): lanes.p[j][lane] = event.action.applied(to: lanes.p[j][lane])
                }
            }
            k += 1
        }
        slot.pointee.nextEvent = k
        let nextEventTime = k < count ? slot.pointee.events[k].time : .infinity
        lanes.tStop[lane] = min(nextEventTime, span.end)
    }

    private func isSortedByTime(_ events: [TimeEvent]) -> Bool {
        var previous = -Double.infinity
        for e in events {
            if e.time < previous { return false }
            previous = e.time
        }
        return true
    }

    /// nil when the member is well formed; otherwise why not.
    private func validate(_ member: UnsafeMutablePointer<EnsembleMember>) -> EnsembleMemberStatus? {
        let n = lanes.n, np = lanes.np
        guard member.pointee.initialState.count == n else {
            return .invalidInput(reason: "initial state has \(member.pointee.initialState.count) values; the system has \(n) states")
        }
        guard member.pointee.parameters.count == np else {
            return .invalidInput(reason: "\(member.pointee.parameters.count) parameters given; the system reads \(np)")
        }
        for i in 0..<n where !member.pointee.initialState[i].isFinite {
            return .invalidInput(reason: "initial state \(i) is \(member.pointee.initialState[i])")
        }
        for j in 0..<np where !member.pointee.parameters[j].isFinite {
            return .invalidInput(reason: "parameter \(j) is \(member.pointee.parameters[j])")
        }
        for event in member.pointee.timeEvents {
            // The check ODEProblem makes of its events.
            if let reason = event.invalidity(stateCount: n, parameterCount: np) { return .invalidInput(reason: "event: \(reason)") }
        }
        return nil
    }

    // MARK: - Initial step

    /// Hairer's initial step for the lanes of `mask`: the vectorised instance of TwinODE's routine,
    /// the formula and constants of `InitialStepRule` (documented there); f(t, y) is the stepper's
    /// current derivative. The norms stay squared (compared with the squared thresholds) and the
    /// roots and powers go through LaneMath's log₂ and 2ˣ (a guess for the first step needs no
    /// more than their 1e-7), so a lane's first step agrees with a single solve's to about 1e-7,
    /// not bit for bit.
    private func initialStep(_ mask: LaneMask<V>) {
        let n = lanes.n
        let f0 = stepper.derivative
        let y0 = lanes.y
        let rtol = stepper.rtol
        let atol = stepper.atol
        let perState = 1 / Double(max(n, 1))
        var d0 = V(repeating: 0), d1 = V(repeating: 0)
        for i in 0..<n {
            let scale = atol[i] + rtol * abs(y0[i])
            let a = y0[i] / scale, b = f0[i] / scale
            d0 += a * a
            d1 += b * b
        }
        // d0², d1²: the squared RMS norms of y and f.
        d0 *= perState
        d1 *= perState
        let rule = constants
        // h₀ = 0.01·d0/d1, or 1e-6·S when either norm is below 1e-5; at least the least first step.
        let log2Hundredth = rule.log2Fraction
        let fallback = rule.fallbackSpanFraction * floor.spanLength
        let lowest = V(repeating: floor.initialLowerBound)
        var h0 = LaneMath.exp2(log2Hundredth + 0.5 * (LaneMath.log2(d0) - LaneMath.log2(d1)))
        h0 = h0.selecting(fallback, where: lt(d0, rule.squaredSmallNorm) .| lt(d1, rule.squaredSmallNorm))
        h0 = smaller(larger(h0, lowest), V(repeating: maxStep))
        h0 = h0.selecting(0, where: .!mask)
        for i in 0..<n { initY[i] = y0[i] + h0 * f0[i] }
        let failed = lanes.evaluate(t: lanes.t + h0, x: initY, into: initF)
        var d2 = V(repeating: 0)
        for i in 0..<n {
            let scale = atol[i] + rtol * abs(y0[i])
            let v = (initF[i] - f0[i]) / h0 / scale
            d2 += v * v
        }
        d2 *= perState
        // h₁ = (0.01 / max(d1, d2))^(1/(q+1)), or max(1e-6·S, 10⁻³h₀) when max(d1, d2) ≤ 1e-15, with q
        // the error estimator's order (DP5, Tsit5: 1/5, as IORD = 5 in Hairer's DOPRI5 code).
        let m = larger(d1, d2)
        let order = Double(control.estimatorOrder + 1)
        var h1 = LaneMath.exp2((log2Hundredth - 0.5 * LaneMath.log2(m)) * (1 / order))
        h1 = h1.selecting(larger(V(repeating: fallback), h0 * rule.shrink), where: le(m, rule.squaredNoCurvature))
        var h = larger(smaller(h0 * rule.growthLimit, h1), lowest)
        if let failed {
            // A lane whose f could not be evaluated at the probe point starts small.
            h = h.selecting(larger(h0 * rule.shrink, lowest), where: failed.recoverable .| failed.fatal)
        }
        h = smaller(h, V(repeating: maxStep))
        lanes.h = lanes.h.selecting(h, where: mask)
    }

    // MARK: - Output on the grid

    /// Grid times up to and including `time`, filled with the lane's current state (after the
    /// doses at `time`: the post-dose convention). Kept out of line: it runs once per dose, and
    /// inlined into ``run(feed:layout:summarize:prepare:)`` it would crowd the stepping loop.
    @inline(never)
    private func emitGridBefore(lane: Int, time: Double, chunks: inout OpenChunks) {
        guard !grid.isEmpty else { return }
        let slot = lanes.slots + lane
        var g = slot.pointee.nextGrid
        let n = lanes.n, count = grid.count
        chunks.record(slot.pointee.member, in: slot.pointee.chunk) { chunk, local in
            while g < count && grid[g] <= time {
                for i in 0..<n { chunk.grids[(local * count + g) * n + i] = lanes.y[i][lane] }
                g += 1
            }
        }
        slot.pointee.nextGrid = g
    }

    /// Grid times the accepted steps passed, from each lane's interpolant: up to and including
    /// the step's end, or short of it where the step landed on the lane's stop (a dose time or
    /// the end of the span), whose own grid times get the state after its doses.
    private func emitGrid(accepted: LaneMask<V>, tNew: V, hTry: V, chunks: inout OpenChunks) {
        let n = lanes.n, count = grid.count
        let t = lanes.t
        for lane in 0..<lanes.width where accepted[lane] {
            let slot = lanes.slots + lane
            var g = slot.pointee.nextGrid
            // An accepted step ends exactly at the stop only when it landed there (tNew = tStop).
            let end = tNew[lane], stopsThere = end == lanes.tStop[lane]
            guard g < count && (grid[g] < end || (!stopsThere && grid[g] == end)) else { continue }
            let h = hTry[lane]
            chunks.record(slot.pointee.member, in: slot.pointee.chunk) { chunk, local in
                while g < count && (grid[g] < end || (!stopsThere && grid[g] == end)) {
                    let theta = h > 0 ? Swift.min(1, (grid[g] - t[lane]) / h) : 1
                    stepper.interpolate(lane: lane, theta: theta, h: h, into: scalarOut)
                    for i in 0..<n { chunk.grids[(local * count + g) * n + i] = scalarOut[i] }
                    g += 1
                }
            }
            slot.pointee.nextGrid = g
        }
    }

    /// Grid times at the end of the span up to rounding, filled with the final state (after any
    /// dose at the end).
    private func emitRemainingGrid(lane: Int, chunks: inout OpenChunks) {
        emitGridBefore(lane: lane, time: .infinity, chunks: &chunks)
    }
}

/// TwinODE's step-control (``StepControlParameters``) and initial-step (``InitialStepRule``)
/// constants as plain stored values, read once per driver (see `LaneDriver.constants`).
struct LaneControlConstants {
    let safety = StepControlParameters.safety
    let minimumFactor = StepControlParameters.minimumFactor
    let squaredErrorFloor = StepControlParameters.squaredErrorFloor
    let log2MinimumPreviousError = StepControlParameters.log2MinimumPreviousError
    let recoverableFailureShrink = StepControlParameters.recoverableFailureShrink
    let singularMatrixShrink = StepControlParameters.singularMatrixShrink
    let log2Fraction = InitialStepRule.log2Fraction
    let squaredSmallNorm = InitialStepRule.squaredSmallNorm
    let squaredNoCurvature = InitialStepRule.squaredNoCurvature
    let fallbackSpanFraction = InitialStepRule.fallbackSpanFraction
    let growthLimit = InitialStepRule.growthLimit
    let shrink = InitialStepRule.shrink
}
