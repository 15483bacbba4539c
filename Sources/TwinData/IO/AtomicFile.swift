import Foundation

/// Writes files atomically: the bytes go to a temporary file in the same directory, which is
/// then renamed over the destination, so a reader never sees a half-written file.
///
/// ```swift
/// try AtomicFile.write(Data("ID,TIME\n".utf8), to: URL(fileURLWithPath: "out.csv"))
/// ```
public enum AtomicFile {
    /// Writes `data` to `url` atomically (temporary file + rename).
    ///
    /// - Throws: ``RecordError/io(file:message:)`` naming the file and the system's reason.
    public static func write(_ data: Data, to url: URL) throws(RecordError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw .io(file: url.lastPathComponent, message: "cannot write a temporary file in \(directory.path): \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io(file: url.lastPathComponent, message: "cannot move the temporary file into place: \(reason)")
        }
    }
}
