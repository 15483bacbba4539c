extension ODEProblem {
    /// Solves the problem with `algorithm`.
    ///
    /// Numerical failures (step size underflow, too many steps, a non-finite state, a singular
    /// iteration matrix, a failing right-hand side) come back in ``ODESolution/status``, with the
    /// solution up to that point; only invalid options throw.
    ///
    /// - Throws: ``ODEError`` for options no solve can honour (negative tolerance, save times
    ///   outside the span, …).
    public func solve(using algorithm: some ODEAlgorithm, options: ODEOptions = ODEOptions()) throws -> ODESolution {
        try options.validate(stateCount: stateCount, span: timeSpan)
        return ODEDriver(problem: self, algorithm: algorithm, options: options).run()
    }
}

/// The loop shared by every algorithm: time events, state events, saving, step limits.
struct ODEDriver<System: ODESystem> {
    let problem: ODEProblem<System>
    let options: ODEOptions
    let context: SolverContext<System>
    let stepper: any ODEStepper
    let algorithmName: String
    let algorithmIsStiff: Bool

    init(problem: ODEProblem<System>, algorithm: some ODEAlgorithm, options: ODEOptions) {
        self.problem = problem
        self.options = options
        self.algorithmName = algorithm.name
        self.algorithmIsStiff = algorithm.isStiff
        let context = SolverContext(problem: problem, options: options)
        self.context = context
        var y0 = problem.initialState
        // Events at the start time act on the initial state before anything is evaluated.
        y0.withUnsafeMutableBufferPointer { y in
            guard let base = y.baseAddress else { return }
            for event in problem.timeEvents where event.time == problem.timeSpan.start {
                ODEDriver.apply(event.action, to: base, context: context)
            }
        }
        self.stepper = ODEDriver.makeStepper(algorithm.descriptor.kind, context: context, options: options,
                                             t0: problem.timeSpan.start, y0: y0, tEnd: problem.timeSpan.end)
    }

    static func makeStepper(_ kind: AlgorithmDescriptor.Kind, context: SolverContext<System>, options: ODEOptions,
                            t0: Double, y0: [Double], tEnd: Double) -> any ODEStepper {
        switch kind {
        case .dormandPrince5:
            return ExplicitRungeKuttaStepper(context: context, tableau: .dormandPrince5, options: options, t0: t0, y0: y0, tEnd: tEnd)
        case .tsitouras5:
            return ExplicitRungeKuttaStepper(context: context, tableau: .tsitouras5, options: options, t0: t0, y0: y0, tEnd: tEnd)
        case .rodas4:
            return RosenbrockStepper(context: context, options: options, t0: t0, y0: y0, tEnd: tEnd)
        case let .bdf(maxOrder):
            return BDFStepper(context: context, maxOrder: maxOrder, options: options, t0: t0, y0: y0, tEnd: tEnd)
        }
    }

    /// Applies a time event to the state in place (no allocation: a dosing regimen may have thousands).
    static func apply(_ action: TimeEventAction, to y: UnsafeMutablePointer<Double>, context: SolverContext<System>) {
        switch action.target {
        case .state(let i): y[i] = action.applied(to: y[i])
        case .parameter(let j): context.parameters[j] = action.applied(to: context.parameters[j])
        }
    }

