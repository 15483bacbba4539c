import Foundation
import Testing
import TwinModels

/// `medtwin ensemble` and `medtwin bench ensemble` run as a person would: bands with provenance,
/// the same numbers for any thread count and lane width, per-member rows, and errors for bad input.
@Suite struct EnsembleCommandTests {
    static func run(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(arguments + ["--keep-blas-env"])
    }

    static func body(_ path: URL) throws -> [String] {
        try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test func bandsAreWrittenWithProvenanceAndDoNotDependOnThreadsOrLanes() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = ["ensemble", "--model", "pk-2cmt", "--patients", "300", "--variability", "CL=30%,V1=25%",
                    "--regimen", "100 mg po q12h x2", "--until", "24h", "--seed", "7", "--points", "25"]
        let a = directory.appendingPathComponent("a.csv"), b = directory.appendingPathComponent("b.csv")
        let members = directory.appendingPathComponent("members.csv"), svg = directory.appendingPathComponent("bands.svg")
        let first = try Self.run(base + ["--threads", "1", "--lanes", "8", "--out", a.path, "--members", members.path, "--plot", svg.path])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Self.run(base + ["--threads", "2", "--lanes", "4", "--out", b.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Self.body(a) == Self.body(b), "bands bit-identical for 1 thread × 8 lanes and 2 threads × 4 lanes")

        let text = try String(contentsOf: a, encoding: .utf8)
        for fact in ["# engine: medtwin ", "# model: pk-2cmt", "# population: 300 patients, seed 7", "# variability: CL=30%,V1=25%",
                     "# regimen: 100 mg po q12h x2", "# solver: tsit5 in 8-wide SIMD lanes", "# members: 300 solved"] {
            #expect(text.contains(fact), "provenance '\(fact)'")
        }
        let rows = try Self.body(a)
        #expect(rows.first == "time (h),output,unit,n,mean,sd,p5,p50,p95")
        #expect(rows.count == 1 + 25)
        // At 12 h every patient has C > 0 and the bands are ordered.
        let at12 = try #require(rows.first { $0.hasPrefix("12,C,") }).split(separator: ",").compactMap { Double($0) }
        // time, n, mean, sd, p5, p50, p95 (output and unit are not numbers)
        try #require(at12.count == 7)
        let (p5, p50, p95) = (at12[4], at12[5], at12[6])
        #expect(0 < p5 && p5 < p50 && p50 < p95)
        #expect(try Self.body(members).count == 301)
        #expect(try String(contentsOf: svg, encoding: .utf8).contains("<desc># engine: medtwin"))
    }

    @Test func outOfRangeMembersAreReportedAndTheRunGoesOn() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("bands.csv"), members = directory.appendingPathComponent("m.csv")
        // F's range ends at 1: with 40% variability around 0.9 many patients draw F > 1.
        let result = try Self.run(["ensemble", "--model", "pk-1cmt", "--patients", "200", "--param", "F=0.9", "--variability", "F=40%",
                                   "--regimen", "100 mg po", "--until", "12h", "--out", out.path, "--members", members.path, "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try Self.body(members)
        let invalid = rows.filter { $0.contains(",invalid,") }
        #expect(!invalid.isEmpty && invalid.count < 200)
        #expect(invalid.allSatisfy { $0.contains("F") })
        #expect(rows.filter { $0.contains(",solved,") }.count == 200 - invalid.count)
    }

    @Test func badVariabilityIsAClearError() throws {
        let result = try Self.run(["ensemble", "--model", "pk-2cmt", "--variability", "CLX=30%", "--until", "24h", "--out", "/tmp/never.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("CLX"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.csv"))
    }

    @Test func benchEnsemblePrintsAResultLine() throws {
        let result = try Self.run(["bench", "ensemble", "--problem", "bergman", "--patients", "64", "--reps", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(CommandRunner.field("problem", in: result.stdout) == "bergman")
        #expect(CommandRunner.field("failed", in: result.stdout) == "0")
        let steps = try #require(CommandRunner.field("steps_per_patient", in: result.stdout).flatMap(Double.init))
        #expect(steps > 20 && steps < 500)
    }
}
