// swift-tools-version: 6.1
//
// MedTwin — a numerical engine for medical digital twins.
// Layout and allowed imports: ARCHITECTURE.md. Benchmarks live in the nested
// package Benchmarks/ so that their dependency never reaches library consumers.

import PackageDescription

let package = Package(
    name: "MedTwin",
    products: [
        .library(name: "MedTwin", targets: ["MedTwin"]),
        .library(name: "TwinLinearAlgebra", targets: ["TwinLinearAlgebra"]),
        .library(name: "TwinODE", targets: ["TwinODE"]),
        .library(name: "TwinData", targets: ["TwinData"]),
        .library(name: "TwinModels", targets: ["TwinModels"]),
        .library(name: "TwinEnsemble", targets: ["TwinEnsemble"]),
        .library(name: "TwinFit", targets: ["TwinFit"]),
        .library(name: "TwinWorkloads", targets: ["TwinWorkloads"]),
        .executable(name: "medtwin", targets: ["MedTwinCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - C libraries (system): OpenBLAS's CBLAS and LAPACKE

        .systemLibrary(
            name: "CBLAS",
            path: "CModules/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        .systemLibrary(
            name: "CLAPACKE",
            path: "CModules/CLAPACKE",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"]), .brew(["lapack"])]
        ),

        // MARK: - Library targets

        .target(
            name: "TwinLinearAlgebra",
            dependencies: ["CBLAS", "CLAPACKE", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "TwinODE",
            dependencies: ["TwinLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "TwinData",
            dependencies: []
        ),
        .target(
            name: "TwinModels",
            dependencies: ["TwinODE", "TwinData", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "TwinEnsemble",
            dependencies: ["TwinModels", "TwinODE", "TwinData", "TwinLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "TwinFit",
            dependencies: ["TwinEnsemble", "TwinModels", "TwinODE", "TwinLinearAlgebra", "TwinData", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "MedTwin",
            dependencies: ["TwinLinearAlgebra", "TwinODE", "TwinData", "TwinModels", "TwinEnsemble", "TwinFit"]
        ),
        .target(
            name: "TwinWorkloads",
            dependencies: ["TwinLinearAlgebra", "TwinODE", .product(name: "RealModule", package: "swift-numerics")]
        ),

        // MARK: - The command-line tool

        .executableTarget(
            name: "MedTwinCLI",
            dependencies: [
                "MedTwin",
                "TwinWorkloads",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Implementation details

        .target(
            name: "_TwinTestSupport",
            dependencies: ["TwinLinearAlgebra"]
        ),

        // MARK: - Tests

        .testTarget(
            name: "TwinLinearAlgebraTests",
            dependencies: ["TwinLinearAlgebra", "TwinWorkloads", "_TwinTestSupport"]
        ),
        .testTarget(
            name: "TwinODETests",
            dependencies: ["TwinODE", "TwinLinearAlgebra", "TwinWorkloads", "_TwinTestSupport"]
        ),
        .testTarget(
            name: "TwinModelsTests",
            dependencies: ["TwinModels", "TwinODE", "TwinData", "TwinLinearAlgebra", "TwinWorkloads", "_TwinTestSupport"]
        ),
        .testTarget(
            name: "TwinDataTests",
            dependencies: ["TwinData", "_TwinTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "TwinEnsembleTests",
            dependencies: ["TwinEnsemble", "TwinModels", "TwinODE", "TwinData", "TwinLinearAlgebra", "TwinWorkloads", "_TwinTestSupport"]
        ),
        .testTarget(
            name: "TwinFitTests",
            dependencies: ["TwinFit", "TwinModels", "TwinODE", "TwinData", "TwinEnsemble", "TwinLinearAlgebra", "_TwinTestSupport"]
        ),
        .testTarget(
            name: "MedTwinCLITests",
            dependencies: ["MedTwinCLI", "TwinLinearAlgebra", "TwinModels", "TwinFit", "_TwinTestSupport"]
        ),
    ]
)

// MARK: - Settings shared by every Swift target

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