    func run() -> ODESolution {
        let n = context.n
        let (t0, tEnd) = problem.timeSpan
        var solution = ODESolution(stateCount: n, algorithm: algorithmName, start: t0, initialState: problem.initialState,
                                   dense: options.denseOutput)
        var saveTimes: [Double] = []
        var nextSave = 0
        if case .times(let times) = options.save { saveTimes = times }
        if problem.timeEvents.contains(where: { $0.time == t0 }) {
            // Events at the start already acted on the stepper's state (init): a jump from the given initial state.
            saveJump(&solution, &nextSave, saveTimes, before: problem.initialState, leftRowForEveryStep: options.saveLeftLimits)
        } else {
            switch options.save {
            case .everyStep: solution.save(t0, stepper.y)
            case .times:
                if nextSave < saveTimes.count && saveTimes[nextSave] <= t0 { solution.save(t0, stepper.y); nextSave += 1 }
            case .finalOnly: break
            }
        }
        var nextEvent = problem.timeEvents.firstIndex { $0.time > t0 } ?? problem.timeEvents.count
        let events = problem.stateEvents
        var eventValues = events.map { $0.condition(t0, ODEVector(UnsafePointer(stepper.y), count: n)) }
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
        defer { scratch.deallocate() }
        var status: ODEStatus = .success

        integration: while stepper.t < tEnd {
            let limit = nextEvent < problem.timeEvents.count ? min(problem.timeEvents[nextEvent].time, tEnd) : tEnd
            if let failure = stepper.step(limit: limit) { status = failure; break }
            if context.statistics.acceptedSteps + context.statistics.rejectedSteps >= options.maxSteps && stepper.t < tEnd {
                status = .tooManySteps(time: stepper.t, steps: context.statistics.acceptedSteps + context.statistics.rejectedSteps)
                appendDense(&solution)
                saveOutputs(&solution, &nextSave, saveTimes, scratch)
                break
            }
            // State events: the earliest crossing in this step wins.
            var fired: (index: Int, time: Double)?
            if !events.isEmpty {
                fired = locateStateEvent(events, &eventValues, scratch)
            }
            if let (index, time) = fired {
                let event = events[index]
                if case .record = event.action {
                    stepper.interpolate(at: time, into: scratch)
                    solution.events.append(EventRecord(name: event.name, time: time, state: Array(UnsafeBufferPointer(start: scratch, count: n))))
                } else {
                    appendDense(&solution)
                    stepper.truncate(at: time)
                    let modifies: Bool
                    if case .modify = event.action { modifies = true } else { modifies = false }
                    // A modified state is a jump: the rows at its time are saved after it (post-event).
                    saveOutputs(&solution, &nextSave, saveTimes, scratch, endingAtJump: modifies)
                    let before = Array(UnsafeBufferPointer(start: stepper.y, count: n))
                    solution.events.append(EventRecord(name: event.name, time: time, state: before))
                    switch event.action {
                    case .stop:
                        status = .terminatedByEvent(time: time, event: event.name)
                        break integration
                    case .modify(let change):
                        var y = before
                        change(time, &y)
                        for i in 0..<n { stepper.y[i] = y[i] }
                        saveJump(&solution, &nextSave, saveTimes, before: before, leftRowForEveryStep: true)
                        if let failure = stepper.restart() { status = failure; break integration }
                        for k in events.indices { eventValues[k] = events[k].condition(time, ODEVector(UnsafePointer(stepper.y), count: n)) }
                    case .record: break
                    }
                    continue integration
                }
            }
            appendDense(&solution)
            // Time events that this step landed on: the rows at their time are saved after them (post-dose).
            let landedOnEvent = nextEvent < problem.timeEvents.count && stepper.t >= problem.timeEvents[nextEvent].time
            saveOutputs(&solution, &nextSave, saveTimes, scratch, endingAtJump: landedOnEvent)
            if landedOnEvent {
                let before = Array(UnsafeBufferPointer(start: stepper.y, count: n))
                while nextEvent < problem.timeEvents.count && problem.timeEvents[nextEvent].time <= stepper.t {
                    ODEDriver.apply(problem.timeEvents[nextEvent].action, to: stepper.y, context: context)
                    nextEvent += 1
                }
                saveJump(&solution, &nextSave, saveTimes, before: before, leftRowForEveryStep: true)
                if stepper.t < tEnd {
                    if let failure = stepper.restart() { status = failure; break }
                }
                for k in events.indices { eventValues[k] = events[k].condition(stepper.t, ODEVector(UnsafePointer(stepper.y), count: n)) }
            }
        }
        if case .finalOnly = options.save { solution.save(stepper.t, stepper.y) }
        solution.finalTime = stepper.t
        solution.finalState = Array(UnsafeBufferPointer(start: stepper.y, count: n))
        solution.statistics = context.statistics
        solution.status = status
        solution.algorithmIsStiff = algorithmIsStiff
        return solution
    }

