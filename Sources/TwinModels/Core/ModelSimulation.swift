import TwinData
import TwinODE

/// A simulated patient: the model's outputs (and states) on a time grid, with the solution and
/// how the solve ended.
public struct ModelSimulation: Sendable {
    /// The model's catalogue name.
    public let model: String
    /// The unit of ``times``.
    public let timeUnit: ModelTimeUnit
    /// Output times, model time units, increasing.
    public let times: [Double]
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

    /// How the solve ended; the grid stops where a failed solve did.
    public var status: ODEStatus { solution.status }

    /// The column of output `name` (case-insensitive), or nil.
    public func series(_ name: String) -> [Double]? {
        guard let k = outputs.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        return values.map { $0[k] }
    }
}

extension PhysiologicalModel {
    /// Builds the problem (``problem(parameters:regimen:record:hours:initialState:)``), solves
    /// it and evaluates the outputs on a grid of `points` equally spaced times (or at `times`,
    /// model units).
    ///
    /// - Parameters:
    ///   - solver: the ODE method (default Tsit5).
    ///   - options: tolerances and step limits; its save schedule is replaced by the grid.
    /// - Throws: ``ModelError`` for invalid input; a numerical failure is in
    ///   ``ModelSimulation/status``.
    public func simulate(parameters: [Double]? = nil, regimen: Regimen? = nil, record: PatientRecord? = nil, hours: Double,
                         initialState: [Double]? = nil, solver: any ODEAlgorithm = Tsitouras5(),
                         options: ODEOptions = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                         points: Int = 1001, times: [Double]? = nil) throws(ModelError) -> ModelSimulation {
        let problem = try self.problem(parameters: parameters, regimen: regimen, record: record, hours: hours, initialState: initialState)
        return try simulate(problem, solver: solver, options: options, points: points, times: times)
    }

    /// Solves a problem built by ``problem(parameters:regimen:record:hours:initialState:)`` and
    /// evaluates the outputs on the grid.
    ///
    /// - Throws: ``ModelError/problem(model:error:)`` for options the solver rejects.
    public func simulate(_ problem: ODEProblem<Self>, solver: any ODEAlgorithm = Tsitouras5(),
                         options: ODEOptions = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                         points: Int = 1001, times: [Double]? = nil) throws(ModelError) -> ModelSimulation {
        let (t0, t1) = problem.timeSpan
        let grid: [Double]
        if let times { grid = times } else {
            let count = max(points, 2)
            grid = (0..<count).map { $0 == count - 1 ? t1 : t0 + (t1 - t0) * Double($0) / Double(count - 1) }
        }
        var opts = options
        opts.save = .times(grid)
        let solution: ODESolution
        do {
            solution = try problem.solve(using: solver, options: opts)
        } catch let error as ODEError {
            throw .problem(model: name, error: error)
        } catch {
            throw .invalidRequest(model: name, reason: "\(error)")
        }
        let physiological = Array(problem.parameters.prefix(parameters.count))
        let states = solution.states
        let values = zip(solution.times, states).map { observe(time: $0, state: $1, parameters: physiological) }
        return ModelSimulation(model: name, timeUnit: timeUnit, times: solution.times, outputs: outputs, values: values,
                               states: states, parameters: problem.parameters, solution: solution)
    }
}
