import Testing
import TwinODE

/// A model that reads one state past the end: y has 1 entry, the right-hand side reads y[1].
private struct OffByOne: ODESystem {
    var stateCount: Int { 1 }
    var parameterCount: Int { 0 }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = -y[1]
    }
}

/// A model that writes one derivative past the end.
private struct WritesPastTheEnd: ODESystem {
    var stateCount: Int { 1 }
    var parameterCount: Int { 0 }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = -y[0]
        dy[1] = y[0]
    }
}

@Suite("ODEVector bounds: an off-by-one index in a model stops a debug build")
struct ODEVectorBoundsTests {
    // Release builds compile the check out (documented on ODEVector); these run in debug builds.
    #if DEBUG
    @Test("Reading y[n] in a right-hand side stops the process instead of reading past the state")
    func outOfRangeReadStops() async {
        await #expect(processExitsWith: .failure) {
            let problem = try ODEProblem(system: OffByOne(), initialState: [1], timeSpan: (0, 1))
            _ = try problem.solve(using: .tsit5)
        }
    }

    @Test("Writing dy[n] in a right-hand side stops the process instead of corrupting memory")
    func outOfRangeWriteStops() async {
        await #expect(processExitsWith: .failure) {
            let problem = try ODEProblem(system: WritesPastTheEnd(), initialState: [1], timeSpan: (0, 1))
            _ = try problem.solve(using: .rodas4)
        }
    }
    #endif

    @Test("In-range indices read and write the solver's storage")
    func inRangeIndicesWork() throws {
        let solution = try ODEProblem(system: Decay(), initialState: [1], timeSpan: (0, 1))
            .solve(using: .tsit5, options: ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12, save: .finalOnly))
        // exp(−1) to the tolerance (1e-10 relative per step, a few dozen steps).
        #expect(abs(solution.finalState[0] - 0.36787944117144233) < 1e-8)
    }
}

private struct Decay: ODESystem {
    var stateCount: Int { 1 }
    var parameterCount: Int { 0 }
    func rightHandSide<S: ODEScalar>(t: S, y: ODEVector<S>, p: ODEVector<S>, dy: ODEMutableVector<S>) throws(RightHandSideFailure) {
        dy[0] = -y[0]
    }
}
