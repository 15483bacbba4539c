import ArgumentParser

/// `medtwin bench …`: timings of MedTwin's hot paths, printed as `RESULT key=value …` lines that
/// `Benchmarks/compare/*.sh` set against the C peers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time MedTwin's hot paths (compare with the C peers via Benchmarks/compare/).",
        subcommands: [BenchLinalgCommand.self, BenchODECommand.self, BenchEnsembleCommand.self, BenchFitCommand.self, BenchTwinCommand.self]
    )
}

/// Options every command that touches OpenBLAS shares. `KernelRestart` reads them from the raw
/// arguments before parsing (OpenBLAS is loaded by then); declaring them here makes them valid.
/// They act only where the run may call OpenBLAS (`KernelRestart.mayUseBLAS(arguments:)`).
struct KernelOptions: ParsableArguments {
    @Flag(name: .customLong("keep-blas-env"),
          help: "Never restart onto other OpenBLAS kernels and never advise about them (also MEDTWIN_KEEP_BLAS_ENV=1). Only runs that may call OpenBLAS (bench; simulate or ensemble with a stiff --solver; ensemble --omega) ever restart or advise.")
    var keepBLASEnvironment = false

    @Flag(name: .customLong("faster-blas"),
          help: """
              Restart onto the fastest OpenBLAS kernels this CPU supports even over an inherited \
              OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, after a numerical self-test of them (also MEDTWIN_FASTER_BLAS=1).
              """)
    var fasterBLAS = false
}
