import TwinData
import TwinODE

/// A simulated patient: the model's outputs (and states) on a time grid, with the solution and
/// how the solve ended.
///
/// **Dose times.** A grid time at which a dose is given holds the value *after* the dose (the
/// right limit, as closed forms and NONMEM's tables give it; at t = 0 as anywhere else). With
/// `bothSidesOfDoses` the value just *before* it (the pre-dose trough) is an extra row, marked in
/// ``isLeftLimit``, just before the post-dose row. The exact peaks and troughs, wherever they
/// fall between grid times, are ``extrema(of:)``.
public struct ModelSimulation: Sendable {
    /// The model's catalogue name.
    public let model: String
    /// The unit of ``times`` (the model's clock).
    public let timeUnit: ModelTimeUnit
    /// Output times, model time units (``timeUnit``), increasing; a dose time appears twice where
    /// its pre-dose row was asked for (``isLeftLimit``). ``timesInHours`` has them in hours.
    public let times: [Double]
    /// `isLeftLimit[i]`: row i holds the value just before a dose at `times[i]` (the left limit,
    /// pre-dose); row i + 1 holds the value after it. False for every other row.
    public let isLeftLimit: [Bool]
    /// What ``values`` holds, in order.
    public let outputs: [ModelOutput]
    /// `values[i][k]`: output k at `times[i]`.
    public let values: [[Double]]
    /// `states[i]`: the state at `times[i]`.
    public let states: [[Double]]
    /// The full ODE parameter vector at the start (physiological parameters, then inputs).
    public let parameters: [Double]
    /// The solution (dense output, statistics, status).
    public let solution: ODESolution
    /// The outputs at a time (model units) and state, into the last argument (one per output):
    /// the model's observation with this run's parameters.
    let observation: @Sendable (Double, [Double], inout [Double]) -> Void

    /// ``times`` in hours from time 0 (``ModelTimeUnit/toHours(_:)``), the unit a request is in.
    public var timesInHours: [Double] { times.map(timeUnit.toHours) }

    /// How the solve ended; the grid stops where a failed solve did.
    public var status: ODEStatus { solution.status }

    /// The column of output `name` (case-insensitive), or nil.
    public func series(_ name: String) -> [Double]? {
        guard let k = outputs.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        return values.map { $0[k] }
    }

    /// The exact peaks and troughs of output `name` (case-insensitive) over the simulated span:
    /// both sides of every dose time, the stationary points of the dense output between grid
    /// times, and the ends of the span (``ODESolution/extrema(of:)``) — not the extremes of the
    /// grid. Times in ``timeUnit``, values in the output's unit (``outputs``).
    ///
    /// nil for an unknown output name or a solve that took no step.
    ///
    /// ```swift
    /// let sim = try OneCompartmentPK().simulate(parameters: [5, 50],          // CL 5 L/h, V 50 L
    ///                                           regimen: Regimen(parsing: "100 mg iv q12h x5"), hours: 60)
    /// let c = sim.extrema(of: "C")
    /// c?.maximum.value   // 2.8549 mg/L, at c?.maximum.time == 48 h (post-dose)
    /// c?.troughs.first   // 0 mg/L at 0 h (pre-dose), then 0.6024 mg/L at 12 h, …
    /// ```
    public func extrema(of name: String) -> SolutionExtrema? {
        guard let k = outputs.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        let observation = self.observation
        var values = [Double](repeating: 0, count: outputs.count)
        return solution.extrema { time, state in
            observation(time, state, &values)
            return values[k]
        }
    }

    /// The exact peaks and troughs of every output, in the order of ``outputs``, found in one
    /// scan of the solution (as ``extrema(of:)`` finds them for one). nil for a solve that took
    /// no step.
    public func extrema() -> [SolutionExtrema]? {
        let observation = self.observation
        return solution.extrema(count: outputs.count) { time, state, out in observation(time, state, &out) }
    }
}

