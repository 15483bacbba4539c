extension Lanes {
    /// Whether `predicate` holds in any lane.
    @inlinable public func anyValue(_ predicate: (Double) -> Bool) -> Bool {
        for i in vector.indices where predicate(vector[i]) { return true }
        return false
    }
}
