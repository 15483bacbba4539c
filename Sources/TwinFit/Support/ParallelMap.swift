import Dispatch
import Synchronization

/// `transform` applied to every element on `threads` threads, results in the elements' order
/// (so the same for any thread count when `transform` is a function of its element only): the
/// one work-sharing loop of the fits of many subjects, here and in the CLI (`package`).
package enum ParallelMap {
    package static func map<T: Sendable, R: Sendable>(_ items: [T], threads: Int, _ transform: @Sendable (T) -> R) -> [R] {
        let results = Mutex([R?](repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, items.count))) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < items.count else { return }
                let value = transform(items[i])
                results.withLock { $0[i] = value }
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}
