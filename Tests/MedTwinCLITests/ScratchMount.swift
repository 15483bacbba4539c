import Foundation

/// A small tmpfs mounted for one test, to give the CLI a full disk or a read-only directory that
/// even root cannot write (permissions alone do not stop root). Needs root and a kernel that lets
/// this process mount; where it cannot, ``isAvailable`` is false and the tests that need it are
/// skipped with a message.
struct ScratchMount {
    let directory: URL

    /// Mounts a tmpfs of `kilobytes` KiB (read-only when `readOnly`) on a new directory.
    init(kilobytes: Int, readOnly: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-mount-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let options = "size=\(kilobytes)k" + (readOnly ? ",ro" : "")
        guard Self.mount(["-t", "tmpfs", "-o", options, "tmpfs", directory.path]) else {
            try? FileManager.default.removeItem(at: directory)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    /// Writes `data` to `name` on a read-only mount by remounting it writable for that moment.
    func place(_ data: Data, as name: String) throws {
        guard Self.mount(["-o", "remount,rw", directory.path]) else { throw CocoaError(.fileWriteNoPermission) }
        defer { _ = Self.mount(["-o", "remount,ro", directory.path]) }
        try data.write(to: directory.appendingPathComponent(name))
    }

    func unmount() {
        _ = Self.run("/bin/umount", [directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether this process may mount a tmpfs (probed once: mount, then unmount).
    static let isAvailable: Bool = {
        guard let probe = try? ScratchMount(kilobytes: 16) else { return false }
        probe.unmount()
        return true
    }()

    private static func mount(_ arguments: [String]) -> Bool { run("/bin/mount", arguments) }

    private static func run(_ executable: String, _ arguments: [String]) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
