import Dispatch
import TwinLinearAlgebra
@_spi(LaneEngine) import TwinODE

extension EnsembleProblem {
    /// Solves every member and streams the results, chunk by chunk in index order, to `sink`.
    ///
    /// Members are cut into chunks (``EnsembleOptions/chunkSize``). Each worker advances its
    /// members in SIMD lanes and keeps them full across chunk boundaries; the calling thread hands
    /// finished chunks to the sink in index order (and calls `progress`) while the workers go on.
    /// At most a few chunks per worker are in memory at once, whatever the member count. A
    /// member's result does not depend on the thread count, the lane width or its neighbours.
    ///
    /// - Parameters:
    ///   - algorithm: a TwinODE method the lanes can run (``EnsembleAlgorithms/supported``:
    ///     `.tsit5`, the default, `.dp5`, `.rodas4`) — the same values `ODEProblem.solve` takes.
    ///   - progress: called on the calling thread with (members done, member count), once per chunk.
    /// - Throws: ``EnsembleError/invalidOptions(_:)`` for options no solve can honour (TwinODE's
    ///   check), ``EnsembleError/unsupportedOption(name:reason:)`` or
    ///   ``EnsembleError/unsupportedAlgorithm(name:supported:)`` for what the lanes cannot do,
    ///   ``EnsembleError/invalidRequest(reason:)`` for a bad lane layout or a chunk too large to count in
    ///   memory (chunk size × output times × states); what `sink` throws
    ///   (the workers stop at their next chunk). Numerical failures are per-member statuses, never throws.
    @discardableResult
    public func solve(using algorithm: some ODEAlgorithm = Tsitouras5(), options: EnsembleOptions = EnsembleOptions(),
                      strategy: EnsembleStrategy = .serial, sink: inout some EnsembleSink,
                      progress: ((Int, Int) -> Void)? = nil) throws -> EnsembleReport {
        let method = try LaneMethod(algorithm)
        try options.validate(stateCount: system.stateCount, span: timeSpan)
        let clock = ContinuousClock()
        let start = clock.now
        var report = EnsembleReport()
        report.memberCount = memberCount
        report.laneWidth = options.laneWidth
        report.threads = strategy.workerCount
        report.algorithm = algorithm.identifier
        let workers = strategy.workerCount
        let layout = ChunkLayout(memberCount: memberCount,
                                 chunkSize: options.chunkSize ?? ChunkLayout.automaticSize(memberCount: memberCount),
                                 stateCount: system.stateCount, parameterCount: system.parameterCount, grid: output.times)
        guard layout.chunkValueCount.map({ $0 <= Int.max / 8 }) ?? false else {
            throw EnsembleError.invalidRequest(reason: "one chunk of \(layout.chunkSize) members × \(output.times.count) output times × \(system.stateCount) states is too large to hold; use a smaller chunk size or fewer output times")
        }
        let emptySummary = try summary.map { request throws(EnsembleError) in try request.emptySummary(times: summaryTimes) }
        report.summary = emptySummary
        let job = ChunkJob(system: system, span: timeSpan, layout: layout, method: method,
                           stepControl: algorithm.descriptor.stepControl, options: options,
                           prepare: prepare, summary: summary, emptySummary: emptySummary)
        let memberCount = self.memberCount
        var done = 0
        func consume(_ chunk: EnsembleChunk, _ chunkSummary: PopulationSummary?) throws {
            report.add(chunk)
            if let chunkSummary { report.summary?.merge(chunkSummary) }
            try sink.consume(chunk)
            done += chunk.members.count
            progress?(done, memberCount)
        }
        // A few chunks per worker may wait, finished, for their turn at the sink.
        // Never more workers than chunks, so the window's size cannot overflow whatever the request.
        let helpers = min(workers, layout.chunkCount) - 1
        let window = 4 * max(1, min(workers, layout.chunkCount)) + 4
        try BLASRuntime.withThreadCount(1) {
            let pipeline = ChunkPipeline(chunkCount: layout.chunkCount, window: window)
            let group = DispatchGroup()
            for _ in 0..<max(0, helpers) {
                DispatchQueue.global(qos: .userInitiated).async(group: group) { job.runWorker(feed: pipeline) }
            }
            // The calling thread is a worker too, and the one that feeds the sink; the feed keeps
            // `consume` only while this call runs.
            let failure: (any Error)? = withoutActuallyEscaping(consume) { consume in
                let feed = ConsumingChunkFeed(pipeline: pipeline, chunkCount: layout.chunkCount, consume: consume)
                job.runWorker(feed: feed)
                feed.finish()
                return feed.failure
            }
            if let failure {
                pipeline.stop(workers: max(0, helpers))
                group.wait()
                throw failure
            }
            group.wait()
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
    let layout: ChunkLayout
    let method: LaneMethod
    /// The method's step-control settings, as TwinODE's stepper of the same method reads them.
    let stepControl: StepControlParameters
    let options: EnsembleOptions
    let prepare: @Sendable (Int, inout EnsembleMember) throws -> Void
    let summary: EnsembleSummaryRequest?
    /// The summary with no members, built (and its settings checked) once before the run.
    let emptySummary: PopulationSummary?

    /// Solves chunks from `feed` until it has none left, in one set of lanes.
    func runWorker(feed: any ChunkFeed) {
        switch options.laneWidth {
        case 2: runWorker(feed: feed, lanes: SIMD2<Double>.self)
        case 4: runWorker(feed: feed, lanes: SIMD4<Double>.self)
        default: runWorker(feed: feed, lanes: SIMD8<Double>.self)
        }
    }

    private func runWorker<V: ODELaneVector>(feed: any ChunkFeed, lanes: V.Type) {
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
        let summary = self.summary, emptySummary = self.emptySummary
        let summarize: (EnsembleChunk) -> PopulationSummary? = { chunk in
            guard let summary, let emptySummary else { return nil }
            return summary.summarize(chunk, into: emptySummary)
        }
        let solver = options.solver
        let maxSteps = solver.maxSteps, maxStep = solver.maxStep, grid = layout.grid
        switch method {
        case .explicit(let pair):
            let stepper = ExplicitLaneStepper(lanes: state, pair: pair, relativeTolerance: solver.relativeTolerance,
                                              absoluteTolerances: solver.absoluteTolerance)
            LaneDriver(stepper: stepper, stepControl: stepControl, span: span, maxStep: maxStep, maxSteps: maxSteps, grid: grid)
                .run(feed: feed, layout: layout, summarize: summarize, prepare: preparation)
        case .rodas4:
            let stepper = RosenbrockLaneStepper(lanes: state, relativeTolerance: solver.relativeTolerance,
                                                absoluteTolerances: solver.absoluteTolerance)
            LaneDriver(stepper: stepper, stepControl: stepControl, span: span, maxStep: maxStep, maxSteps: maxSteps, grid: grid)
                .run(feed: feed, layout: layout, summarize: summarize, prepare: preparation)
        }
    }
}
