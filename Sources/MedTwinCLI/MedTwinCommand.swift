import ArgumentParser

/// `medtwin`: the MedTwin command-line tool. Thin: it parses, calls the library, and owns files
/// and formatting.
@main
struct MedTwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medtwin",
        abstract: "MedTwin: a numerical engine for medical digital twins.",
        discussion: """
            At start-up medtwin checks which OpenBLAS kernels it runs. Where an inherited setting \
            (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) or OpenBLAS's own CPU detection leaves it on kernels \
            weaker than the CPU supports, it says so on stderr and restarts itself once with the \
            setting corrected. Pass --keep-blas-env, or set MEDTWIN_KEEP_BLAS_ENV=1, to keep the \
            inherited setting.
            """,
        version: EngineInfo.version,
        subcommands: [BenchCommand.self, RecordsCommand.self, ModelsCommand.self, SimulateCommand.self, EnsembleCommand.self]
    )

    static func main() {
        KernelRestart.applyIfNeeded(arguments: CommandLine.arguments)
        main(nil)
    }
}
