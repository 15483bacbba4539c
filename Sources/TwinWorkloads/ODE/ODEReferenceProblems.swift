import TwinODE

/// The problems `medtwin bench ode`, the benchmark package and the tests share, each with the
/// span, tolerances and the reference end state it is measured against.
public struct ODEReferenceProblem: Sendable {
    public let name: String
    public let stiff: Bool
    public let relativeTolerance: Double
    public let absoluteTolerance: Double
    /// The state at the end of the span, from a tight-tolerance solve by an established solver
    /// (`Tests/Fixtures/ODE/make_references.py`, SciPy); nil where none is recorded.
    public let referenceFinal: [Double]
    /// Builds the problem (validation cannot fail for these fixed inputs).
    public let make: @Sendable () throws -> AnyODEProblem

    public init(name: String, stiff: Bool, relativeTolerance: Double, absoluteTolerance: Double, referenceFinal: [Double],
                make: @escaping @Sendable () throws -> AnyODEProblem) {
        self.name = name
        self.stiff = stiff
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.referenceFinal = referenceFinal
        self.make = make
    }

    /// The options used when benchmarking this problem.
    public func options(save: SaveSchedule = .finalOnly) -> ODEOptions {
        ODEOptions(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, save: save, denseOutput: false, maxSteps: 1_000_000)
    }

    /// Error of `final` against the reference, in the weighted RMS norm with weights
    /// atol + rtol·|y_ref| (the measure the peers README asks for: 1 means "at tolerance").
    public func weightedError(_ final: [Double]) -> Double {
        var s = 0.0
        for (a, b) in zip(final, referenceFinal) {
            let r = (a - b) / (absoluteTolerance + relativeTolerance * abs(b))
            s += r * r
        }
        return (s / Double(max(1, referenceFinal.count))).squareRoot()
    }
}

/// A problem with its system type erased, so that different systems can share a list.
public struct AnyODEProblem: Sendable {
    private let solver: @Sendable (any ODEAlgorithm, ODEOptions) throws -> ODESolution
    public init<System: ODESystem>(_ problem: ODEProblem<System>) {
        solver = { algorithm, options in try problem.solve(using: algorithm, options: options) }
    }
    public func solve(using algorithm: any ODEAlgorithm, options: ODEOptions) throws -> ODESolution {
        try solver(algorithm, options)
    }
}

extension ODEReferenceProblem {
    /// Robertson on [0, 10⁵], rtol 1e-6, atol 1e-10.
    public static let robertson = ODEReferenceProblem(
        name: "robertson", stiff: true, relativeTolerance: 1e-6, absoluteTolerance: 1e-10,
        referenceFinal: ODEReferenceValues.robertson1e5) {
            AnyODEProblem(try ODEProblem(system: Robertson(), initialState: [1, 0, 0], timeSpan: (0, 1e5), parameters: Robertson.typicalParameters))
        }

    /// Van der Pol, μ = 1000, on [0, 3000] from (2, 0), rtol 1e-6, atol 1e-6.
    public static let vanDerPol = ODEReferenceProblem(
        name: "vanderpol", stiff: true, relativeTolerance: 1e-6, absoluteTolerance: 1e-6,
        referenceFinal: ODEReferenceValues.vanDerPol3000) {
            AnyODEProblem(try ODEProblem(system: VanDerPol(), initialState: [2, 0], timeSpan: (0, 3000), parameters: [1000]))
        }

    /// HIRES on [0, 321.8122], rtol 1e-6, atol 1e-9.
    public static let hires = ODEReferenceProblem(
        name: "hires", stiff: true, relativeTolerance: 1e-6, absoluteTolerance: 1e-9,
        referenceFinal: ODEReferenceValues.hires) {
            AnyODEProblem(try ODEProblem(system: HIRES(), initialState: HIRES.initialState, timeSpan: (0, HIRES.end)))
        }

    /// Two-compartment oral PK, typical parameters, 100 mg every 12 h × 5 from t = 0, on [0, 72] h,
    /// rtol 1e-6, atol 1e-9.
    public static let pkRepeatedDoses = ODEReferenceProblem(
        name: "pk-5-doses", stiff: false, relativeTolerance: 1e-6, absoluteTolerance: 1e-9,
        referenceFinal: ODEReferenceValues.pkRepeatedDoses) {
            let doses = (0..<5).map { TimeEvent(time: Double($0) * 12, action: .addToState(state: 0, amount: 100)) }
            return AnyODEProblem(try ODEProblem(system: TwoCompartmentOral(), initialState: [0, 0, 0], timeSpan: (0, 72),
                                                parameters: TwoCompartmentOral.typicalParameters, timeEvents: doses))
        }

    /// Every benchmark problem.
    public static let all: [ODEReferenceProblem] = [.robertson, .vanDerPol, .hires, .pkRepeatedDoses]
}
