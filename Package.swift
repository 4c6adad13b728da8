// swift-tools-version: 6.1
// FHIRGate: an HL7 FHIR R4 gateway for ketamine clinics. See ARCHITECTURE.md for the layers.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "FHIRGate",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FHIRGate", targets: ["FHIRGate"]),
        .executable(name: "fhirgate", targets: ["FHIRGateTool"]),
        .executable(name: "fhirgate-bench", targets: ["FHIRGateBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C shims (system libraries).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // FHIR model and formats.
        .target(name: "FHIRModel", swiftSettings: strict),
        .target(name: "FHIRJSON", dependencies: ["FHIRModel"], swiftSettings: strict),
        .target(name: "FHIRXML", dependencies: ["FHIRModel", "CLibXML2"], swiftSettings: strict),

        // Definitions and packages.
        .target(
            name: "FHIRDefinitions", dependencies: ["FHIRModel", "FHIRJSON", "FHIRXML", "CZlib", "COpenSSL"],
            swiftSettings: strict),

        // FHIRPath.
        .target(
            name: "FHIRPath", dependencies: ["FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions"],
            swiftSettings: strict),

        // Validation.
        .target(
            name: "FHIRValidation",
            dependencies: ["FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "FHIRPath"],
            swiftSettings: strict),

        // Clinic records (the clinic's own format) and their mapping to FHIR.
        .target(name: "ClinicRecords", dependencies: ["FHIRModel", "FHIRJSON"], swiftSettings: strict),
        .target(
            name: "ClinicMapping",
            dependencies: ["ClinicRecords", "FHIRModel", "FHIRJSON", "FHIRXML", "COpenSSL"],
            swiftSettings: strict),

        // Client side: authentication (SMART Backend Services keys and client assertions).
        .target(name: "FHIRAuth", dependencies: ["FHIRModel", "FHIRJSON", "COpenSSL"], swiftSettings: strict),
        .target(name: "HTTPTransport", dependencies: ["CCurl", "FHIRModel"], swiftSettings: strict),
        // FHIR REST client: interactions, formats, OperationOutcome errors, auth providers (SMART).
        .target(
            name: "FHIRClient",
            dependencies: ["FHIRModel", "FHIRJSON", "FHIRXML", "FHIRAuth", "HTTPTransport"],
            swiftSettings: strict),

        // Sync: the gateway's configuration file, the durable outbox store, the sync engine.
        .target(
            name: "GatewayConfig", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(
            name: "SyncStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .target(
            name: "FHIRSync",
            dependencies: [
                "FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "ClinicRecords", "ClinicMapping", "FHIRClient",
                "SyncStore",
            ],
            swiftSettings: strict),

        // Umbrella library, CLI and executables.
        .target(
            name: "FHIRGate",
            dependencies: [
                "FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "FHIRPath", "FHIRValidation", "ClinicRecords",
                "ClinicMapping", "FHIRAuth", "HTTPTransport", "FHIRClient", "GatewayConfig", "SyncStore", "FHIRSync",
            ],
            swiftSettings: strict),
        .target(
            name: "FHIRGateCLI",
            dependencies: [
                "FHIRGate", "CCurl", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "FHIRGateTool",
            dependencies: ["FHIRGateCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(name: "FHIRGateBench", dependencies: ["FHIRGate"], swiftSettings: strict),

        // Test support and tests.
        .target(
            name: "FHIRGateTesting", dependencies: ["FHIRGate"], path: "Tests/FHIRGateTesting", swiftSettings: strict),
        .testTarget(name: "FHIRModelTests", dependencies: ["FHIRModel"], swiftSettings: strict),
        .testTarget(
            name: "FHIRPathTests", dependencies: ["FHIRPath", "FHIRJSON", "FHIRXML", "FHIRGateTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "FHIRValidationTests", dependencies: ["FHIRValidation", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(
            name: "FHIRJSONTests", dependencies: ["FHIRJSON", "FHIRGateTesting"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "FHIRXMLTests", dependencies: ["FHIRXML", "FHIRJSON", "FHIRGateTesting"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "FHIRDefinitionsTests", dependencies: ["FHIRDefinitions", "FHIRGateTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "ConformanceTests", dependencies: ["FHIRGate", "FHIRGateTesting"],
            exclude: ["Fixtures", "thresholds.json"], swiftSettings: strict),
        .testTarget(
            name: "HTTPTransportTests", dependencies: ["HTTPTransport", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(name: "FHIRClientTests", dependencies: ["FHIRClient", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(name: "SyncStoreTests", dependencies: ["SyncStore", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(
            name: "GatewayConfigTests", dependencies: ["GatewayConfig", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(
            name: "FHIRSyncTests", dependencies: ["FHIRSync", "FHIRGate", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(name: "FHIRAuthTests", dependencies: ["FHIRAuth", "FHIRGateTesting"], swiftSettings: strict),
        .testTarget(
            name: "ClinicMappingTests", dependencies: ["ClinicMapping", "FHIRGate", "FHIRGateTesting"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "ClinicRecordsTests", dependencies: ["ClinicRecords", "FHIRGateTesting"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(name: "FHIRGateCLITests", dependencies: ["FHIRGateCLI", "FHIRGateTesting"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
