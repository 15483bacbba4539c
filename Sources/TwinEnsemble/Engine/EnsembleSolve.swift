import Dispatch
import Synchronization
import TwinLinearAlgebra
import TwinODE

extension EnsembleProblem {
    /// Solves every member and streams the results, chunk by chunk in index order, to `sink`.
    ///
    /// Members are split into chunks of ``EnsembleOptions/chunkSize``; workers take chunks in
    /// turn and advance each chunk's members in SIMD lanes. Chunks are handed to the sink (and
    /// `progress` is called) in index order after each round of `32 × threads` chunks, so memory
    /// holds one round whatever the member count. A member's result does not depend on the
    /// thread count, the lane width or its neighbours.
    ///
    /// - Parameters:
    ///   - progress: called on the calling thread with (members done, member count).
    /// - Throws: ``EnsembleError/invalidRequest(reason:)`` for invalid options; what `sink` throws.
    ///   Numerical failures are per-member statuses, never throws.
    @discardableResult
    public func solve(using algorithm: EnsembleAlgorithm = .tsit5, options: EnsembleOptions = EnsembleOptions(),
                      strategy: EnsembleStrategy = .serial, sink: inout some EnsembleSink,
                      progress: ((Int, Int) -> Void)? = nil) throws -> EnsembleReport {
        try options.validate(stateCount: system.stateCount)
        let clock = ContinuousClock()
        let start = clock.now
        var report = EnsembleReport()
        report.memberCount = memberCount
        report.laneWidth = options.laneWidth
        report.threads = strategy.workerCount
        report.algorithm = algorithm
        let workers = strategy.workerCount
        let chunkSize = options.chunkSize
        let chunkCount = (memberCount + chunkSize - 1) / chunkSize
        // Many small chunks per round: a round waits for its slowest chunk, so the idle time at each
        // round's end (≤ one chunk per thread) stays a few percent of the round.
        let perRound = max(1, 32 * workers)
        let emptySummary = try summary.map { request throws(EnsembleError) in try request.emptySummary(times: summaryTimes) }
        report.summary = emptySummary
        let job = ChunkJob(system: system, span: timeSpan, grid: output.times, algorithm: algorithm, options: options,
                           memberCount: memberCount, prepare: prepare, summary: summary, emptySummary: emptySummary)
        try BLASRuntime.withThreadCount(1) {
            var firstChunk = 0
            while firstChunk < chunkCount {
                let round = firstChunk ..< min(chunkCount, firstChunk + perRound)
                let chunks = job.run(chunks: round, workers: workers)
                for (chunk, chunkSummary) in chunks {
                    report.add(chunk)
                    if let chunkSummary { report.summary?.merge(chunkSummary) }
                    try sink.consume(chunk)
                }
                firstChunk = round.upperBound
                progress?(min(memberCount, firstChunk * chunkSize), memberCount)
            }
        }
        let elapsed = clock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return report
    }
}

extension EnsembleReport {
    mutating func add(_ chunk: EnsembleChunk) {
        for i in chunk.members {
            switch chunk.status(of: i) {
            case .solved:
                solvedCount += 1
                totalSteps += chunk.steps(of: i)
            case .invalidInput: invalidCount += 1
            case .solverFailed: failedCount += 1
            }
        }
    }
}

/// One ensemble's chunks, solvable from any thread. Not generic over the system (it holds it as
/// an existential and calls its per-width entry points), so that the lane code is specialised
/// for each lane width in this module whatever system a caller brings.
struct ChunkJob: Sendable {
    let system: any ODESystem
    let span: (start: Double, end: Double)
    let grid: [Double]
    let algorithm: EnsembleAlgorithm
    let options: EnsembleOptions
    let memberCount: Int
    let prepare: @Sendable (Int, inout EnsembleMember) throws -> Void
    let summary: EnsembleSummaryRequest?
    /// The summary with no members, built (and its settings checked) once before the run.
    let emptySummary: PopulationSummary?

    /// Solves the chunks of `round` on up to `workers` threads; returns them in order, each with
    /// its summary (members added in index order, in the worker that solved it).
    func run(chunks round: Range<Int>, workers: Int) -> [(EnsembleChunk, PopulationSummary?)] {
        if workers <= 1 || round.count == 1 {
            return round.map { solveAndSummarize(chunk: $0) }
        }
        let results = Mutex<[(EnsembleChunk, PopulationSummary?)?]>(Array(repeating: nil, count: round.count))
        let nextChunk = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, round.count)) { _ in
            while true {
                let k = nextChunk.add(1, ordering: .relaxed).oldValue
                guard k < round.count else { break }
                let result = solveAndSummarize(chunk: round.lowerBound + k)
                results.withLock { $0[k] = result }
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    func solveAndSummarize(chunk index: Int) -> (EnsembleChunk, PopulationSummary?) {
        let chunk = solve(chunk: index)
        var chunkSummary: PopulationSummary?
        if let summary, let emptySummary { chunkSummary = summary.summarize(chunk, into: emptySummary) }
        return (chunk, chunkSummary)
    }

    func solve(chunk index: Int) -> EnsembleChunk {
        let lower = index * options.chunkSize
        let members = lower ..< min(memberCount, lower + options.chunkSize)
        var chunk = EnsembleChunk(members: members, stateCount: system.stateCount, parameterCount: system.parameterCount,
                                  gridTimes: grid)
        switch options.laneWidth {
        case 2: solve(&chunk, lanes: SIMD2<Double>.self)
        case 4: solve(&chunk, lanes: SIMD4<Double>.self)
        default: solve(&chunk, lanes: SIMD8<Double>.self)
        }
        return chunk
    }

    private func solve<V: ODELaneVector>(_ chunk: inout EnsembleChunk, lanes: V.Type) {
        let state = LaneState<V>(system: system)
        let prepare = self.prepare
        let preparation: MemberPreparation = { index, member in
            do {
                try prepare(index, &member)
                return nil
            } catch {
                return .invalidInput(reason: "\(error)")
            }
        }
        switch algorithm {
        case .tsit5, .dp5:
            let stepper = ExplicitLaneStepper(lanes: state, pair: algorithm == .dp5 ? .dormandPrince5 : .tsitouras5,
                                              relativeTolerance: options.relativeTolerance,
                                              absoluteTolerances: options.absoluteTolerances)
            LaneDriver(stepper: stepper, span: span, maxStep: options.maxStep, maxSteps: options.maxSteps, grid: grid)
                .run(&chunk, prepare: preparation)
        case .rodas4:
            let stepper = RosenbrockLaneStepper(lanes: state, relativeTolerance: options.relativeTolerance,
                                                absoluteTolerances: options.absoluteTolerances)
            LaneDriver(stepper: stepper, span: span, maxStep: options.maxStep, maxSteps: options.maxSteps, grid: grid)
                .run(&chunk, prepare: preparation)
        }
    }
}
