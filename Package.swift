// swift-tools-version:6.1
import PackageDescription

// Swift 5 language mode keeps the NIO/C interop code free of Sendable noise;
// concurrency safety is handled by actors and event loops explicitly.
let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roomd", targets: ["roomd"]),
        .executable(name: "signald", targets: ["signald"]),
        .executable(name: "mediad", targets: ["mediad"]),
        // Performance tooling (load generator).
        .executable(name: "loadgen", targets: ["loadgen"]),
        .executable(name: "allocbench", targets: ["allocbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.6.0"),
    ],
    targets: [
        // C libraries, reached through pkg-config (apt: libopus-dev libsrtp2-dev libssl-dev).
        .systemLibrary(name: "COpus", path: "Shared/CLibs/COpus", pkgConfig: "opus",
                       providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSRTP", path: "Shared/CLibs/CSRTP", pkgConfig: "libsrtp2",
                       providers: [.apt(["libsrtp2-dev"])]),
        // NSS: Debian's libsrtp2 is built on it; we initialise it ourselves (libnss3-dev comes with libsrtp2-dev).
        .systemLibrary(name: "CNSS", path: "Shared/CLibs/CNSS", pkgConfig: "nss",
                       providers: [.apt(["libnss3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/CLibs/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        // One-line wrappers for variadic C functions and macros Swift cannot import.
        .target(name: "CShim", dependencies: ["COpus", "COpenSSL"], path: "Shared/CLibs/CShim"),

        // Shared libraries.
        .target(name: "Wire", dependencies: nio + [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
                path: "Shared/Wire", swiftSettings: swift5),
        .target(name: "ServiceKit", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "Shared/ServiceKit", swiftSettings: swift5),
        .target(name: "MediaCore", dependencies: [
            "COpus", "CSRTP", "CNSS", "COpenSSL", "CShim",
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Shared/MediaCore", swiftSettings: swift5),

        // roomd: REST API, token store, placement.
        .target(name: "RoomServer", dependencies: ["Wire", "ServiceKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Metrics", package: "swift-metrics"),
        ] + nio, path: "Services/roomd/Lib", swiftSettings: swift5),
        .executableTarget(name: "roomd", dependencies: ["RoomServer", "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/roomd/Main", swiftSettings: swift5),

        // signald: WebSocket relay.
        .target(name: "SignalServer", dependencies: ["Wire", "ServiceKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Metrics", package: "swift-metrics"),
        ] + nio, path: "Services/signald/Lib", swiftSettings: swift5),
        .executableTarget(name: "signald", dependencies: ["SignalServer", "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/signald/Main", swiftSettings: swift5),

        // mediad: UDP driver, control socket, room clocks.
        .target(name: "MediaServer", dependencies: ["Wire", "ServiceKit", "MediaCore", "CShim",
            .product(name: "Metrics", package: "swift-metrics"),
        ] + nio, path: "Services/mediad/Lib", swiftSettings: swift5),
        .executableTarget(name: "mediad", dependencies: ["MediaServer", "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/mediad/Main", swiftSettings: swift5),

        // Tests: one target per library.
        .testTarget(name: "WireTests", dependencies: ["Wire", .product(name: "NIOEmbedded", package: "swift-nio")] + nio,
                    swiftSettings: swift5),
        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore"],
                    resources: [.copy("Fixtures")], swiftSettings: swift5),
        .testTarget(name: "RoomServerTests", dependencies: ["RoomServer", "Wire",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: swift5),
        .testTarget(name: "SignalServerTests", dependencies: ["SignalServer", "Wire",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: swift5),
        .testTarget(name: "MediaServerTests", dependencies: ["MediaServer", "MediaCore", "Wire"] + nio,
                    swiftSettings: swift5),

        // ---- Performance tooling: load generator (Tools/loadgen) ----
        .executableTarget(name: "loadgen", dependencies: ["MediaCore", "CShim",
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ] + nio, path: "Tools/loadgen", swiftSettings: swift5),
        // Allocation counting of the sans-IO media core (`make bench-alloc`).
        .executableTarget(name: "allocbench", dependencies: ["MediaCore",
            .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/allocbench", swiftSettings: swift5),
        // ---- end performance tooling ----
    ]
)

// ---- Fuzzing (reliability): libFuzzer targets under Tools/Fuzz. `make fuzz` builds
// them with `-sanitize=fuzzer,address` and their main runs libFuzzer's driver; a plain
// `swift build` links no libFuzzer and the same binaries replay input files instead.
let fuzzMediaCore: [Target.Dependency] = ["FuzzSupport", "MediaCore"]
package.targets += [
    .target(name: "CFuzzDriver", path: "Tools/Fuzz/CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Tools/Fuzz/FuzzSupport", swiftSettings: swift5),
    .executableTarget(name: "FuzzStun", dependencies: fuzzMediaCore, path: "Tools/Fuzz/FuzzStun", swiftSettings: swift5),
    .executableTarget(name: "FuzzSdp", dependencies: fuzzMediaCore, path: "Tools/Fuzz/FuzzSdp", swiftSettings: swift5),
    .executableTarget(name: "FuzzRtp", dependencies: fuzzMediaCore, path: "Tools/Fuzz/FuzzRtp", swiftSettings: swift5),
    .executableTarget(name: "FuzzWireFrame", dependencies: ["FuzzSupport", "Wire",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
    ], path: "Tools/Fuzz/FuzzWireFrame", swiftSettings: swift5),
]
package.products += ["FuzzStun", "FuzzSdp", "FuzzRtp", "FuzzWireFrame"].map { .executable(name: $0, targets: [$0]) }
// ---- end fuzzing
