import ArgumentParser

/// `medtwin bench …`: timings of MedTwin's hot paths, printed as `RESULT key=value …` lines that
/// `Benchmarks/compare/*.sh` set against the C peers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time MedTwin's hot paths (compare with the C peers via Benchmarks/compare/).",
        subcommands: [BenchLinalgCommand.self, BenchODECommand.self, BenchEnsembleCommand.self]
    )
}

/// Options every command that touches OpenBLAS shares.
struct KernelOptions: ParsableArguments {
    @Flag(name: .customLong("keep-blas-env"),
          help: "Keep inherited OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE even when they force weaker kernels (also MEDTWIN_KEEP_BLAS_ENV=1).")
    var keepBLASEnvironment = false
}
