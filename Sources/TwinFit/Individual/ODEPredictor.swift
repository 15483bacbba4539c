import TwinData
import TwinModels
import TwinODE

/// Predictions of any ``PhysiologicalModel`` at a subject's observations, by solving its ODEs
/// with forward sensitivities (TwinODE's `solveWithSensitivities`).
///
/// Parameters that move or size events — a lag time, a bioavailability that scales a dose, a
/// steady-state trough set at a dose time, an initial state that depends on the parameters —
/// are not covered by the sensitivity equations (a time event leaves ∂y/∂p unchanged), so their
/// columns are central finite differences of whole solves instead. Which parameters those are
/// is found once, at construction, by perturbing each and comparing the events and the initial
/// state.
///
/// An observation at exactly a dose time sees the state after the dose (TwinODE's post-dose
/// convention, shared with the closed-form path): record a trough a moment before its dose.
///
/// ```swift
/// let model = OneCompartmentPK()
/// var predictor = try ODEPredictor(model: model, record: record, parameterIndices: [0, 1, 2])
/// ```
public struct ODEPredictor<Model: PhysiologicalModel>: ObservationPredictor, Sendable {
    public let model: Model
    public let record: PatientRecord
    /// The observations predicted, in order.
    public let observations: [Observation]
    /// The model output each observation measures.
    public let outputIndices: [Int]
    public let parameterIndices: [Int]
    /// The columns (positions in ``parameterIndices``) computed by finite differences.
    public let finiteDifferenceColumns: [Int]
    /// Tolerances of the solves (rtol, atol).
    public let options: ODEOptions
    /// The method.
    public let algorithm: any ODEAlgorithm

    private let saveTimes: [Double]          // unique observation times, model units
    private let rowOfObservation: [Int]      // index into saveTimes
    private let spanHours: Double

    public var observationCount: Int { observations.count }

    /// A predictor for `observations` (all of the record's by default) of `record`.
    ///
    /// - Parameters:
    ///   - outputIndices: the output of each observation (all 0 by default).
    ///   - parameterIndices: the physiological parameters to differentiate against.
    ///   - start: parameters at which the event-moving ones are detected (typical by default).
    ///   - relativeTolerance, absoluteTolerance: the solves' tolerances (default 1e-9, 1e-12).
    /// - Throws: ``FitError/model(subject:error:)`` when the model cannot take the record.
    public init(model: Model, record: PatientRecord, observations: [Observation]? = nil, outputIndices: [Int]? = nil,
                parameterIndices: [Int], start: [Double]? = nil, algorithm: any ODEAlgorithm = Tsitouras5(),
                relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-12) throws(FitError) {
        let observations = observations ?? record.observations
        self.model = model
        self.record = record
        self.observations = observations
        self.outputIndices = outputIndices ?? [Int](repeating: 0, count: observations.count)
        self.parameterIndices = parameterIndices
        self.algorithm = algorithm
        let clock = model.timeUnit
        let unique = Array(Set(observations.map(\.time))).sorted()
        saveTimes = unique.map { clock.fromHours($0) }
        var row: [Double: Int] = [:]
        for (i, t) in unique.enumerated() { row[t] = i }
        rowOfObservation = observations.map { row[$0.time] ?? 0 }
        spanHours = max(unique.last ?? 0, Double.ulpOfOne) * (1 + 1e-12) + 1e-9
        options = ODEOptions(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
                             save: .times(saveTimes), denseOutput: false)

        let p0 = start ?? model.typicalParameters
        let base: ODEProblem<Model>
        do { base = try model.problem(parameters: p0, record: record, hours: spanHours) } catch {
            throw .model(subject: record.id, error: error)
        }
        var columns: [Int] = []
        for (k, j) in parameterIndices.enumerated() {
            var p = p0
            p[j] = p0[j] == 0 ? 1e-4 : p0[j] * (1 + 1e-4)
            guard let moved = try? model.problem(parameters: p, record: record, hours: spanHours) else {
                columns.append(k); continue
            }
            if moved.timeEvents != base.timeEvents || moved.initialState != base.initialState { columns.append(k) }
        }
        finiteDifferenceColumns = columns
    }

