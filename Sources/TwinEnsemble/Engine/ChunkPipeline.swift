import Dispatch
import Synchronization

/// The feed the workers of a run share: they claim chunks in index order, at most `window` ahead
/// of the next one the calling thread takes back, and deliver them in whatever order they finish;
/// the calling thread, itself one of the workers (``ConsumingChunkFeed``), takes them back in index
/// order for the sink. No barrier anywhere: every worker goes on while chunks are consumed.
final class ChunkPipeline: ChunkFeed, @unchecked Sendable {
    // Safe (@unchecked): the mutable state is two atomics, the semaphores and the mutex's slots.
    private let chunkCount: Int
    private let window: Int
    private let nextChunk = Atomic<Int>(0)
    /// Chunks taken back so far: claims with no chunk to spare return at once, without touching a
    /// semaphore (a timed-out semaphore wait costs a system call).
    private let takenCount = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    /// One permit per chunk that may be claimed and not yet taken back. Created at 0 and signalled
    /// up to `window`: libdispatch traps when a semaphore is freed below its initial value, which
    /// a run stopped early would otherwise leave it.
    private let permits = DispatchSemaphore(value: 0)
    /// ready[k % window] is signalled when chunk k is in its slot.
    private let ready: [DispatchSemaphore]
    private let slots: Mutex<[(EnsembleChunk, PopulationSummary?)?]>

    init(chunkCount: Int, window: Int) {
        self.chunkCount = chunkCount
        self.window = max(1, window)
        ready = (0..<self.window).map { _ in DispatchSemaphore(value: 0) }
        slots = Mutex(Array(repeating: nil, count: self.window))
        for _ in 0..<self.window { permits.signal() }
    }

    func claim(wait: Bool) -> ChunkClaim {
        guard !stopped.load(ordering: .acquiring), nextChunk.load(ordering: .relaxed) < chunkCount else { return .finished }
        if wait {
            permits.wait()
        } else if nextChunk.load(ordering: .relaxed) - takenCount.load(ordering: .relaxed) >= window
                    || permits.wait(timeout: .now()) == .timedOut {
            return .notNow
        }
        let k = nextChunk.add(1, ordering: .relaxed).oldValue
        guard !stopped.load(ordering: .acquiring), k < chunkCount else {
            permits.signal()
            return .finished
        }
        return .chunk(k)
    }

    func deliver(_ k: Int, _ chunk: EnsembleChunk, summary: PopulationSummary?) {
        slots.withLock { $0[k % window] = (chunk, summary) }
        ready[k % window].signal()
    }

    /// Chunk k and its summary, once delivered (called on the calling thread, in index order);
    /// frees its place in the window. Without `wait`, nil when it is not delivered yet; with it,
    /// nil only if the pipeline lost it (a bug, not an input).
    func take(_ k: Int, wait: Bool) -> (EnsembleChunk, PopulationSummary?)? {
        // (Not delivered yet: return before touching the semaphore, whose timed-out wait is a
        // system call. Once the slot is filled, its signal follows at once.)
        if !wait && slots.withLock({ $0[k % window] == nil }) { return nil }
        ready[k % window].wait()
        let taken = slots.withLock { slots in
            let entry = slots[k % window]
            slots[k % window] = nil
            return entry
        }
        takenCount.add(1, ordering: .relaxed)
        permits.signal()
        return taken
    }

    /// Stops handing out chunks (the sink failed): claims return `.finished` and workers blocked
    /// in a claim are woken.
    func stop(workers: Int) {
        stopped.store(true, ordering: .releasing)
        for _ in 0..<workers { permits.signal() }
    }
}

/// The calling thread's feed: it solves chunks like any worker of the pipeline and, whenever it
/// claims or delivers one, hands every finished chunk that is next in index order to the sink, so
/// the sink and `progress` run on the calling thread and no thread is spent waiting for chunks.
final class ConsumingChunkFeed: ChunkFeed {
    private let pipeline: ChunkPipeline
    private let chunkCount: Int
    private let consume: (EnsembleChunk, PopulationSummary?) throws -> Void
    /// The next chunk to hand to the sink.
    private var consumed = 0
    /// What the sink threw, or the pipeline's loss of a chunk; the run stops at the next claim.
    private(set) var failure: (any Error)?

    init(pipeline: ChunkPipeline, chunkCount: Int, consume: @escaping (EnsembleChunk, PopulationSummary?) throws -> Void) {
        self.pipeline = pipeline
        self.chunkCount = chunkCount
        self.consume = consume
    }

    func claim(wait: Bool) -> ChunkClaim {
        drain()
        while failure == nil {
            switch pipeline.claim(wait: false) {
            case .chunk(let k): return .chunk(k)
            case .finished: return .finished
            case .notNow:
                guard wait, consumed < chunkCount else { return .notNow }
                // The window is full and none of this thread's members is in flight: the oldest
                // chunk is another worker's. Wait for it, hand it on, and try again.
                drainOne(wait: true)
            }
        }
        return .finished
    }

    func deliver(_ k: Int, _ chunk: EnsembleChunk, summary: PopulationSummary?) {
        pipeline.deliver(k, chunk, summary: summary)
        drain()
    }

    /// After this thread's own chunks: hands on the rest as the other workers finish them.
    func finish() {
        while failure == nil && consumed < chunkCount { drainOne(wait: true) }
    }

    /// Hands on every chunk that is next in order and already delivered.
    private func drain() {
        while failure == nil && consumed < chunkCount && drainOne(wait: false) {}
    }

    @discardableResult
    private func drainOne(wait: Bool) -> Bool {
        guard let (chunk, summary) = pipeline.take(consumed, wait: wait) else {
            if wait { failure = EnsembleError.invalidRequest(reason: "internal: chunk \(consumed) was not delivered") }
            return false
        }
        do { try consume(chunk, summary) } catch {
            failure = error
            return false
        }
        consumed += 1
        return true
    }
}
