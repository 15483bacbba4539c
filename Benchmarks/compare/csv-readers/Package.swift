// swift-tools-version: 6.1
//
// TwinData's NONMEM CSV reader against the CSV packages on this machine's list, in one run on
// one file (BENCHMARKS.md, "TwinData"). Run from this directory:
//
//     swift run -c release CSVReaderComparison            # writes /tmp/medtwin-csv-100k.csv once
//
// The peers only split rows and convert fields to Double (no validation, no records); TwinData
// does the whole read into PatientRecords.

import PackageDescription

let package = Package(
    name: "CSVReaderComparison",
    dependencies: [
        .package(name: "MedTwin", path: "../../.."),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "CSVReaderComparison",
            dependencies: [
                .product(name: "TwinData", package: "MedTwin"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
