#if os(Linux)
import Glibc
import Synchronization

/// Removes the running command's temporary files when SIGINT, SIGTERM or SIGHUP arrive, then
/// exits with status 128 + the signal number; and holds those signals off while a set of outputs
/// is renamed into place, so that a set is never half-updated.
///
/// The handler is async-signal-safe: it reads a list of C strings allocated before any of them
/// could be needed and calls only `unlink` and `_exit`. Which of the handler and a commit goes
/// first is decided by one atomic compare-and-exchange, so a signal that arrives on any thread
/// during a commit waits for the commit and then ends the process with the new set complete.
enum SignalCleanup {
    /// The most temporary files one run registers (outputs and their backups).
    static let capacity = 32

    private static let idle = 0, committing = 1, cleaning = 2
    /// idle: the handler may clean up; committing: the renames run, the handler only records the
    /// signal; cleaning: a handler is removing the temporaries and will exit.
    private static let phase = Atomic<Int>(0)
    /// A signal that arrived during a commit (0: none).
    private static let pending = Atomic<Int32>(0)
    /// Slots of the preallocated list; a null slot is empty.
    private static let slots = Slots()
    private static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The list of paths the handler unlinks, allocated once, before any handler is installed.
    private final class Slots: Sendable {
        // Safe: the slots are written only by `register`/`forgetAll` with the signals blocked on the
        // writing thread and the phase not `cleaning`; the handler only reads them.
        nonisolated(unsafe) let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
        init() {
            paths = .allocate(capacity: SignalCleanup.capacity)
            paths.initialize(repeating: nil, count: SignalCleanup.capacity)
        }
    }

    /// Installs the handlers (once per process; later calls do nothing more). A signal the
    /// process inherited as ignored (`nohup` ignores SIGHUP) stays ignored.
    static func install() {
        _ = installed
    }

    private static let installed: Bool = {
        _ = slots
        _ = phase.load(ordering: .relaxed)
        for signo in handled {
            var current = sigaction()
            // Safe: reads the current disposition only; C function pointers compare by address.
            if sigaction(signo, nil, &current) == 0,
               unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            for other in handled { sigaddset(&action.sa_mask, other) }
            action.sa_flags = 0
            // Safe: installs a handler that only reads preallocated memory and calls unlink/_exit.
            sigaction(signo, &action, nil)
        }
        return true
    }()

    /// Adds `path` to the list the handler removes; false when the list is full.
    static func register(_ path: String) -> Bool {
        install()
        return withSignalsBlocked {
            for k in 0..<capacity where slots.paths[k] == nil {
                // Safe: strdup copies the path into C memory that lives until `forgetAll`.
                slots.paths[k] = strdup(path)
                return true
            }
            return false
        }
    }

    /// Empties the list (the temporaries were renamed or removed).
    static func forgetAll() {
        withSignalsBlocked {
            for k in 0..<capacity {
                if let path = slots.paths[k] {
                    slots.paths[k] = nil
                    free(path)
                }
            }
        }
    }

    /// Runs `body` (the renames of a commit) with SIGINT, SIGTERM and SIGHUP held off on every
    /// thread; a signal that arrived meanwhile ends the process afterwards, with status 128 + signo.
    static func holdingSignals<T>(_ body: () throws -> T) rethrows -> T {
        install()
        guard phase.compareExchange(expected: idle, desired: committing, ordering: .sequentiallyConsistent).exchanged else {
            // A handler is removing the temporaries and is about to exit: let it.
            while true { pause() }
        }
        defer {
            phase.store(idle, ordering: .sequentiallyConsistent)
            let signo = pending.exchange(0, ordering: .sequentiallyConsistent)
            if signo != 0 {
                forgetAll()
                _exit(128 + signo)
            }
        }
        return try withSignalsBlocked(body)
    }

    /// Blocks the three signals on the calling thread around `body`.
    private static func withSignalsBlocked<T>(_ body: () throws -> T) rethrows -> T {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for signo in handled { sigaddset(&set, signo) }
        // Safe: changes this thread's signal mask and restores it below.
        pthread_sigmask(SIG_BLOCK, &set, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return try body()
    }

    /// The handler: removes the registered temporaries and exits 128 + signo, or, during a commit,
    /// records the signal for the commit to act on.
    private static let handler: @convention(c) (Int32) -> Void = { signo in
        if SignalCleanup.phase.compareExchange(expected: SignalCleanup.idle, desired: SignalCleanup.cleaning,
                                               ordering: .sequentiallyConsistent).exchanged {
            let paths = SignalCleanup.slots.paths
            for k in 0..<SignalCleanup.capacity {
                // Safe: unlink is async-signal-safe; the slot holds a C string or null.
                if let path = paths[k] { unlink(path) }
            }
            _exit(128 + signo)
        } else {
            SignalCleanup.pending.store(signo, ordering: .sequentiallyConsistent)
        }
    }
}
#else
/// Signal clean-up is implemented for Linux; elsewhere the temporaries of an interrupted run stay
/// until the next run in that directory removes them.
enum SignalCleanup {
    static func install() {}
    static func register(_ path: String) -> Bool { true }
    static func forgetAll() {}
    static func holdingSignals<T>(_ body: () throws -> T) rethrows -> T { try body() }
}
#endif
