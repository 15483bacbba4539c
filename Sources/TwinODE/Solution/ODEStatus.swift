/// How a solve ended. Failures are values, never traps: one bad virtual patient in an ensemble
/// does not stop the others. Each failure carries the time it happened and ``advice``.
public enum ODEStatus: Sendable, Equatable, CustomStringConvertible {
    /// Reached the end of the span.
    case success
    /// A state event with action `.stop` ended the solve.
    case terminatedByEvent(time: Double, event: String)
    /// The step size fell below what floating point can resolve at `time`.
    case stepSizeTooSmall(time: Double, step: Double)
    /// `maxSteps` was reached at `time`.
    case tooManySteps(time: Double, steps: Int)
    /// The state became NaN or infinite.
    case nonFiniteState(time: Double)
    /// The iteration matrix I − γhJ was singular and shrinking the step did not help.
    case singularIterationMatrix(time: Double)
    /// The Newton iteration of an implicit method kept failing to converge.
    case newtonDidNotConverge(time: Double)
    /// The right-hand side reported an unrecoverable failure (or recoverable ones until the step underflowed).
    case rightHandSideFailed(time: Double, message: String)

    /// Whether the solve reached its end or a requested stop.
    public var isSuccess: Bool {
        switch self {
        case .success, .terminatedByEvent: true
        default: false
        }
    }

    /// What to try next, for a caller who does not know which solver ran (both kinds are
    /// covered). ``advice(for:)`` fits the solver.
    public var advice: String {
        switch self {
        case .stepSizeTooSmall:
            return "the problem may be stiff or singular here: with an explicit method, try a stiff solver (.rodas4 or .bdf); "
                + "with a stiff one, check the model for a singularity near this time and any analytic Jacobian, or loosen the tolerances"
        case .tooManySteps:
            return "increase maxSteps; if the steps are tiny, with an explicit method try a stiff solver (.rodas4 or .bdf), "
                + "with a stiff one loosen the tolerances or check the Jacobian"
        default:
            return advice(stiffSolver: true)
        }
    }

    /// What to try next after a solve with `algorithm`: an explicit method that struggles is told
    /// to try a stiff solver; a stiff solver that struggles is told what else can be wrong (the
    /// model, its Jacobian, the tolerances).
    public func advice(for algorithm: some ODEAlgorithm) -> String {
        advice(stiffSolver: algorithm.isStiff)
    }

    /// What to try next after a solve with a stiff (`true`) or an explicit (`false`) method.
    public func advice(stiffSolver: Bool) -> String {
        switch self {
        case .success, .terminatedByEvent: return ""
        case .stepSizeTooSmall:
            return stiffSolver
                ? "a stiff solver could not make progress here: check the model near this time for a singularity or a discontinuity "
                    + "(a division by a vanishing state, a switch in the right-hand side; a dose belongs in a time event), "
                    + "check the analytic Jacobian if the model gives one (a wrong entry makes every step fail), "
                    + "or loosen the tolerances (an absolute tolerance far below a state's size)"
                : "the problem may be stiff or singular here: try a stiff solver (.rodas4 or .bdf), loosen the tolerances, "
                    + "or check the model near this time"
        case .tooManySteps:
            return stiffSolver
                ? "increase maxSteps; if the steps are tiny, loosen the tolerances, check the analytic Jacobian if the model gives one, "
                    + "or look for fast oscillations or discontinuities in the model (a dose belongs in a time event)"
                : "increase maxSteps, or, if the steps are tiny, try a stiff solver (.rodas4 or .bdf)"
        case .nonFiniteState: return "check parameters and units (an overflowing exponential or a division by a zero volume), or tighten the tolerances"
        case .singularIterationMatrix: return "check the Jacobian (an analytic Jacobian with a wrong entry?) or the model's conservation laws"
        case .newtonDidNotConverge: return "supply an analytic Jacobian, or tighten the tolerances"
        case .rightHandSideFailed: return "the model could not be evaluated: check its inputs at this time"
        }
    }

    /// ``description`` with the advice that fits a stiff (`true`) or an explicit (`false`) solver.
    public func description(stiffSolver: Bool) -> String {
        describe(advice: advice(stiffSolver: stiffSolver))
    }

    public var description: String { describe(advice: advice) }

    private func describe(advice: String) -> String {
        switch self {
        case .success: return "success"
        case let .terminatedByEvent(t, name): return "stopped by event '\(name)' at t = \(t)"
        case let .stepSizeTooSmall(t, h): return "step size \(h) too small at t = \(t); \(advice)"
        case let .tooManySteps(t, n): return "\(n) steps taken by t = \(t); \(advice)"
        case let .nonFiniteState(t): return "state became NaN or infinite at t = \(t); \(advice)"
        case let .singularIterationMatrix(t): return "singular iteration matrix at t = \(t); \(advice)"
        case let .newtonDidNotConverge(t): return "Newton iteration did not converge at t = \(t); \(advice)"
        case let .rightHandSideFailed(t, message): return "right-hand side failed at t = \(t): \(message); \(advice)"
        }
    }
}

extension ODESolution {
    /// ``status`` in words, with the advice that fits the solver that ran (``ODEStatus/advice(for:)``).
    public var statusDescription: String { status.description(stiffSolver: algorithmIsStiff) }
}

/// The work a solve did.
public struct ODEStatistics: Sendable, Equatable {
    /// Right-hand-side evaluations (including those for finite-difference Jacobians).
    public var rightHandSideEvaluations = 0
    /// Jacobian evaluations (analytic or finite-difference).
    public var jacobianEvaluations = 0
    /// LU factorisations of the iteration matrix.
    public var luFactorizations = 0
    /// Linear solves with a factorised iteration matrix.
    public var linearSolves = 0
    public var acceptedSteps = 0
    public var rejectedSteps = 0

    public init() {}
}
