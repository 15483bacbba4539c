import Foundation
import Testing
import TwinData

/// `--until` reads spans with TwinData's duration grammar (the same words as a regimen), and
/// commands that never call OpenBLAS neither advise about its kernels nor restart.
///
/// Every child inherits this test process's environment unchanged (``CommandRunner``): nothing
/// here sets `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE`.
@Suite struct DurationAndKernelScopeTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-duration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Spellings TwinData accepts alone and in a regimen, and ones it rejects in both.
    static let accepted = ["2h", "2 h", "120 min", "2 hours", "7200s", "1d", "1 week"]
    static let rejected = ["2w", "2 w", "120m", "24", "24 parsecs"]

    @Test func untilAcceptsExactlyTheRegimenDurations() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for span in Self.accepted {
            _ = try RegimenParser.hours(parsing: span)
            _ = try Regimen(parsing: "100 mg iv q\(span) x2")
            let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--regimen", "100 mg iv", "--until", span,
                                                "--points", "3", "--keep-blas-env", "--out", directory.appendingPathComponent("a.csv").path])
            #expect(result.status == 0, "--until \(span): \(result.stderr)")
        }
        for span in Self.rejected {
            #expect(throws: RecordError.self) { try RegimenParser.hours(parsing: span) }
            #expect(throws: RecordError.self) { try Regimen(parsing: "100 mg iv q\(span) x2") }
            for command in ["simulate", "ensemble"] {
                var arguments = [command, "--model", "pk-1cmt", "--regimen", "100 mg iv", "--until", span, "--points", "3",
                                 "--keep-blas-env", "--out", directory.appendingPathComponent("r.csv").path]
                if command == "ensemble" { arguments += ["--patients", "4", "--variability", "CL=30%"] }
                let result = try CommandRunner.run(arguments)
                #expect(result.status != 0, "\(command) --until \(span) must be refused")
                #expect(result.stderr.contains("--until '\(span)'"), "\(result.stderr)")
                // The error lists the accepted units.
                #expect(result.stderr.contains("a time unit (h, hr, hrs, hour, hours, min"), "\(result.stderr)")
            }
        }
        #expect(try !Self.contentsOf(directory).contains("r.csv"))
    }

    static func contentsOf(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
    }

    static let adviceMarker = "OpenBLAS kernels"

    /// `records` and `models` never call BLAS: with the inherited environment they say nothing
    /// about kernels on stderr and never restart (even when a restart is asked for by variable).
    @Test func commandsWithoutBLASNeverAdviseNorRestart() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples")
        let invocations: [[String]] = [
            ["records", examples.appendingPathComponent("theophylline-patient.csv").path],
            ["models"],
        ]
        for arguments in invocations {
            for environment in [[:], ["MEDTWIN_FASTER_BLAS": "1"]] {
                let result = try CommandRunner.run(arguments, environment: environment)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                #expect(!result.stderr.contains(Self.adviceMarker), "\(arguments) \(environment): \(result.stderr)")
                #expect(!result.stderr.contains("restart"), "\(arguments) \(environment): \(result.stderr)")
                #expect(!result.stderr.contains("--faster-blas"), "\(arguments): \(result.stderr)")
            }
        }
    }

    /// A simulate with an explicit solver never advises nor restarts, even when asked by variable.
    @Test func explicitSolverSimulationsNeverAdviseNorRestart() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for environment in [[:], ["MEDTWIN_FASTER_BLAS": "1"]] {
            let result = try CommandRunner.run(["simulate", "--model", "pk-1cmt", "--regimen", "100 mg iv", "--until", "2h",
                                                "--points", "3", "--solver", "dp5", "--out", directory.appendingPathComponent("s.csv").path],
                                               environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains(Self.adviceMarker), "\(result.stderr)")
            #expect(!result.stderr.contains("restart"), "\(result.stderr)")
        }
    }
}
