import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// What the CLI does with requests meant to break it: sizes that overflow, requests whose memory
/// would be out of proportion, outputs that would clobber each other or an older good result,
/// signals in the middle of a run, and file-system errors. Each stops with a sentence naming the
/// quantity or the path, before computing where that is possible, and leaves no temporary behind.
@Suite struct AdversarialCommandTests {
    static func run(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(arguments + ["--keep-blas-env"])
    }

    /// The exit status of a Swift runtime trap (SIGILL, 128 + 4) that these requests used to get.
    static let trapStatus: Int32 = 132
    /// ArgumentParser's status for a validation error (EX_USAGE).
    static let usageStatus: Int32 = 64

    /// Temporary files (`.NAME.PID.RANDOM.tmp`) in `directory`.
    static func temporaries(in directory: URL) throws -> [String] {
        try SimulateCommandTests.contents(of: directory).filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
    }

    static let ensembleBase = ["ensemble", "--model", "pk-1cmt", "--variability", "CL=30%", "--regimen", "100 mg po",
                               "--until", "12h", "--quiet"]

    // MARK: - Overflow

    @Test func hugePatientCountIsRefusedWithTheLimitInsteadOfTrapping() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.run(Self.ensembleBase + ["--patients", "\(Int.max)", "--out", directory.appendingPathComponent("b.csv").path])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("--patients \(Int.max) is more than the limit of 100000000 patients"), "\(result.stderr)")
        #expect(result.stderr.contains("--max-patients"))
        #expect(try SimulateCommandTests.contents(of: directory).isEmpty)
    }

    @Test(arguments: [["--dump", "final.bin"], ["--params", "rows.bin"]])
    func benchEnsembleSizeProductsAreCheckedNotTrapped(_ option: [String]) throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = directory.appendingPathComponent("rows.bin")
        try Data(count: 64).write(to: rows)
        let path = directory.appendingPathComponent(option[1]).path
        let result = try Self.run(["bench", "ensemble", "--patients", "\(Int.max)", option[0], path])
        #expect(result.status != Self.trapStatus)
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("\(option[0]) with --patients \(Int.max)"), "\(result.stderr)")
        #expect(result.stderr.contains("more than --max-memory 2 GiB"))
    }

    @Test func hugeMatrixOrderIsRefusedNotTrapped() throws {
        let result = try Self.run(["bench", "linalg", "--n", "\(Int.max)"])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("--n \(Int.max) needs more than 8 EiB per matrix; use at most 20000"), "\(result.stderr)")
    }

    @Test func hugeThreadCountIsRefused() throws {
        let result = try Self.run(Self.ensembleBase + ["--patients", "10", "--threads", "\(Int.max)", "--out", "/tmp/never-written.csv"])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("--threads must be between 1 and 1024"))
    }

    // MARK: - Budgets

    @Test func bandsTooLargeForTheMemoryBudgetAreRefusedBeforeComputing() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let started = ContinuousClock.now
        let result = try Self.run(Self.ensembleBase + ["--patients", "100000", "--points", "100000", "--threads", "2",
                                                       "--out", directory.appendingPathComponent("b.csv").path])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("--points 100000 × 1 outputs × 2 threads needs about"), "\(result.stderr)")
        #expect(result.stderr.contains("more than --max-memory 2 GiB allows"))
        // Refused at once: 100000 patients would take minutes in a debug build.
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(try SimulateCommandTests.contents(of: directory).isEmpty)
    }

    /// An ensemble within a raised budget stays under it: the estimate is an upper bound.
    @Test func ensembleWithinItsBudgetStaysUnderIt() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let budgetMiB = 256
        let child = try ChildProcess.start(Self.ensembleBase + ["--patients", "48", "--points", "2000", "--threads", "1",
                                                                "--max-memory", "\(budgetMiB)MiB", "--keep-blas-env",
                                                                "--out", directory.appendingPathComponent("b.csv").path,
                                                                "--members", directory.appendingPathComponent("m.csv").path],
                                           measure: true)
        let outcome = child.wait()
        #expect(outcome.result.status == 0, "\(outcome.result.stderr)")
        let peak = try #require(outcome.peakKiB)
        #expect(peak < budgetMiB * 1024, "peak resident memory \(peak) KiB within --max-memory \(budgetMiB) MiB")
    }

    /// A span far beyond what the model can step through: the solver stops at the step budget
    /// that --max-memory leaves, says so, and the process stays under that budget.
    @Test func simulateStepBudgetBoundsMemoryForAnEndlessSpan() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let budgetMiB = 128
        let child = try ChildProcess.start(["simulate", "--model", "windkessel", "--until", "10000000h", "--max-memory", "\(budgetMiB)MiB",
                                            "--keep-blas-env", "--out", directory.appendingPathComponent("w.csv").path], measure: true)
        let outcome = child.wait()
        #expect(outcome.result.status == 2, "\(outcome.result.stderr)")
        #expect(outcome.result.stderr.contains("the step budget was"), "\(outcome.result.stderr)")
        #expect(outcome.result.stderr.contains("--max-memory 128 MiB"))
        #expect(outcome.result.stderr.contains("wrote nothing to \(directory.appendingPathComponent("w.csv").path)"))
        let peak = try #require(outcome.peakKiB)
        #expect(peak < budgetMiB * 1024, "peak resident memory \(peak) KiB within --max-memory \(budgetMiB) MiB")
        #expect(try SimulateCommandTests.contents(of: directory).isEmpty)
    }

    @Test func simulateRowsBeyondTheBudgetAreRefused() throws {
        let result = try Self.run(["simulate", "--model", "pk-1cmt", "--until", "24h", "--points", "1000000", "--max-memory", "100MB",
                                   "--out", "/tmp/never-written.csv"])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("--points 1000000 × 1 outputs needs about"), "\(result.stderr)")
        #expect(result.stderr.contains("--max-memory 95.4 MiB"))
    }

    // MARK: - Failed runs keep good files

    @Test func failingSimulateLeavesExistingOutputsByteIdentical() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("run.csv"), svg = directory.appendingPathComponent("run.svg")
        let good = Data("# a good earlier result\n".utf8)
        try good.write(to: csv)
        let arguments = ["simulate", "--model", "pk-1cmt", "--regimen", "100 mg po q12h x4", "--until", "48h", "--max-steps", "20",
                         "--out", csv.path, "--plot", svg.path]
        let result = try Self.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(try Data(contentsOf: csv) == good)
        #expect(try SimulateCommandTests.contents(of: directory) == ["run.csv"])
        #expect(result.stderr.contains("medtwin simulate: solve: Tsit5"), "the failed status goes to stderr: \(result.stderr)")
        #expect(!result.stdout.contains("status:"), "and not to stdout: \(result.stdout)")
        #expect(result.stderr.contains("kept the existing \(csv.path) unchanged; wrote nothing to \(svg.path)"), "\(result.stderr)")
        #expect(result.stderr.contains("--force"))

        let forced = try Self.run(arguments + ["--force"])
        #expect(forced.status == 2)
        #expect(try String(contentsOf: csv, encoding: .utf8).contains("status: "), "--force writes the failed run's output")
        #expect(try SimulateCommandTests.contents(of: directory) == ["run.csv", "run.svg"])
    }

    @Test func allInvalidPopulationDoesNotReplaceTheBands() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bands = directory.appendingPathComponent("bands.csv")
        let good = Data("# earlier bands\n".utf8)
        try good.write(to: bands)
        // F's range is (0, 1]: a normal spread of SD 100 around 0.9 puts all eight patients outside it (seed 1).
        let result = try Self.run(["ensemble", "--model", "pk-1cmt", "--patients", "8", "--param", "F=0.9", "--variability", "sd:F=100",
                                   "--regimen", "100 mg po", "--until", "12h", "--threads", "1", "--quiet", "--out", bands.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("0 solved, 8 invalid"), "\(result.stderr)")
        #expect(result.stderr.contains("medtwin ensemble: no patient was solved, so no file was replaced: kept the existing \(bands.path) unchanged"))
        #expect(try Data(contentsOf: bands) == good)
        #expect(try Self.temporaries(in: directory).isEmpty)
    }

    // MARK: - Paths checked first

    @Test func outputsNamingTheSameFileAreRefusedBeforeComputing() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appendingPathComponent("a.csv")
        let simulate = try Self.run(["simulate", "--model", "pk-1cmt", "--until", "24h", "--out", a.path,
                                     "--plot", directory.path + "/./a.csv"])
        #expect(simulate.status == Self.usageStatus, "\(simulate.stderr)")
        #expect(simulate.stderr.contains("name the same file"), "\(simulate.stderr)")

        // Through a symbolic link, and for the ensemble, before its (long) computation.
        let link = directory.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: a.path)
        let ensemble = try Self.run(Self.ensembleBase + ["--patients", "5000", "--out", a.path, "--members", link.path])
        #expect(ensemble.status == Self.usageStatus, "\(ensemble.stderr)")
        #expect(ensemble.stderr.contains("--out \(a.path) and --members \(link.path) name the same file"), "\(ensemble.stderr)")
        #expect(try SimulateCommandTests.contents(of: directory) == ["link.csv"])
    }

    @Test func outputOverAnInputIsRefused() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cohort = directory.appendingPathComponent("cohort.csv")
        try "ID,TIME,AMT,DV,WT\n1,0,0,0,70\n".write(to: cohort, atomically: true, encoding: .utf8)
        let result = try Self.run(Self.ensembleBase + ["--patients", "10", "--cohort", cohort.path, "--out", cohort.path])
        #expect(result.status == Self.usageStatus)
        #expect(result.stderr.contains("--out \(cohort.path) is the --cohort input file"), "\(result.stderr)")
    }

    @Test func missingDirectoryIsNamedBeforeComputing() throws {
        let result = try Self.run(Self.ensembleBase + ["--patients", "100000", "--out", "/nonexistent-medtwin/b.csv"])
        #expect(result.status == Self.usageStatus)
        #expect(result.stderr.contains("--out /nonexistent-medtwin/b.csv: the directory /nonexistent-medtwin does not exist"), "\(result.stderr)")
        #expect(!result.stderr.contains("medtwin simulate"), "an ensemble error names the ensemble")
    }

    /// Whether permissions can make a directory read-only for this process (not for root).
    static var readOnlyDirectoriesWork: Bool {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medtwin-ro-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)) != nil else { return false }
        defer { chmod(url.path, 0o755); try? FileManager.default.removeItem(at: url) }
        chmod(url.path, 0o555)
        return access(url.path, W_OK) != 0
    }

    @Test(.enabled(if: readOnlyDirectoriesWork, "running as root: permissions do not make a directory read-only, so this cannot be tested"))
    func readOnlyDirectoryIsRefusedBeforeComputing() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { chmod(directory.path, 0o755); try? FileManager.default.removeItem(at: directory) }
        chmod(directory.path, 0o555)
        let result = try Self.run(Self.ensembleBase + ["--patients", "100000", "--out", directory.appendingPathComponent("b.csv").path])
        #expect(result.status == Self.usageStatus)
        #expect(result.stderr.contains("cannot write in \(directory.path) (permission denied)"), "\(result.stderr)")
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "this process cannot mount a tmpfs (not root, or not allowed here), so a read-only file system cannot be made"))
    func readOnlyFileSystemIsRefusedBeforeComputing() throws {
        let mount = try ScratchMount(kilobytes: 64, readOnly: true)
        defer { mount.unmount() }
        let result = try Self.run(Self.ensembleBase + ["--patients", "100000", "--out", mount.directory.appendingPathComponent("b.csv").path])
        #expect(result.status == Self.usageStatus, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write in \(mount.directory.path)"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "this process cannot mount a tmpfs (not root, or not allowed here), so a full disk cannot be made"))
    func fullDiskLeavesTheOldFileAndNoTemporary() throws {
        // A 64 KiB file system holding an earlier result; the new CSV (5000 rows, about 150 KB)
        // cannot fit, so writing it fails part-way.
        let mount = try ScratchMount(kilobytes: 64)
        defer { mount.unmount() }
        let csv = mount.directory.appendingPathComponent("run.csv")
        let good = Data("# a good earlier result\n".utf8)
        try good.write(to: csv)
        let result = try Self.run(["simulate", "--model", "pk-1cmt", "--regimen", "100 mg po q12h x4", "--until", "48h",
                                   "--points", "5000", "--out", csv.path])
        #expect(result.status != 0, "\(result.stdout)")
        #expect(result.stderr.contains("no space left on the device"), "\(result.stderr)")
        #expect(try Data(contentsOf: csv) == good)
        #expect(try Self.temporaries(in: mount.directory).isEmpty)
    }

    @Test func unreadableInputIsASentenceNotAnErrorCode() throws {
        let result = try Self.run(Self.ensembleBase + ["--patients", "10", "--omega", "/nonexistent-medtwin/omega.txt",
                                                       "--out", "/tmp/never-written.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read --omega /nonexistent-medtwin/omega.txt: no such file or directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.csv"))
    }

    // MARK: - Signals and stale temporaries

    struct Interruption: CustomTestStringConvertible, Sendable {
        let signal: Int32
        let delayMilliseconds: Int
        var testDescription: String { "signal \(signal) after \(delayMilliseconds) ms" }
    }

    static let interruptions = [Interruption(signal: SIGTERM, delayMilliseconds: 150), Interruption(signal: SIGINT, delayMilliseconds: 600),
                                Interruption(signal: SIGTERM, delayMilliseconds: 1500), Interruption(signal: SIGHUP, delayMilliseconds: 3000)]

    @Test(arguments: interruptions)
    func aSignalLeavesTheOldSetOrTheNewSetAndNoTemporaries(_ interruption: Interruption) throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bands = directory.appendingPathComponent("bands.csv"), members = directory.appendingPathComponent("members.csv")
        let oldBands = Data("# old bands\n".utf8), oldMembers = Data("# old members\n".utf8)
        try oldBands.write(to: bands)
        try oldMembers.write(to: members)
        let child = try ChildProcess.start(Self.ensembleBase + ["--patients", "400", "--threads", "2", "--keep-blas-env",
                                                                "--out", bands.path, "--members", members.path])
        usleep(UInt32(interruption.delayMilliseconds) * 1000)
        child.signal(interruption.signal)
        let outcome = child.wait()
        let newBands = try Data(contentsOf: bands), newMembers = try Data(contentsOf: members)
        if newBands == oldBands {
            #expect(newMembers == oldMembers, "the old set, whole")
            #expect(outcome.result.status == 128 + interruption.signal && !outcome.signalled,
                    "exit status 128 + signo, not \(outcome.signalled ? "killed by signal" : "status") \(outcome.result.status): \(outcome.result.stderr)")
        } else {
            let bandsText = String(decoding: newBands, as: UTF8.self), membersText = String(decoding: newMembers, as: UTF8.self)
            #expect(bandsText.contains("# members: 400 solved"), "the new set, whole")
            #expect(membersText.hasSuffix("# members: 400 solved, 0 invalid input, 0 solver failures\n"))
        }
        #expect(try Self.temporaries(in: directory).isEmpty)
    }

    /// The last rename of a set fails (a directory appeared where the plot goes while the run was
    /// computing): the files already renamed are put back, so the old set stays whole.
    @Test func aFailedRenameRollsBackTheFilesAlreadyReplaced() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bands = directory.appendingPathComponent("bands.csv"), members = directory.appendingPathComponent("members.csv")
        let plot = directory.appendingPathComponent("bands.svg")
        let oldBands = Data("# old bands\n".utf8), oldMembers = Data("# old members\n".utf8)
        try oldBands.write(to: bands)
        try oldMembers.write(to: members)
        let child = try ChildProcess.start(Self.ensembleBase + ["--patients", "400", "--threads", "1", "--keep-blas-env",
                                                                "--out", bands.path, "--members", members.path, "--plot", plot.path])
        // The run takes over a second in a debug build; the paths were checked at its start.
        usleep(100_000)
        try FileManager.default.createDirectory(at: plot, withIntermediateDirectories: false)
        try Data("occupied".utf8).write(to: plot.appendingPathComponent("inside"))
        let outcome = child.wait()
        #expect(outcome.result.status == 1, "\(outcome.result.stdout) \(outcome.result.stderr)")
        #expect(outcome.result.stderr.contains("medtwin ensemble: cannot move the new \(plot.path) into place"), "\(outcome.result.stderr)")
        #expect(outcome.result.stderr.contains("no file was changed"))
        #expect(try Data(contentsOf: bands) == oldBands)
        #expect(try Data(contentsOf: members) == oldMembers)
        #expect(try Self.temporaries(in: directory).isEmpty)
    }

    @Test func staleTemporaryOfADeadProcessIsRemovedByTheNextRun() throws {
        let directory = try SimulateCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A pid above Linux's largest (2^22) belongs to no process; our own pid is alive.
        let dead = directory.appendingPathComponent(".run.csv.2147483646.12345.tmp")
        let alive = directory.appendingPathComponent(".run.csv.\(getpid()).12345.tmp")
        try Data("half a file".utf8).write(to: dead)
        try Data("being written".utf8).write(to: alive)
        let result = try Self.run(["simulate", "--model", "pk-1cmt", "--until", "2h", "--points", "3",
                                   "--out", directory.appendingPathComponent("run.csv").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed 1 temporary file left in"), "\(result.stderr)")
        #expect(try SimulateCommandTests.contents(of: directory) == [alive.lastPathComponent, "run.csv"])
    }
}
