import TwinData
import TwinODE

extension PhysiologicalModel {
    /// The state just before a dose of a regimen repeated every `dose.steadyState.interval`
    /// hours for ever — NONMEM's SS = 1 / 2 — found directly rather than by simulating weeks.
    ///
    /// With Φ(y) the state one interval after starting from y and giving this one dose, the trough
    /// y* solves Φ(y*) = y*. TwinODE's shooting solver
    /// (``TwinODE/ODEProblem/periodicSteadyState(scale:using:options:tolerance:maxIterations:)``:
    /// Newton's method on Φ(y) − y, with ∂Φ/∂y by differences of whole one-interval solves, Tsit5
    /// at rtol 1e-11) finds it from a zero state; for a linear model Φ is affine, so the first
    /// Newton step is already exact up to the solver's tolerance, and for a non-linear one
    /// (Michaelis–Menten) it converges quadratically from the linearised guess. Only this dose
    /// repeats: other doses are not part of the steady state (NONMEM's convention).
    ///
    /// - Parameters:
    ///   - dose: a dose with ``Dose/steadyState`` and an interval II > 0 (hours).
    ///   - parameters: the full ODE parameter vector (physiological parameters, then inputs).
    /// - Throws: ``ModelError/steadyStateNotFound(model:reason:)`` when Newton's method does not
    ///   converge or the dose has no positive interval, ``ModelError/unsupportedDose(model:dose:reason:)``
    ///   for an infusion longer than the interval.
    public func steadyStateTrough(of dose: Dose, parameters: [Double]) throws(ModelError) -> [Double] {
        guard let ss = dose.steadyState, ss.interval > 0, ss.interval.isFinite else {
            throw .steadyStateNotFound(model: name, reason: "dose \(describe(dose)) has no dosing interval II > 0 (a steady-state infusion with II = 0 is not supported)")
        }
        if let hours = dose.delivery.duration(forAmount: dose.amount), hours > ss.interval {
            throw .unsupportedDose(model: name, dose: describe(dose), reason: "a steady-state infusion of \(hours) h is longer than its interval II = \(ss.interval) h")
        }
        var single = dose
        single.time = 0
        single.steadyState = nil
        let physiological = Array(parameters.prefix(self.parameters.count))
        let events = try standardDosingEvents(doses: [single], basal: [], parameters: physiological)
        let tau = timeUnit.fromHours(ss.interval)
        // Scale for differences and convergence: the dose in state units.
        let scale = max(events.compactMap { event -> Double? in
            switch event.action {
            case let .addToState(_, a): return abs(a)
            case let .addToParameter(_, a): return abs(a) * tau
            default: return nil
            }
        }.max() ?? 1, 1e-12)
        let options = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13, save: .finalOnly, denseOutput: false, maxSteps: 1_000_000)
        let result: PeriodicSteadyState
        do {
            // One interval from a zero state, this dose at its start: the shooting solver finds Φ(y*) = y*.
            let period = try ODEProblem(system: self, initialState: [Double](repeating: 0, count: stateCount), timeSpan: (0, tau),
                                        parameters: parameters, timeEvents: events)
            result = try period.periodicSteadyState(scale: scale, using: .tsit5, options: options, tolerance: 1e-10, maxIterations: 30)
        } catch let error as ODEError {
            throw .problem(model: name, error: error)
        } catch {
            throw .steadyStateNotFound(model: name, reason: "\(error)")
        }
        guard result.isConverged else { throw .steadyStateNotFound(model: name, reason: result.outcome.description) }
        return result.state
    }
}
