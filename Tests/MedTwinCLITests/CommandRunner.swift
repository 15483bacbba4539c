import Foundation

/// Runs the built `medtwin` executable, as a person would from a shell.
struct CommandRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `medtwin` binary next to the test bundle (SwiftPM builds both into the same folder).
    static var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("medtwin")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return here.appendingPathComponent("medtwin")
    }

    /// Runs `medtwin arguments…` with the test process's environment minus MedTwin's own
    /// `MEDTWIN_*` variables, plus `environment`.
    ///
    /// An inherited `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE` passes through unchanged: machines set
    /// them where other kernels compute wrong results or crash, so tests never set, change or
    /// remove them.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        precondition(!environment.keys.contains { $0.hasPrefix("OPENBLAS_") }, "tests must not set OpenBLAS's variables")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MEDTWIN_") }
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The value of `key=` in the first `RESULT` line.
    static func field(_ key: String, in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        for pair in line.split(separator: " ") where pair.hasPrefix(key + "=") {
            return String(pair.dropFirst(key.count + 1))
        }
        return nil
    }
}