extension PhysiologicalModel {
    /// Builds the problem (``problem(parameters:regimen:record:hours:initialState:covariateRelations:)``), solves
    /// it and evaluates the outputs on a grid of `points` equally spaced times, or at
    /// `gridHours`.
    ///
    /// **One unit in, hours.** The span (`hours`) and the grid (`gridHours`) are both hours
    /// from time 0, whatever the model's clock; they are converted to model time once
    /// (``ModelTimeUnit/fromHours(_:)``). The result's ``ModelSimulation/times`` are in the
    /// model's ``ModelSimulation/timeUnit``; ``ModelSimulation/timesInHours`` gives them back in
    /// hours. A grid time at a dose holds the post-dose value (``ModelSimulation``).
    ///
    /// - Parameters:
    ///   - parameters: physiological parameters in the order of ``PhysiologicalModel/parameters``;
    ///     nil for the typical values (individualised by the record's covariates only with
    ///     `covariateRelations: .modelDefault`).
    ///   - regimen: planned doses and basal infusions (times in hours).
    ///   - record: a patient's covariates and given doses (times in hours).
    ///   - hours: the simulated span, hours from time 0, > 0.
    ///   - initialState: the state at time 0; nil for ``PhysiologicalModel/initialState(parameters:)``.
    ///   - solver: the ODE method (default Tsit5).
    ///   - options: tolerances and step limits; its save schedule is replaced by the grid.
    ///   - points: equally spaced output times, ends included (default 1001); ignored with `gridHours`.
    ///   - gridHours: the output times instead, hours from time 0 (increasing, inside the span).
    ///   - bothSidesOfDoses: add every bolus time in the span (a time event that changes the
    ///     state) to the grid, and at every dose time on the grid give the pre-dose value as an
    ///     extra row before the post-dose one (``ModelSimulation/isLeftLimit``). Default false.
    ///   - covariateRelations: apply the model's default covariate relations (its allometry) to
    ///     the record's covariates when `parameters` is nil; default none (``CovariateRelations``).
    /// - Throws: ``ModelError`` for invalid input; a numerical failure is in
    ///   ``ModelSimulation/status``.
    ///
    /// ```swift
    /// let sim = try OneCompartmentPK().simulate(regimen: Regimen(parsing: "100 mg iv q12h x3"), hours: 36,
    ///                                           points: 7, bothSidesOfDoses: true)
    /// // sim.times == [0, 0, 6, 12, 12, 18, 24, 24, 30, 36]: troughs (isLeftLimit) then peaks at 0, 12, 24 h
    ///
    /// // UVA/Padova runs in minutes; ask in hours all the same:
    /// let day = try UVAPadova().simulate(regimen: Regimen(parsing: "50 g carbs at 07:00"), hours: 24,
    ///                                    gridHours: [0, 7, 8, 12])
    /// // day.times == [0, 420, 480, 720] (min); day.timesInHours == [0, 7, 8, 12]
    /// ```
    public func simulate(parameters: [Double]? = nil, regimen: Regimen? = nil, record: PatientRecord? = nil, hours: Double,
                         initialState: [Double]? = nil, solver: any ODEAlgorithm = Tsitouras5(),
                         options: ODEOptions = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                         points: Int = 1001, gridHours: [Double]? = nil, bothSidesOfDoses: Bool = false,
                         covariateRelations: CovariateRelations = .none) throws(ModelError) -> ModelSimulation {
        let problem = try self.problem(parameters: parameters, regimen: regimen, record: record, hours: hours, initialState: initialState,
                                       covariateRelations: covariateRelations)
        return try simulate(problem, solver: solver, options: options, points: points, gridHours: gridHours, bothSidesOfDoses: bothSidesOfDoses)
    }

