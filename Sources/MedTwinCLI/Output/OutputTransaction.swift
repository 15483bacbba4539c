import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure a command reports in one sentence (after "medtwin COMMAND: ") and exits on.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// All the files one run writes, as a transaction: each goes to a temporary file next to its
/// destination, and only when every one is complete are they renamed into place, together, with
/// SIGINT, SIGTERM and SIGHUP held off. A run that fails, is interrupted by one of those signals,
/// or runs out of disk leaves the previous files untouched and no temporary behind.
///
/// Temporaries are named `.NAME.PID.RANDOM.tmp`. Those left by a process that no longer exists
/// (killed with SIGKILL, say) are removed by the next transaction that writes into the directory.
final class OutputTransaction {
    /// One output of the run.
    final class Entry {
        let option: String
        /// The path as given.
        let path: String
        /// The path with symbolic links resolved: the rename replaces the file a link points to.
        let destination: String
        let temporary: String
        /// A hard link to the previous file, made during the commit so a failed rename can be undone.
        let backup: String
        var written = false

        init(option: String, path: String, destination: String, temporary: String, backup: String) {
            self.option = option
            self.path = path
            self.destination = destination
            self.temporary = temporary
            self.backup = backup
        }
    }

    let command: String
    private(set) var entries: [Entry] = []
    private var open: [TemporaryFileWriter] = []
    private var finished = false

    /// Prepares the outputs (options whose path is nil are left out): removes stale temporaries of
    /// dead processes in their directories and registers this run's temporaries for removal on a signal.
    ///
    /// - Throws: ``CommandFailure`` when more outputs are asked for than the signal handler can track.
    init(command: String, outputs: [(String, String?)]) throws {
        self.command = command
        let pid = getpid()
        var directories: [String] = []
        for (option, path) in outputs {
            guard let path else { continue }
            let destination = OutputPaths.resolve(path)
            let url = URL(fileURLWithPath: destination)
            let directory = url.deletingLastPathComponent().path
            let name = url.lastPathComponent
            func sibling() -> String {
                (directory as NSString).appendingPathComponent(".\(name).\(pid).\(UInt32.random(in: 0...UInt32.max)).tmp")
            }
            let entry = Entry(option: option, path: path, destination: destination, temporary: sibling(), backup: sibling())
            guard SignalCleanup.register(entry.temporary), SignalCleanup.register(entry.backup) else {
                throw CommandFailure("too many output files for one run")
            }
            entries.append(entry)
            if !directories.contains(directory) { directories.append(directory) }
        }
        for directory in directories { Self.removeStaleTemporaries(in: directory) }
    }

    deinit { discard() }

    /// The entry for `option`.
    func entry(_ option: String) -> Entry? { entries.first { $0.option == option } }

    /// Writes `text` as the whole content of `option`'s temporary file.
    ///
    /// - Throws: ``CommandFailure`` naming the path and the cause (disk full, permission denied …).
    func write(_ text: String, to option: String) throws {
        let writer = try stream(option)
        try writer.write(text)
        try writer.close()
    }

    /// Opens `option`'s temporary file for writing in pieces (closed by ``commit()`` if still open).
    func stream(_ option: String) throws -> TemporaryFileWriter {
        guard let entry = entry(option) else { throw CommandFailure("internal: no output \(option)") }
        let writer = try TemporaryFileWriter(temporary: entry.temporary, destination: entry.path)
        entry.written = true
        open.append(writer)
        return writer
    }

    /// Renames every written temporary into place, all or none.
    ///
    /// - Throws: ``CommandFailure`` naming the file that could not be moved into place; the files
    ///   already moved are put back, so the previous set is left as it was.
    func commit() throws {
        for writer in open where !writer.isClosed { try writer.close() }
        let written = entries.filter(\.written)
        try SignalCleanup.holdingSignals {
            var hadBackup: [Bool] = []
            for entry in written { hadBackup.append(link(entry.destination, entry.backup) == 0) }
            for (k, entry) in written.enumerated() where rename(entry.temporary, entry.destination) != 0 {
                let cause = FileProblem.cause(errno: errno)
                for j in 0..<k {
                    if hadBackup[j] { rename(written[j].backup, written[j].destination) } else { unlink(written[j].destination) }
                }
                throw CommandFailure("cannot move the new \(entry.path) into place (\(cause)); no file was changed")
            }
            for (k, entry) in written.enumerated() where hadBackup[k] { unlink(entry.backup) }
        }
        finished = true
        cleanUp()
    }

    /// Removes every temporary of this run; the destinations stay as they were.
    func discard() {
        guard !finished else { return }
        finished = true
        for writer in open where !writer.isClosed { try? writer.close() }
        cleanUp()
    }

    private func cleanUp() {
        for entry in entries {
            unlink(entry.temporary)
            unlink(entry.backup)
        }
        SignalCleanup.forgetAll()
    }

    /// For a run that failed: one clause per output saying what became of it.
    func untouchedReport() -> String {
        entries.map { entry in
            FileManager.default.fileExists(atPath: entry.destination)
                ? "kept the existing \(entry.path) unchanged" : "wrote nothing to \(entry.path)"
        }.joined(separator: "; ")
    }

    /// Removes `.NAME.PID.RANDOM.tmp` files in `directory` whose process no longer exists.
    static func removeStaleTemporaries(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        var removed = 0
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            // "", NAME…, PID, RANDOM, "tmp"
            guard parts.count >= 5, let pid = Int32(parts[parts.count - 3]), pid > 0,
                  UInt32(parts[parts.count - 2]) != nil, pid != getpid() else { continue }
            // Safe: signal 0 only asks whether the process exists.
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        if removed > 0 {
            Console.error("medtwin: removed \(removed) temporary file\(removed == 1 ? "" : "s") left in \(directory) by a run that ended abnormally")
        }
    }
}

/// A temporary output file written through a buffer with POSIX calls, so that every failure has
/// its `errno` (disk full, quota, permission) to name.
final class TemporaryFileWriter {
    private let temporary: String
    private let destination: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16
    private(set) var isClosed = false
    /// Bytes written so far.
    private(set) var byteCount = 0

    init(temporary: String, destination: String) throws {
        self.temporary = temporary
        self.destination = destination
        // Safe: opens a new file exclusively; the descriptor is closed in `close()` or `deinit`.
        descriptor = posixOpen(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot write \(destination): \(FileProblem.cause(errno: errno))")
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if !isClosed { posixClose(descriptor) } }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        byteCount += text.utf8.count
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func write(_ data: Data) throws {
        try flush()
        buffer.append(contentsOf: data)
        byteCount += data.count
        try flush()
    }

    private func flush() throws {
        var failure: Int32 = 0
        buffer.withUnsafeBytes { raw in
            // Safe: writes bytes of a live buffer; a short write continues where it stopped.
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = posixWrite(descriptor, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if failure != 0 { throw CommandFailure("cannot write \(destination): \(FileProblem.cause(errno: failure))") }
    }

    /// Flushes, syncs to disk and closes.
    func close() throws {
        guard !isClosed else { return }
        defer { isClosed = true }
        do { try flush() } catch { posixClose(descriptor); throw error }
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = posixClose(descriptor) == 0 ? 0 : errno
        if synced != 0 && synced != EINVAL { throw CommandFailure("cannot write \(destination): \(FileProblem.cause(errno: synced))") }
        if closed != 0 { throw CommandFailure("cannot write \(destination): \(FileProblem.cause(errno: closed))") }
    }
}

// File-level names for the POSIX calls whose names the writer's methods shadow.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
@discardableResult private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
