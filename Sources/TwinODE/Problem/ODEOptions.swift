/// Which solution values a solve keeps.
///
/// Dose-time convention: a saved time where the solution jumps (time events fired, or a state
/// event modified the state) holds the right limit, the state after the jump (post-dose); see
/// ``Discontinuity``.
public enum SaveSchedule: Sendable, Equatable {
    /// The state after every accepted step (and at the start).
    case everyStep
    /// The state at these times (within the span, increasing), by dense output. At a time where
    /// the solution jumps (a dose), the state after the jump (post-dose); set
    /// ``ODEOptions/saveLeftLimits`` to get the state before it (pre-dose) as well.
    case times([Double])
    /// Only the final state.
    case finalOnly
}

/// Tolerances, output and step limits of a solve: the one options value of both executors,
/// `ODEProblem.solve` and the ensemble engine (TwinEnsemble's `EnsembleOptions` holds one, with
/// the lane layout beside it), validated by one routine.
///
/// The error of each step is measured in the weighted RMS norm
/// ‖e‖ = √(1/n · Σ (eᵢ / (atolᵢ + rtol·max(|yᵢ|, |ŷᵢ|)))²) and accepted when ‖e‖ ≤ 1
/// (Hairer, Nørsett and Wanner 1993, §II.4; defined once in TwinODE's `WeightedErrorNorm`).
///
/// Tolerances: rtol ≥ 0 and every atolᵢ ≥ 0, all finite, and rtol = 0 only when every atolᵢ > 0,
/// so that every error weight atolᵢ + rtol·|yᵢ| is positive. rtol = 0 is allowed (pure absolute
/// error control, as CVODE allows): the weight then stays atolᵢ > 0 and no solver needs more.
///
/// ```swift
/// var options = ODEOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
/// options.save = .times([0, 1, 2, 4, 8, 24])            // hours
/// ```
public struct ODEOptions: Sendable, Equatable {
    /// Relative tolerance rtol (default 1e-6).
    public var relativeTolerance: Double
    /// Absolute tolerance: one value for every state, or one per state (default [1e-9]).
    public var absoluteTolerance: [Double]
    /// What to keep (default every step).
    public var save: SaveSchedule
    /// Keep piecewise-polynomial dense output over the whole span (default true).
    public var denseOutput: Bool
    /// The most steps (accepted + rejected) before giving up with ``ODEStatus/tooManySteps(time:steps:)`` (default 100 000).
    public var maxSteps: Int
    /// The first step; nil for Hairer's estimate.
    public var initialStep: Double?
    /// The largest step; nil for the whole span.
    public var maxStep: Double?
    /// Take steps of exactly this size without error control (for convergence studies); nil for adaptive steps.
    public var fixedStep: Double?
    /// Where a saved time of ``SaveSchedule/times(_:)`` is a jump (a dose time), save the left
    /// limit (the pre-dose state, the trough) as an extra row just before the post-dose one;
    /// ``ODESolution/isLeftLimit`` marks it. Default false: one row per time, post-dose.
    ///
    /// ```swift
    /// var options = ODEOptions(save: .times([0, 6, 12, 18, 24]))   // doses at 0 and 12 h
    /// options.saveLeftLimits = true
    /// // sol.times == [0, 0, 6, 12, 12, 18, 24]; sol.isLeftLimit == [true, false, false, true, false, false, false]
    /// ```
    public var saveLeftLimits = false

    public init(relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-9, save: SaveSchedule = .everyStep,
                denseOutput: Bool = true, maxSteps: Int = 100_000, initialStep: Double? = nil, maxStep: Double? = nil,
                fixedStep: Double? = nil) {
        self.init(relativeTolerance: relativeTolerance, absoluteTolerances: [absoluteTolerance], save: save, denseOutput: denseOutput,
                  maxSteps: maxSteps, initialStep: initialStep, maxStep: maxStep, fixedStep: fixedStep)
    }

    /// Options with one absolute tolerance per state.
    public init(relativeTolerance: Double = 1e-6, absoluteTolerances: [Double], save: SaveSchedule = .everyStep,
                denseOutput: Bool = true, maxSteps: Int = 100_000, initialStep: Double? = nil, maxStep: Double? = nil,
                fixedStep: Double? = nil) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerances
        self.save = save
        self.denseOutput = denseOutput
        self.maxSteps = maxSteps
        self.initialStep = initialStep
        self.maxStep = maxStep
        self.fixedStep = fixedStep
    }

    /// Throws ``ODEError`` for an option no solve can honour: the one check of both executors
    /// (an executor then rejects, with its own typed error, what it alone cannot honour).
    package func validate(stateCount n: Int, span: (start: Double, end: Double)) throws {
        func positive(_ name: String, _ v: Double?) throws {
            if let v, !(v > 0 && v.isFinite) { throw ODEError.invalidOption(name: name, value: v, requirement: "a positive finite number") }
        }
        guard relativeTolerance >= 0, relativeTolerance.isFinite else {
            throw ODEError.invalidOption(name: "relativeTolerance", value: relativeTolerance, requirement: "≥ 0 and finite")
        }
        guard absoluteTolerance.count == 1 || absoluteTolerance.count == n else {
            throw ODEError.toleranceSizeMismatch(expected: n, found: absoluteTolerance.count)
        }
        for a in absoluteTolerance where !(a >= 0 && a.isFinite) {
            throw ODEError.invalidOption(name: "absoluteTolerance", value: a, requirement: "≥ 0 and finite")
        }
        if relativeTolerance == 0 && absoluteTolerance.contains(0) {
            throw ODEError.invalidOption(name: "relativeTolerance", value: 0, requirement: "positive where an absolute tolerance is 0")
        }
        try positive("initialStep", initialStep)
        try positive("maxStep", maxStep)
        try positive("fixedStep", fixedStep)
        guard maxSteps > 0 else { throw ODEError.invalidOption(name: "maxSteps", value: Double(maxSteps), requirement: "at least 1") }
        if case .times(let times) = save {
            for (k, t) in times.enumerated() {
                guard t.isFinite, t >= span.start, t <= span.end else {
                    throw ODEError.invalidSaveTimes(reason: "time \(t) (entry \(k)) is outside the span [\(span.start), \(span.end)]")
                }
                if k > 0 && !(t > times[k - 1]) {
                    throw ODEError.invalidSaveTimes(reason: "times must increase, but entry \(k) (\(t)) follows \(times[k - 1])")
                }
            }
        }
    }

    /// The absolute tolerance of state i.
    @inlinable package func absoluteTolerance(_ i: Int) -> Double {
        absoluteTolerance.count == 1 ? absoluteTolerance[0] : absoluteTolerance[i]
    }
}
