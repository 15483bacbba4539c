import ArgumentParser

/// `medtwin`: the MedTwin command-line tool. Thin: it parses, calls the library, and owns files
/// and formatting.
@main
struct MedTwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medtwin",
        abstract: "MedTwin: a numerical engine for medical digital twins.",
        discussion: """
            Where a command may call OpenBLAS (bench linalg, bench ode, bench ensemble; simulate with \
            a stiff --solver such as rodas4 or bdf; ensemble with a stiff --solver or --omega), medtwin \
            checks at start-up which OpenBLAS kernels it runs; records, models and explicit-solver \
            simulations never restart nor advise. An inherited OPENBLAS_CORETYPE \
            or OPENBLAS_L2_SIZE is kept (it may guard against OpenBLAS builds that fail on this CPU); \
            where it forces weaker kernels than the CPU supports, one line on stderr says so. Pass \
            --faster-blas, or set MEDTWIN_FASTER_BLAS=1, to restart onto the faster kernels. Where \
            nothing is inherited and OpenBLAS's own detection fell short, medtwin restarts itself once \
            with the setting corrected. A restarted medtwin first checks the new kernels with a \
            numerical self-test and goes back to the original environment if they fail it. Pass \
            --keep-blas-env, or set MEDTWIN_KEEP_BLAS_ENV=1, to never restart and never advise.
            """,
        version: EngineInfo.version,
        subcommands: [BenchCommand.self, RecordsCommand.self, ModelsCommand.self, SimulateCommand.self, EnsembleCommand.self, FitCommand.self]
    )

    static func main() {
        KernelRestart.applyIfNeeded(arguments: CommandLine.arguments)
        // From here on SIGINT, SIGTERM and SIGHUP end the process with status 128 + signo, after
        // removing the temporaries of any output being written.
        SignalCleanup.install()
        main(nil)
    }
}
