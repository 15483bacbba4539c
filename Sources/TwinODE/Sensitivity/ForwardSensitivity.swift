/// A solution together with its forward sensitivities ∂y/∂p at the saved times.
///
/// ```swift
/// let result = try problem.solveWithSensitivities(using: .tsit5, parameters: [1, 2])   // ∂y/∂CL, ∂y/∂V1
/// let dFinal = result.finalSensitivities        // n × 2, dFinal[i, k] = ∂yᵢ(t_end)/∂p_k
/// ```
public struct SensitivitySolution: Sendable {
    /// The solution of the original system (states only) at the saved times.
    public let solution: ODESolution
    /// The parameters differentiated against, as indices into the problem's parameters.
    public let parameterIndices: [Int]
    /// ∂y/∂p at each saved time: `sensitivities[s][i][k]` = ∂yᵢ(tₛ)/∂p_{parameterIndices[k]}.
    public let sensitivities: [[[Double]]]
    /// ∂y/∂p at the final time, states by parameters.
    public let finalSensitivities: [[Double]]
}

extension ODEProblem {
    /// Solves the problem and its forward sensitivity equations with respect to the parameters at
    /// `parameters` (indices; all parameters by default, at most 16 at once).
    ///
    /// The sensitivities are those of the exact solution, integrated with error control alongside
    /// the states. Time events that add to or set a state leave sensitivities unchanged (dose
    /// amounts are data, not parameters); state events are located on the states only.
    ///
    /// - Throws: ``ODEError/invalidOption(name:value:requirement:)`` for an index out of range or
    ///   more than 16 parameters, and the errors of ``solve(using:options:)``.
    public func solveWithSensitivities(using algorithm: some ODEAlgorithm, parameters chosen: [Int]? = nil,
                                       options: ODEOptions = ODEOptions()) throws -> SensitivitySolution {
        let indices = chosen ?? Array(0..<system.parameterCount)
        guard indices.count <= Dual.capacity else {
            throw ODEError.invalidOption(name: "parameters", value: Double(indices.count), requirement: "at most \(Dual.capacity) at once")
        }
        for j in indices where j < 0 || j >= system.parameterCount {
            throw ODEError.invalidOption(name: "parameters", value: Double(j), requirement: "an index below \(system.parameterCount)")
        }
        try options.validate(stateCount: stateCount, span: timeSpan)
        let n = stateCount
        let augmented = SensitivitySystem(base: system, parameterIndices: indices)
        let y0 = initialState + [Double](repeating: 0, count: n * indices.count)
        var augmentedOptions = options
        if options.absoluteTolerance.count == n {
            augmentedOptions.absoluteTolerance = (0...indices.count).flatMap { _ in options.absoluteTolerance }
        }
        let augmentedEvents = stateEvents.map { event in
            StateEvent(name: event.name, direction: event.direction, action: Self.stateOnly(event.action, n: n)) { t, y in
                event.condition(t, ODEVector(y.base, count: n))
            }
        }
        let problem = try ODEProblem<SensitivitySystem<System>>(system: augmented, initialState: y0, timeSpan: timeSpan,
                                                                parameters: parameters, timeEvents: timeEvents, stateEvents: augmentedEvents)
        let full = try problem.solve(using: algorithm, options: augmentedOptions)
        func split(_ state: [Double]) -> [[Double]] {
            (0..<n).map { i in indices.indices.map { k in state[n + k * n + i] } }
        }
        var states = full
        states.project(onFirst: n)
        return SensitivitySolution(solution: states, parameterIndices: indices,
                                   sensitivities: full.states.map(split), finalSensitivities: split(full.finalState))
    }

    /// A state event's action on the augmented state: `modify` sees and changes the states only.
    private static func stateOnly(_ action: StateEventAction, n: Int) -> StateEventAction {
        switch action {
        case .stop, .record: return action
        case .modify(let change):
            return .modify { t, y in
                var states = Array(y[0..<n])
                change(t, &states)
                for i in 0..<n { y[i] = states[i] }
            }
        }
    }
}

extension ODESolution {
    /// Keeps only the first `n` components of every saved, final and interpolated state.
    mutating func project(onFirst n: Int) {
        let m = stateCount
        var kept: [Double] = []
        kept.reserveCapacity(times.count * n)
        for s in 0..<times.count { kept.append(contentsOf: storage[(s * m)..<(s * m + n)]) }
        storage = kept
        finalState = Array(finalState.prefix(n))
        events = events.map { EventRecord(name: $0.name, time: $0.time, state: Array($0.state.prefix(n))) }
        discontinuities = discontinuities.map { Discontinuity(time: $0.time, before: Array($0.before.prefix(n)), after: Array($0.after.prefix(n))) }
        dense?.outputCount = n
        stateCount = n
    }
}
