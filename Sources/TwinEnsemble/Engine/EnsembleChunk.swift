/// The results of a contiguous range of members, in index order: what the engine hands to an
/// ``EnsembleSink``. Flat storage, one allocation per array per chunk, whatever the chunk size.
///
/// ```swift
/// for i in chunk.members where chunk.status(of: i).isSolved {
///     let final = chunk.finalState(of: i)          // stateCount values, model units
/// }
/// ```
public struct EnsembleChunk: Sendable {
    /// The member indices, in order.
    public let members: Range<Int>
    /// States per member.
    public let stateCount: Int
    /// Parameters per member.
    public let parameterCount: Int
    /// The kept time grid (model time units); empty when only final states are kept.
    public let gridTimes: [Double]

    var statuses: [EnsembleMemberStatus]
    var stepCounts: [Int]
    var finals: [Double]
    var grids: [Double]
    var parameterValues: [Double]

    init(members: Range<Int>, stateCount: Int, parameterCount: Int, gridTimes: [Double]) {
        self.members = members
        self.stateCount = stateCount
        self.parameterCount = parameterCount
        self.gridTimes = gridTimes
        let count = members.count
        statuses = Array(repeating: .invalidInput(reason: "not solved"), count: count)
        stepCounts = Array(repeating: 0, count: count)
        finals = Array(repeating: .nan, count: count * stateCount)
        grids = Array(repeating: .nan, count: count * gridTimes.count * stateCount)
        parameterValues = Array(repeating: .nan, count: count * parameterCount)
    }

    /// How member `index`'s solve ended.
    public func status(of index: Int) -> EnsembleMemberStatus { statuses[index - members.lowerBound] }
    /// Accepted steps member `index` took.
    public func steps(of index: Int) -> Int { stepCounts[index - members.lowerBound] }
    /// The state at the end of the span (NaN for a member that did not get there).
    public func finalState(of index: Int) -> ArraySlice<Double> {
        let base = (index - members.lowerBound) * stateCount
        return finals[base ..< base + stateCount]
    }
    /// The parameters member `index` started with (NaN when it could not be set up).
    public func parameters(of index: Int) -> ArraySlice<Double> {
        let base = (index - members.lowerBound) * parameterCount
        return parameterValues[base ..< base + parameterCount]
    }
    /// The state at `gridTimes[k]` (NaN after a failure).
    public func gridState(of index: Int, time k: Int) -> ArraySlice<Double> {
        let base = ((index - members.lowerBound) * gridTimes.count + k) * stateCount
        return grids[base ..< base + stateCount]
    }
    /// All grid states of member `index`, time-major (gridTimes.count × stateCount).
    public func gridStates(of index: Int) -> ArraySlice<Double> {
        let size = gridTimes.count * stateCount
        let base = (index - members.lowerBound) * size
        return grids[base ..< base + size]
    }
}
