/// The chunks one lane driver has open: the one it feeds lanes from, and earlier ones whose last
/// members are still in lanes. A chunk is delivered, with its summary, as soon as its last member
/// is done, so lanes never wait at a chunk's end for the slowest member.
struct OpenChunks {
    private struct Open {
        let index: Int
        var chunk: EnsembleChunk
        /// Members not done yet (in a lane, or not fed yet).
        var unfinished: Int

        mutating func write(_ member: Int, _ body: (inout EnsembleChunk, Int) -> Void) {
            body(&chunk, member - chunk.members.lowerBound)
        }
    }

    private let feed: any ChunkFeed
    private let layout: ChunkLayout
    private let summarize: (EnsembleChunk) -> PopulationSummary?
    /// Open chunks by slot (a lane remembers its member's slot); nil slots are reused.
    private var open: [Open?] = []
    /// The slot being fed from, and its next and end member.
    private var feeding: Int?
    private var next = 0
    private var end = 0
    /// Set when the feed had no chunk to give yet (its window was full): ask again later.
    var starved = false

    init(feed: any ChunkFeed, layout: ChunkLayout, summarize: @escaping (EnsembleChunk) -> PopulationSummary?) {
        self.feed = feed
        self.layout = layout
        self.summarize = summarize
    }

    /// The next member to load and its chunk's slot, claiming a chunk when the one being fed from
    /// has run out; nil when the feed has none left, or none yet (`starved`).
    mutating func nextMember(wait: Bool) -> (index: Int, slot: Int)? {
        while true {
            if let slot = feeding, next < end {
                next += 1
                return (next - 1, slot)
            }
            feeding = nil
            switch feed.claim(wait: wait) {
            case .chunk(let k):
                let chunk = layout.makeChunk(k)
                let slot = open.firstIndex { $0 == nil } ?? open.count
                if slot == open.count { open.append(nil) }
                open[slot] = Open(index: k, chunk: chunk, unfinished: chunk.members.count)
                feeding = slot
                next = chunk.members.lowerBound
                end = chunk.members.upperBound
            case .notNow:
                starved = true
                return nil
            case .finished:
                return nil
            }
        }
    }

    /// Writes into member `index`'s row of the chunk in `slot`: `body(chunk, row)`.
    mutating func record(_ index: Int, in slot: Int, _ body: (inout EnsembleChunk, Int) -> Void) {
        open[slot]?.write(index, body)
    }

    /// One member of the chunk in `slot` is done; delivers the chunk when it was the last.
    mutating func memberDone(in slot: Int) {
        open[slot]?.unfinished -= 1
        guard let entry = open[slot], entry.unfinished == 0 else { return }
        open[slot] = nil
        if feeding == slot { feeding = nil }
        feed.deliver(entry.index, entry.chunk, summary: summarize(entry.chunk))
    }
}
