// swift-tools-version: 6.1
//
// MedTwin's benchmarks (ordo-one/benchmark), in a package of their own so that the benchmark
// dependency never reaches the library's consumers (ARCHITECTURE.md, "Targets").
//
// Run from this directory, with native code generation for this machine (ARCHITECTURE.md, "Codegen"):
//
//     cd Benchmarks
//     swift package -c release -Xswiftc -target-cpu -Xswiftc native benchmark
//     swift package -c release -Xswiftc -target-cpu -Xswiftc native benchmark --filter 'gemm.*'
//
// or from the repository root with `swift package --package-path Benchmarks -c release -Xswiftc
// -target-cpu -Xswiftc native benchmark` (but threshold checks read ./Thresholds: run those here).
//
// The `-Xswiftc` flags given to `swift package` reach every target the plugin builds (MedTwin's
// targets and the benchmarks); the plugin's own `--Xswiftc` option only reaches its BenchmarkTool.
//
// Check the allocation counts against Thresholds/ (only mallocCountTotal is recorded there; it is
// deterministic, the timings are not):
//
//     swift package -c release -Xswiftc -target-cpu -Xswiftc native benchmark thresholds check
//
// (after an intended change: `swift package -c release -Xswiftc -target-cpu -Xswiftc native
// --allow-writing-to-package-directory benchmark thresholds update`, then keep only the
// mallocCountTotal lines of the benchmarks that already have a file, and say why in the commit).
//
// OpenBLAS picks its kernels once, at load, from OPENBLAS_CORETYPE or its own CPU detection, and
// the benchmark process cannot restart itself as `medtwin` does: start it with the best core
// (e.g. `OPENBLAS_CORETYPE=Cooperlake`, as `medtwin bench linalg` reports it on its
// `# blas:` line). The benchmarks print the core in use, and what to set, on stderr.
//
// MedTwin against the C peers in one run: compare/linalg.sh (OpenBLAS from C), compare/ode.sh
// (SUNDIALS CVODE from C and SciPy), compare/ensemble.sh (hand-written C DP5 and CVODE on the
// same virtual patients).

import PackageDescription

let package = Package(
    name: "MedTwinBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "MedTwin", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LinearAlgebraBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TwinLinearAlgebra", package: "MedTwin"),
                .product(name: "TwinWorkloads", package: "MedTwin"),
            ],
            path: "Benchmarks/LinearAlgebraBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ODEBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TwinODE", package: "MedTwin"),
                .product(name: "TwinWorkloads", package: "MedTwin"),
            ],
            path: "Benchmarks/ODEBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ModelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TwinModels", package: "MedTwin"),
                .product(name: "TwinODE", package: "MedTwin"),
                .product(name: "TwinData", package: "MedTwin"),
            ],
            path: "Benchmarks/ModelBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EnsembleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TwinEnsemble", package: "MedTwin"),
                .product(name: "TwinODE", package: "MedTwin"),
                .product(name: "TwinWorkloads", package: "MedTwin"),
            ],
            path: "Benchmarks/EnsembleBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
