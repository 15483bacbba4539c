/// Receives an ensemble's results chunk by chunk, in member-index order, on the thread that
/// called `solve`. A sink keeps what it needs and lets the rest go, so memory stays bounded
/// whatever the member count; the CLI's sinks write files.
///
/// ```swift
/// struct FinalMean: EnsembleSink {
///     var sum = [0.0, 0.0, 0.0], count = 0
///     mutating func consume(_ chunk: EnsembleChunk) throws {
///         for i in chunk.members where chunk.status(of: i).isSolved {
///             for (k, v) in chunk.finalState(of: i).enumerated() { sum[k] += v }
///             count += 1
///         }
///     }
/// }
/// ```
public protocol EnsembleSink {
    /// Takes the next chunk. Throwing stops the run after this chunk; the error reaches the caller.
    mutating func consume(_ chunk: EnsembleChunk) throws
}

/// A sink that keeps nothing (for runs whose summary is all that is wanted).
public struct DiscardingSink: EnsembleSink {
    public init() {}
    public mutating func consume(_ chunk: EnsembleChunk) throws {}
}

/// A sink that keeps every chunk: for small ensembles and tests.
public struct EnsembleCollector: EnsembleSink {
    public private(set) var chunks: [EnsembleChunk] = []
    public init() {}
    public mutating func consume(_ chunk: EnsembleChunk) throws { chunks.append(chunk) }

    /// The chunk holding member `index`.
    public func chunk(containing index: Int) -> EnsembleChunk? { chunks.first { $0.members.contains(index) } }
    /// Member `index`'s status, nil if no chunk holds it.
    public func status(of index: Int) -> EnsembleMemberStatus? { chunk(containing: index)?.status(of: index) }
    /// Member `index`'s final state.
    public func finalState(of index: Int) -> [Double]? { chunk(containing: index).map { Array($0.finalState(of: index)) } }
}
