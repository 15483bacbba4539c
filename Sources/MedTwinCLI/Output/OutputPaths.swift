import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a command's output paths before anything is computed: each names a file (not a
/// directory) in an existing, writable directory, and no two of them — nor an output and an
/// input — resolve to the same file.
enum OutputPaths {
    /// A path given on the command line and the option that gave it.
    struct Named: Sendable {
        let option: String
        let path: String
    }

    /// Checks `outputs` (options whose path is nil are left out) against each other and `inputs`.
    ///
    /// - Throws: `ValidationError` whose sentence names the option, the path and the problem.
    static func validate(outputs: [(String, String?)], inputs: [(String, String?)] = []) throws {
        let outs = outputs.compactMap { option, path in path.map { Named(option: option, path: $0) } }
        let ins = inputs.compactMap { option, path in path.map { Named(option: option, path: $0) } }
        var seen: [(Named, String)] = []
        for output in outs {
            guard !output.path.isEmpty else { throw ValidationError("\(output.option): give a file path") }
            let url = URL(fileURLWithPath: output.path)
            let directory = url.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("\(output.option) \(output.path) is a directory; give a file path")
            }
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
                throw ValidationError("\(output.option) \(output.path): the directory \(directory) does not exist")
            }
            guard isDirectory.boolValue else {
                throw ValidationError("\(output.option) \(output.path): \(directory) is not a directory")
            }
            guard access(directory, W_OK | X_OK) == 0 else {
                throw ValidationError("\(output.option) \(output.path): cannot write in \(directory) (\(FileProblem.cause(errno: errno)))")
            }
            let resolved = resolve(output.path)
            if let twin = seen.first(where: { $0.1 == resolved }) {
                throw ValidationError("\(twin.0.option) \(twin.0.path) and \(output.option) \(output.path) name the same file (\(resolved)); give each output its own path")
            }
            for input in ins where resolve(input.path) == resolved {
                throw ValidationError("\(output.option) \(output.path) is the \(input.option) input file; write the output elsewhere")
            }
            seen.append((output, resolved))
        }
    }

    /// The absolute path with symbolic links, `.` and `..` resolved (the file itself need not exist).
    /// A symbolic link whose target does not exist yet resolves to that target.
    static func resolve(_ path: String) -> String {
        var url = URL(fileURLWithPath: path)
        // Follow links by hand (at most 40, as the kernel does) so a dangling one resolves too.
        for _ in 0..<40 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) else { break }
            url = target.hasPrefix("/") ? URL(fileURLWithPath: target)
                : url.deletingLastPathComponent().appendingPathComponent(target)
        }
        if let full = realPath(url.path) { return full }
        let directory = realPath(url.deletingLastPathComponent().path) ?? url.deletingLastPathComponent().standardized.path
        return (directory as NSString).appendingPathComponent(url.lastPathComponent)
    }

    private static func realPath(_ path: String) -> String? {
        // Safe: realpath allocates the result (freed here) or returns null.
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
