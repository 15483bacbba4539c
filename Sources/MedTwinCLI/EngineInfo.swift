import TwinLinearAlgebra

/// What every output of the CLI records about the engine that produced it (DESIGN.md, provenance).
enum EngineInfo {
    static let version = "0.1.0"

    #if DEBUG
    static let buildConfiguration = "debug"
    #else
    static let buildConfiguration = "release"
    #endif

    /// One `#`-prefixed line per fact: engine, build, BLAS core and threads, and why the process was restarted.
    static func provenanceLines() -> [String] {
        var lines = [
            "# engine: medtwin \(version) (\(buildConfiguration) build)",
            "# blas: OpenBLAS core \(BLASRuntime.coreName), \(BLASRuntime.threadCount) thread(s); \(BLASRuntime.configuration)",
            "# kernels: \(BLASRuntime.kernelReport().summary)",
        ]
        if let note = KernelRestart.restartNote { lines.append("# restarted: \(note)") }
        return lines
    }
}
