// swift-tools-version:6.0
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "distill",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "distill", targets: ["distill"]),
        .library(name: "ImageBuild", targets: ["ImageBuild"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries from Debian: libarchive (tar, ar, xz, zstd) and zlib (deflate, crc32).
        .systemLibrary(
            name: "CArchive", pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        // ISA-L: inflate about three times zlib's speed, for reading gzip layers.
        .systemLibrary(
            name: "CIsal", pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]),

        // Strict YAML for hand-written files: unknown keys and wrong types at their line and column.
        .target(
            name: "StrictYAML",
            dependencies: ["Yams"],
            swiftSettings: swift6),
        // OCI image format: digests, descriptors, manifests, indexes, configs.
        .target(
            name: "ImageFormat",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swift6),
        // Streaming archives: deterministic tar layers, parallel gzip, safe extraction.
        .target(
            name: "Archive",
            dependencies: ["CArchive", "CZlib", "CIsal", "ImageFormat"],
            swiftSettings: swift6),
        // Image references and transports: oci, oci-archive, docker-archive, dir, memory.
        .target(
            name: "ImageTransport",
            dependencies: ["ImageFormat", "Archive"],
            swiftSettings: swift6),
        // Debian: verified repositories, versions, resolver, cache, lock file, .deb contents.
        .target(
            name: "Debian",
            dependencies: ["Archive", "ImageFormat"],
            resources: [.copy("Resources/debian-archive-keyring.gpg")],
            swiftSettings: swift6),
        // SBOM: an image's file system read in one pass, package catalogers, SPDX 2.3 and CycloneDX 1.6 documents.
        .target(
            name: "SBOM",
            dependencies: ["ImageTransport", "Archive", "ImageFormat", "Debian"],
            swiftSettings: swift6),
        // Audit: inspect (layers, sizes, efficiency) and hardening checks with table, JSON and SARIF reports.
        .target(
            name: "Audit",
            dependencies: ["SBOM", "ImageTransport", "Archive", "ImageFormat", "StrictYAML", "Yams"],
            swiftSettings: swift6),
        // distill.yaml, presets, and the build pipeline.
        .target(
            name: "ImageBuild",
            dependencies: ["Debian", "ImageTransport", "Archive", "ImageFormat", "StrictYAML", "Yams", "SBOM"],
            swiftSettings: swift6),
        // OCI runtime bundles, runc, container-structure-test runner.
        .target(
            name: "ContainerRuntime",
            dependencies: ["ImageTransport", "Archive", "ImageFormat", "StrictYAML", "Yams"],
            swiftSettings: swift6),
        .executableTarget(
            name: "distill",
            dependencies: [
                "ImageBuild", "ContainerRuntime", "ImageTransport", "Debian", "SBOM", "Audit", "Archive", "ImageFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6),

        // `make bench`: measures distill against its peers in the same run and prints a table.
        .executableTarget(
            name: "distill-bench",
            dependencies: ["ImageBuild", "Debian", "Archive", "ImageTransport", "ImageFormat", "TestSupport"],
            swiftSettings: swift6),

        .target(
            name: "TestSupport",
            dependencies: ["ImageFormat"],
            path: "Tests/TestSupport",
            swiftSettings: swift6),
        .target(
            name: "AuditFixtures",
            dependencies: ["ImageBuild", "ImageTransport", "Archive", "ImageFormat", "TestSupport"],
            path: "Tests/AuditFixtures",
            swiftSettings: swift6),
        .testTarget(
            name: "SBOMTests", dependencies: ["SBOM", "AuditFixtures", "ImageBuild", "ImageTransport", "Archive", "ImageFormat", "TestSupport"],
            swiftSettings: swift6),
        .testTarget(
            name: "AuditTests", dependencies: ["Audit", "SBOM", "AuditFixtures", "ImageTransport", "Archive", "ImageFormat", "TestSupport"],
            swiftSettings: swift6),
        .testTarget(name: "ImageFormatTests", dependencies: ["ImageFormat", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ImageTransportTests", dependencies: ["ImageTransport", "Archive", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "DebianTests", dependencies: ["Debian", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ImageBuildTests", dependencies: ["ImageBuild", "ContainerRuntime", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ContainerRuntimeTests", dependencies: ["ContainerRuntime", "TestSupport"], swiftSettings: swift6),
    ]
)