    /// Appends the last step's interpolant to the solution's dense output, in place (no copy of
    /// the coefficients accumulated so far).
    private func appendDense(_ solution: inout ODESolution) {
        guard solution.dense != nil else { return }
        stepper.appendDenseSegment(to: &solution.dense!)
    }

    /// Saves what the last accepted step covers: its end (every step) or requested times in it.
    /// With `endingAtJump` the step ends where the state is about to jump: its end is left to
    /// ``saveJump(_:_:_:before:leftRowForEveryStep:)``, which saves it post-jump.
    private func saveOutputs(_ solution: inout ODESolution, _ nextSave: inout Int, _ saveTimes: [Double], _ scratch: UnsafeMutablePointer<Double>,
                             endingAtJump: Bool = false) {
        switch options.save {
        case .everyStep:
            if !endingAtJump { solution.save(stepper.t, stepper.y) }
        case .times:
            while nextSave < saveTimes.count && (saveTimes[nextSave] < stepper.t || (!endingAtJump && saveTimes[nextSave] == stepper.t)) {
                let ts = saveTimes[nextSave]
                if ts == stepper.t {
                    solution.save(ts, stepper.y)
                } else {
                    stepper.interpolate(at: ts, into: scratch)
                    solution.save(ts, scratch)
                }
                nextSave += 1
            }
        case .finalOnly:
            break
        }
    }

    /// Records the jump at the stepper's time (its state is already the post-jump one) and saves
    /// the rows at that time: the left limit `before` (marked) where asked — for every step, or
    /// for a requested time with ``ODEOptions/saveLeftLimits`` — then the right limit.
    private func saveJump(_ solution: inout ODESolution, _ nextSave: inout Int, _ saveTimes: [Double], before: [Double],
                          leftRowForEveryStep: Bool) {
        let t = stepper.t
        solution.discontinuities.append(Discontinuity(time: t, before: before, after: Array(UnsafeBufferPointer(start: stepper.y, count: context.n))))
        switch options.save {
        case .everyStep:
            if leftRowForEveryStep { solution.save(t, before, leftLimit: true) }
            solution.save(t, stepper.y)
        case .times:
            if nextSave < saveTimes.count && saveTimes[nextSave] == t {
                if options.saveLeftLimits { solution.save(t, before, leftLimit: true) }
                solution.save(t, stepper.y)
                nextSave += 1
            }
        case .finalOnly:
            break
        }
    }

    /// Finds the earliest state event whose condition changes sign in the right direction over
    /// the last step, locating the time on the interpolant; updates the stored end values.
    private func locateStateEvent(_ events: [StateEvent], _ values: inout [Double], _ scratch: UnsafeMutablePointer<Double>) -> (Int, Double)? {
        let n = context.n
        let ta = stepper.tPrevious, tb = stepper.t
        var best: (Int, Double)?
        for (k, event) in events.enumerated() {
            let ga = values[k]
            let gb = event.condition(tb, ODEVector(UnsafePointer(stepper.y), count: n))
            values[k] = gb
            let crosses: Bool
            switch event.direction {
            case .rising: crosses = ga < 0 && gb >= 0
            case .falling: crosses = ga > 0 && gb <= 0
            case .either: crosses = (ga < 0 && gb >= 0) || (ga > 0 && gb <= 0)
            }
            guard crosses else { continue }
            let g: (Double) -> Double = { t in
                stepper.interpolate(at: t, into: scratch)
                return event.condition(t, ODEVector(UnsafePointer(scratch), count: n))
            }
            let root = EventLocator.root(of: g, from: ta, ga, to: tb, gb)
            if best == nil || root < best!.1 { best = (k, root) }
        }
        if let (k, time) = best {
            // Values at the event time become the reference for the next step.
            stepper.interpolate(at: time, into: scratch)
            for j in events.indices where j != k { values[j] = events[j].condition(time, ODEVector(UnsafePointer(scratch), count: n)) }
            values[k] = 0
        }
        return best
    }
}
