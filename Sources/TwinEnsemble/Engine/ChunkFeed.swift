/// What a lane driver is told when it asks for another chunk.
enum ChunkClaim {
    /// Solve chunk k next.
    case chunk(Int)
    /// None can be taken yet (the chunks in memory are at their bound); ask again later.
    case notNow
    /// None is left (or the run was stopped).
    case finished
}

/// Where a lane driver takes chunks to solve and hands the finished ones back, with their
/// summaries. A driver keeps its lanes full across chunk boundaries: it claims the next chunk as
/// soon as the one it is feeding from runs out, while members of earlier chunks are still in
/// flight, and delivers each chunk when its last member is done.
protocol ChunkFeed: AnyObject {
    /// The next chunk. With `wait`, blocks while none can be taken yet (the driver passes it only
    /// when it has no member in flight, so every chunk it took has been delivered).
    func claim(wait: Bool) -> ChunkClaim
    /// Finished chunk k and its summary (members added in index order).
    func deliver(_ k: Int, _ chunk: EnsembleChunk, summary: PopulationSummary?)
}

/// How the members are cut into chunks: a function of the member count only, never of the
/// thread count, so results and summaries are the same bits whatever the strategy.
struct ChunkLayout: Sendable {
    let memberCount: Int
    let chunkSize: Int
    let stateCount: Int
    let parameterCount: Int
    let grid: [Double]

    /// ⌈memberCount / chunkSize⌉, computed without overflow for any member count.
    var chunkCount: Int { memberCount / chunkSize + (memberCount % chunkSize == 0 ? 0 : 1) }

    /// An empty chunk k (every member "not solved" until the driver writes it).
    func makeChunk(_ k: Int) -> EnsembleChunk {
        let lower = k * chunkSize
        return EnsembleChunk(members: lower ..< min(memberCount, lower + chunkSize), stateCount: stateCount,
                             parameterCount: parameterCount, gridTimes: grid)
    }

    /// The automatic chunk size: N/64 members, within 16…128, so that a small ensemble still has
    /// chunks enough to share among threads and a large one delivers in pieces of 128.
    static func automaticSize(memberCount: Int) -> Int {
        min(128, max(16, memberCount / 64 + (memberCount % 64 == 0 ? 0 : 1)))
    }

    /// The number of Double values one chunk holds (grid states, final states, parameters), or nil
    /// when it does not fit an `Int`.
    var chunkValueCount: Int? {
        let (grid, o1) = grid.count.multipliedReportingOverflow(by: stateCount)
        let (perMember, o2) = grid.addingReportingOverflow(stateCount + parameterCount)
        let (total, o3) = perMember.multipliedReportingOverflow(by: min(chunkSize, max(memberCount, 1)))
        return o1 || o2 || o3 ? nil : total
    }
}