    /// Solves a problem built by ``problem(parameters:regimen:record:hours:initialState:covariateRelations:)`` and
    /// evaluates the outputs on the grid (post-dose at a dose time; `bothSidesOfDoses` as in
    /// ``simulate(parameters:regimen:record:hours:initialState:solver:options:points:gridHours:bothSidesOfDoses:covariateRelations:)``).
    ///
    /// The problem's span is in model time (the builder converted it); `gridHours`, like every
    /// time a caller gives, is in hours from time 0 and converted here.
    ///
    /// - Throws: ``ModelError/problem(model:error:)`` for options the solver rejects (a grid time
    ///   outside the span …).
    public func simulate(_ problem: ODEProblem<Self>, solver: any ODEAlgorithm = Tsitouras5(),
                         options: ODEOptions = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                         points: Int = 1001, gridHours: [Double]? = nil, bothSidesOfDoses: Bool = false) throws(ModelError) -> ModelSimulation {
        let (t0, t1) = problem.timeSpan
        var grid: [Double]
        if let gridHours { grid = gridHours.map(timeUnit.fromHours) } else {
            let count = max(points, 2)
            grid = (0..<count).map { $0 == count - 1 ? t1 : t0 + (t1 - t0) * Double($0) / Double(count - 1) }
        }
        if bothSidesOfDoses {
            let boluses = problem.timeEvents.compactMap { event -> Double? in
                switch event.action {
                case .addToState, .setState: return event.time >= t0 && event.time <= t1 ? event.time : nil
                case .setParameter, .addToParameter: return nil
                }
            }
            if !boluses.isEmpty { grid = Array(Set(grid).union(boluses)).sorted() }
        }
        var opts = options
        opts.save = .times(grid)
        opts.saveLeftLimits = bothSidesOfDoses
        let solution: ODESolution
        do {
            solution = try problem.solve(using: solver, options: opts)
        } catch let error as ODEError {
            throw .problem(model: name, error: error)
        } catch {
            throw .invalidRequest(model: name, reason: "\(error)")
        }
        // Physiological parameters that events change (time-varying covariates) are observed
        // at their value in force (ParameterSchedule).
        let schedule = ParameterSchedule(initial: Array(problem.parameters.prefix(parameters.count)), events: problem.timeEvents)
        let states = solution.states
        let values = solution.times.indices.map { i in
            observe(time: solution.times[i], state: states[i], parameters: schedule.parameters(at: solution.times[i]))
        }
        let model = self
        return ModelSimulation(model: name, timeUnit: timeUnit, times: solution.times, isLeftLimit: solution.isLeftLimit,
                               outputs: outputs, values: values, states: states, parameters: problem.parameters, solution: solution,
                               observation: { time, state, out in
                                   model.observe(time: time, state: state, parameters: schedule.parameters(at: time), into: &out)
                               })
    }
}

/// The physiological parameters over time: the initial values, changed by the time events that
/// set or add to them (``PhysiologicalModel/covariateEvents(for:base:overrides:)``). Without such
/// events, one piece. A change at τ holds over (τ, next change]: at τ itself the old values
/// apply, as PREDPP applies the covariate recorded at τ up to τ.
struct ParameterSchedule: Sendable {
    /// Piece k holds over (`starts[k]`, `starts[k + 1]`].
    let starts: [Double]
    let values: [[Double]]

    init(initial: [Double], events: [TimeEvent]) {
        var starts = [-Double.infinity], values = [initial]
        var current = initial
        for event in events {       // sorted by time (ODEProblem)
            switch event.action {
            case let .setParameter(i, v) where i < current.count: current[i] = v
            case let .addToParameter(i, a) where i < current.count: current[i] += a
            default: continue
            }
            if starts.last == event.time { values[values.count - 1] = current } else {
                starts.append(event.time)
                values.append(current)
            }
        }
        self.starts = starts
        self.values = values
    }

    /// The values in force at `time`: after the events before `time`.
    func parameters(at time: Double) -> [Double] {
        if values.count == 1 { return values[0] }
        var k = 0
        while k + 1 < starts.count, starts[k + 1] < time { k += 1 }
        return values[k]
    }
}
