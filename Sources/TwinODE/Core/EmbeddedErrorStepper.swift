/// The outcome of trying one step.
enum StepAttempt {
    /// The step was computed; its weighted RMS error estimate (∞ for NaN).
    case computed(error: Double)
    /// The iteration matrix could not be factored.
    case singular
    /// The right-hand side failed recoverably in a stage.
    case recoverableFailure
    /// The right-hand side failed for good.
    case failure(RightHandSideFailure)
}

/// A one-step method with an embedded error estimate (the Runge–Kutta pairs, Rosenbrock): it
/// computes trial steps; the accept/reject loop with PI control is shared here.
protocol EmbeddedErrorStepper: ODEStepper {
    associatedtype System: ODESystem
    var context: SolverContext<System> { get }
    var options: ODEOptions { get }
    var n: Int { get }
    var t: Double { get set }
    /// The next step to try.
    var h: Double { get set }
    /// The last accepted step.
    var hLast: Double { get }
    var maxStep: Double { get }
    var controller: PIController { get set }
    var rejectedLastAttempt: Bool { get set }

    /// Computes a trial step of size `h` from (t, y) into the method's scratch storage.
    func attempt(_ h: Double) -> StepAttempt
    /// Makes the trial step of size `h` the current point (t ends exactly at `limit` when `landsOnLimit`).
    func accept(_ h: Double, landsOnLimit: Bool, limit: Double)
}

extension EmbeddedErrorStepper {
    /// Tries steps until one is accepted, never passing `limit`: shrinks h on rejection, on a
    /// recoverable right-hand-side failure (to a quarter) and on a singular iteration matrix
    /// (to a half, at most 8 times), and sets the next h with the PI controller.
    func adaptiveStep(limit: Double) -> ODEStatus? {
        let fixed = options.fixedStep != nil
        var singularRetries = 0
        while true {
            var hTry = min(h, maxStep)
            var landsOnLimit = false
            if t + hTry * 1.01 >= limit { hTry = limit - t; landsOnLimit = true }
            // The floor is relative: a few ulps of t, and of ε·(span) near t = 0 (StepSizeFloor).
            if hTry <= context.stepFloor.minimum(at: t) {
                if landsOnLimit { t = limit; return nil }   // already there up to rounding
                return .stepSizeTooSmall(time: t, step: hTry)
            }
            switch attempt(hTry) {
            case .failure(let failure):
                return .rightHandSideFailed(time: t, message: failure.message)
            case .singular:
                singularRetries += 1
                context.statistics.rejectedSteps += 1
                if fixed || singularRetries > 8 { return .singularIterationMatrix(time: t) }
                h = hTry * StepControlParameters.singularMatrixShrink
            case .recoverableFailure:
                context.statistics.rejectedSteps += 1
                rejectedLastAttempt = true
                if fixed { return .rightHandSideFailed(time: t, message: "recoverable failure with a fixed step") }
                h = hTry * StepControlParameters.recoverableFailureShrink
            case .computed(let err):
                if fixed || err <= 1 {
                    accept(hTry, landsOnLimit: landsOnLimit, limit: limit)
                    if !fixed {
                        h = hTry * controller.acceptedFactor(err, afterRejection: rejectedLastAttempt)
                        // A step shortened to land on an event says nothing about the next one.
                        if landsOnLimit { h = max(h, hLast) }
                    }
                    rejectedLastAttempt = false
                    for i in 0..<n where !y[i].isFinite { return .nonFiniteState(time: t) }
                    return nil
                }
                context.statistics.rejectedSteps += 1
                rejectedLastAttempt = true
                h = hTry * controller.rejectedFactor(err)
            }
            let attempts = context.statistics.acceptedSteps + context.statistics.rejectedSteps
            if attempts >= options.maxSteps { return .tooManySteps(time: t, steps: attempts) }
        }
    }
}
