import Synchronization

/// The OpenBLAS runtime this process uses: its kernels, its thread pool, and how to get the best
/// of both.
///
/// The process holds exactly one OpenBLAS thread pool (LAPACK reaches the same library); its size
/// is set here. When the engine runs its own worker threads (an ensemble), run BLAS
/// single-threaded inside them:
///
/// ```swift
/// BLASRuntime.withThreadCount(1) {
///     // spawn workers that each call small BLAS/LAPACK routines
/// }
/// print(BLASRuntime.coreName)                  // "Cooperlake"
/// print(BLASRuntime.kernelReport().summary)    // what to set if a faster core is available
/// print(BLASSelfTest.run().summary)            // whether these kernels compute correctly
/// ```
public enum BLASRuntime {
    private static let threadLock = Mutex(())

    /// The OpenBLAS core whose kernels are in use, e.g. "Haswell", "SkylakeX", "Cooperlake".
    public static var coreName: String { OpenBLASBackend.coreName }

    /// OpenBLAS's build configuration string (version, DYNAMIC_ARCH, maximum threads …).
    public static var configuration: String { OpenBLASBackend.configuration }

    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { OpenBLASBackend.threadCount }

    /// The number of processors OpenBLAS sees.
    public static var processorCount: Int { OpenBLASBackend.processorCount }

    /// Sets the number of threads OpenBLAS uses for each call (clamped to at least 1).
    ///
    /// OpenBLAS resizes its one pool; do this while no other thread is inside a BLAS call.
    public static func setThreadCount(_ count: Int) {
        threadLock.withLock { _ in OpenBLASBackend.setThreadCount(Swift.max(1, count)) }
    }

    /// Runs `body` with OpenBLAS set to `count` threads, then restores the previous count.
    ///
    /// When the count is already `count`, OpenBLAS is not touched: growing its pool back wakes its
    /// idle threads, which then spin for a while and take a core from whatever runs next.
    public static func withThreadCount<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let wanted = Swift.max(1, count)
        let previous = threadLock.withLock { _ in
            let old = OpenBLASBackend.threadCount
            if old != wanted { OpenBLASBackend.setThreadCount(wanted) }
            return old
        }
        defer {
            if previous != wanted { threadLock.withLock { _ in OpenBLASBackend.setThreadCount(previous) } }
        }
        return try body()
    }

    /// The kernels in use against the best this CPU and this OpenBLAS allow, with the environment
    /// settings that would select them (``BLASKernelReport/changes``).
    public static func kernelReport() -> BLASKernelReport {
        BLASKernelReport(coreInUse: OpenBLASBackend.coreName,
                         features: OpenBLASBackend.cpuFeatures,
                         hasCore: OpenBLASBackend.hasCore,
                         coreTypeSetting: OpenBLASBackend.environment("OPENBLAS_CORETYPE"),
                         level2SizeSetting: OpenBLASBackend.environment("OPENBLAS_L2_SIZE"),
                         cpuLevel2KiB: OpenBLASBackend.level2CacheKiB)
    }

    /// The BLAS and LAPACK shared objects mapped into this process (Linux; empty elsewhere).
    /// With Debian's OpenBLAS they are `libopenblas.so.0` and the `libblas.so.3`/`liblapack.so.3`
    /// front ends that forward to it.
    public static var loadedLibraries: [String] { OpenBLASBackend.mappedLinearAlgebraLibraries }
}
