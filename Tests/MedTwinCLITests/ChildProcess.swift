import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `medtwin` started in the background, for tests that signal it or measure its peak memory.
struct ChildProcess {
    let process: Process
    let out: Pipe
    let err: Pipe
    /// Where /usr/bin/time writes the peak resident set size, when it is used.
    let timeReport: URL?

    /// GNU time, which reports a child's peak resident memory (`%M`, KiB) on its own.
    static let timeTool = "/usr/bin/time"

    /// Starts `medtwin arguments…` (with `--keep-blas-env` added by the caller where wanted); with
    /// `measure`, under /usr/bin/time when it is present.
    static func start(_ arguments: [String], measure: Bool = false) throws -> ChildProcess {
        let process = Process()
        var report: URL?
        if measure, FileManager.default.isExecutableFile(atPath: timeTool) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-rss-\(UUID().uuidString)")
            report = file
            process.executableURL = URL(fileURLWithPath: timeTool)
            process.arguments = ["-f", "%M", "-o", file.path, CommandRunner.executable.path] + arguments
        } else {
            process.executableURL = CommandRunner.executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MEDTWIN_") }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return ChildProcess(process: process, out: out, err: err, timeReport: report)
    }

    struct Outcome {
        let result: CommandRunner.Result
        /// Terminated by a signal (its number in `result.status`) rather than exiting.
        let signalled: Bool
        /// The child's peak resident memory in KiB, when measured.
        let peakKiB: Int?
    }

    func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }

    /// Waits for the exit and reads the output (and the peak memory).
    func wait() -> Outcome {
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var peak: Int?
        if let timeReport {
            // GNU time may print a "Command exited with non-zero status" line before the number.
            let text = (try? String(contentsOf: timeReport, encoding: .utf8)) ?? ""
            peak = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last
            try? FileManager.default.removeItem(at: timeReport)
        } else {
            var usage = rusage()
            // Safe: fills the struct; the maximum over waited-for children is an upper bound for this one.
            if getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage) == 0 { peak = usage.ru_maxrss }
        }
        return Outcome(result: CommandRunner.Result(status: process.terminationStatus,
                                                    stdout: String(decoding: outData, as: UTF8.self),
                                                    stderr: String(decoding: errData, as: UTF8.self)),
                       signalled: process.terminationReason == .uncaughtSignal, peakKiB: peak)
    }
}
