import Testing
import TwinLinearAlgebra

@Suite struct BLASRuntimeTests {
    // Changing the thread count while other tests run BLAS calls in parallel is not safe in
    // OpenBLAS, so `withThreadCount` is tested in its own process: MedTwinCLITests runs
    // `medtwin bench linalg --threads 1`.

    @Test func reportsTheLoadedCoreAndConfiguration() {
        #expect(!BLASRuntime.coreName.isEmpty)
        #expect(BLASRuntime.configuration.contains("OpenBLAS"))
        #expect(BLASRuntime.kernelReport().coreInUse == BLASRuntime.coreName)
    }

    @Test func exactlyOneOpenBLASLibraryIsLoaded() {
        // One OpenBLAS shared object means one thread pool; Debian's libblas.so.3 and
        // liblapack.so.3 front ends (openblas-pthread/) forward to it.
        let libraries = BLASRuntime.loadedLibraries
        let cores = libraries.filter { $0.split(separator: "/").last?.hasPrefix("libopenblas") ?? false }
        #expect(cores.count == 1, "\(libraries)")
        let foreign = libraries.filter { !$0.contains("openblas") && ($0.contains("libblas") || $0.contains("liblapack.so")) }
        #expect(foreign.isEmpty, "reference BLAS/LAPACK loaded beside OpenBLAS: \(foreign)")
    }
}

/// The kernel advice is a pure function of its inputs: checked here with synthetic CPUs.
@Suite struct BLASKernelReportTests {
    let everyCore: (String) -> Bool = { _ in true }
    let avx512bf16: CPUFeatures = [.sse3, .avx, .avx2, .fma, .avx512, .avx512bf16]

    @Test func weakerInheritedCoreTypeIsCorrected() {
        let report = BLASKernelReport(coreInUse: "Haswell", features: avx512bf16, hasCore: { $0 != "SapphireRapids" },
                                      coreTypeSetting: "Haswell", level2SizeSetting: nil, cpuLevel2KiB: 2048)
        #expect(report.bestCore == "Cooperlake")
        #expect(report.changes == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Cooperlake")])
        #expect(report.summary.contains("inherited OPENBLAS_CORETYPE=Haswell"))
        #expect(!report.isOptimal)
    }

    @Test func ownDetectionFallingBackToPrescottIsCorrected() {
        // OpenBLAS 0.3.21 does not know newer Xeons and falls back to Prescott (seen on this machine).
        let report = BLASKernelReport(coreInUse: "Prescott", features: avx512bf16, hasCore: { ["SkylakeX", "Cooperlake", "Haswell"].contains($0) },
                                      coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: nil)
        #expect(report.changes == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Cooperlake")])
        #expect(report.summary.contains("its own CPU detection"))
    }

    @Test func smallerInheritedL2SizeIsUnset() {
        let report = BLASKernelReport(coreInUse: "Cooperlake", features: avx512bf16, hasCore: { $0 == "Cooperlake" },
                                      coreTypeSetting: nil, level2SizeSetting: "512", cpuLevel2KiB: 2048)
        #expect(report.changes == [EnvironmentChange(name: "OPENBLAS_L2_SIZE", value: nil)])
        #expect(report.changes[0].description == "unset OPENBLAS_L2_SIZE")
        // A setting at least as large as the cache (here in bytes) is left alone.
        let fine = BLASKernelReport(coreInUse: "Cooperlake", features: avx512bf16, hasCore: { $0 == "Cooperlake" },
                                    coreTypeSetting: nil, level2SizeSetting: "2097152", cpuLevel2KiB: 2048)
        #expect(fine.isOptimal)
    }

    @Test func bestCoreInUseNeedsNothing() {
        let report = BLASKernelReport(coreInUse: "SkylakeX", features: [.avx, .avx2, .fma, .avx512], hasCore: everyCore,
                                      coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: 1024)
        #expect(report.isOptimal)
        #expect(report.bestCore == "SkylakeX")
    }

    @Test func amdPrefersZenAndOldCpusOrUnknownBuildsAreLeftAlone() {
        let zen = BLASKernelReport(coreInUse: "Prescott", features: [.avx, .avx2, .fma, .amd], hasCore: everyCore,
                                   coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: nil)
        #expect(zen.changes == [EnvironmentChange(name: "OPENBLAS_CORETYPE", value: "Zen")])
        let old = BLASKernelReport(coreInUse: "Prescott", features: [.sse3], hasCore: everyCore,
                                   coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: nil)
        #expect(old.isOptimal && old.bestCore == nil)
        let singleCoreBuild = BLASKernelReport(coreInUse: "Haswell", features: avx512bf16, hasCore: { _ in false },
                                               coreTypeSetting: nil, level2SizeSetting: nil, cpuLevel2KiB: nil)
        #expect(singleCoreBuild.isOptimal)
    }
}