    public mutating func predict(_ parameters: [Double], values: inout [Double], jacobian: inout [Double]) -> Bool {
        let np = parameterIndices.count
        let analytic = parameterIndices.indices.filter { !finiteDifferenceColumns.contains($0) }.map { parameterIndices[$0] }
        guard let problem = try? model.problem(parameters: parameters, record: record, hours: spanHours) else { return false }
        let solved: SensitivitySolution
        do {
            solved = try problem.solveWithSensitivities(using: algorithm, parameters: analytic, options: options)
        } catch { return false }
        guard solved.solution.status == .success else { return false }
        guard solved.solution.times.count == saveTimes.count else { return false }
        let full = problem.parameters
        let n = model.stateCount
        var dhdy = [Double](repeating: 0, count: n)
        var dhdp = [Double](repeating: 0, count: np)
        var out = [Double](repeating: 0, count: model.outputs.count)
        for i in observations.indices {
            let r = rowOfObservation[i]
            let t = solved.solution.times[r]
            let y = solved.solution.state(at: r)
            let k = outputIndices[i]
            model.observe(time: t, state: y, parameters: full, into: &out)
            values[i] = out[k]
            outputDerivatives(time: t, state: y, parameters: full, output: k, dhdy: &dhdy, dhdp: &dhdp)
            var a = 0
            for c in 0..<np {
                if finiteDifferenceColumns.contains(c) { continue }
                var s = dhdp[c]
                for q in 0..<n { s += dhdy[q] * solved.sensitivities[r][q][a] }
                jacobian[i * np + c] = s
                a += 1
            }
            guard values[i].isFinite else { return false }
        }
        for c in finiteDifferenceColumns {
            guard finiteDifferenceColumn(c, at: parameters, into: &jacobian) else { return false }
        }
        return true
    }

    /// ∂h/∂y and ∂h/∂p (for ``parameterIndices``) of output `k` by central differences of the
    /// algebraic `observe` (exact to rounding for outputs linear in the state).
    private func outputDerivatives(time: Double, state: [Double], parameters: [Double], output k: Int,
                                   dhdy: inout [Double], dhdp: inout [Double]) {
        var y = state, p = parameters
        var up = [Double](repeating: 0, count: model.outputs.count), down = up
        for q in 0..<y.count {
            let h = 1e-6 * max(abs(state[q]), 1e-6)
            y[q] = state[q] + h; model.observe(time: time, state: y, parameters: p, into: &up)
            y[q] = state[q] - h; model.observe(time: time, state: y, parameters: p, into: &down)
            y[q] = state[q]
            dhdy[q] = (up[k] - down[k]) / (2 * h)
        }
        for (c, j) in parameterIndices.enumerated() {
            let h = 1e-6 * max(abs(parameters[j]), 1e-6)
            p[j] = parameters[j] + h; model.observe(time: time, state: y, parameters: p, into: &up)
            p[j] = parameters[j] - h; model.observe(time: time, state: y, parameters: p, into: &down)
            p[j] = parameters[j]
            dhdp[c] = (up[k] - down[k]) / (2 * h)
        }
    }

    /// Column `c` of the Jacobian by central differences of whole solves (step 1e-5 relative).
    private func finiteDifferenceColumn(_ c: Int, at parameters: [Double], into jacobian: inout [Double]) -> Bool {
        let j = parameterIndices[c]
        let h = 1e-5 * max(abs(parameters[j]), 1e-3)
        var p = parameters
        p[j] = parameters[j] + h
        guard let up = plainValues(p) else { return false }
        p[j] = parameters[j] - h
        guard let down = plainValues(p) else { return false }
        let np = parameterIndices.count
        for i in observations.indices { jacobian[i * np + c] = (up[i] - down[i]) / (2 * h) }
        return true
    }

    /// Predictions without sensitivities (one plain solve).
    public mutating func predictValues(_ parameters: [Double], values: inout [Double]) -> Bool {
        guard let predicted = plainValues(parameters), predicted.allSatisfy(\.isFinite) else { return false }
        for i in predicted.indices { values[i] = predicted[i] }
        return true
    }

    /// Predictions without sensitivities, or nil when the solve fails.
    private func plainValues(_ parameters: [Double]) -> [Double]? {
        guard let problem = try? model.problem(parameters: parameters, record: record, hours: spanHours),
              let solution = try? problem.solve(using: algorithm, options: options),
              solution.status == .success else { return nil }
        guard solution.times.count == saveTimes.count else { return nil }
        var out = [Double](repeating: 0, count: model.outputs.count)
        var values = [Double](repeating: 0, count: observations.count)
        for i in observations.indices {
            let r = rowOfObservation[i]
            model.observe(time: solution.times[r], state: solution.state(at: r), parameters: problem.parameters, into: &out)
            values[i] = out[outputIndices[i]]
        }
        return values
    }
}
