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
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // Already a dependency of async-http-client; named here for TLSConfiguration (a registry's private CA).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.36.0"),
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

        // What every module needs from the OS: private scratch directories, removal by descriptor, process liveness.
        .target(
            name: "SystemSupport",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swift6),
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
            dependencies: ["CArchive", "CZlib", "CIsal", "ImageFormat", "SystemSupport"],
            swiftSettings: swift6),
        // Image references and transports: oci, oci-archive, docker-archive, dir, memory.
        .target(
            name: "ImageTransport",
            dependencies: ["ImageFormat", "Archive", "SystemSupport"],
            swiftSettings: swift6),
        // HTTP: one client (async-http-client) with streaming, redirects, retries; an in-memory fake for tests.
        .target(
            name: "HTTP",
            dependencies: [
                "Archive", "SystemSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swift6),
        // Registries: the OCI distribution spec on the shared HTTP client (auth, manifests, blobs, uploads, referrers).
        .target(
            name: "Registry",
            dependencies: ["HTTP", "ImageTransport", "ImageFormat", "Archive", "SystemSupport"],
            swiftSettings: swift6),
        // Debian: verified repositories, versions, resolver, cache, lock file, .deb contents.
        .target(
            name: "Debian",
            dependencies: ["Archive", "HTTP", "ImageFormat", "SystemSupport"],
            resources: [.copy("Resources/debian-archive-keyring.gpg")],
            swiftSettings: swift6),
        // SBOM: an image's file system read in one pass, package catalogers, SPDX 2.3 and CycloneDX 1.6 documents.
        .target(
            name: "SBOM",
            dependencies: ["ImageTransport", "Archive", "ImageFormat", "Debian", "SystemSupport"],
            swiftSettings: swift6),
        // Audit: inspect (layers, sizes, efficiency) and hardening checks with table, JSON and SARIF reports.
        .target(
            name: "Audit",
            dependencies: ["SBOM", "ImageTransport", "Archive", "ImageFormat", "StrictYAML", "Yams"],
            swiftSettings: swift6),
        // distill.yaml, presets, and the build pipeline (with the registry layer cache and SBOMs attached on push).
        .target(
            name: "ImageBuild",
            dependencies: ["Debian", "Python", "Binary", "HTTP", "Registry", "ImageTransport", "Archive", "ImageFormat", "StrictYAML", "Yams", "SystemSupport", "SBOM"],
            swiftSettings: swift6),
        // OCI runtime bundles and runc.
        .target(
            name: "ContainerRuntime",
            dependencies: ["ImageFormat", "SystemSupport"],
            swiftSettings: swift6),
        // container-structure-test files run against an image (`distill test`), on the runtime.
        .target(
            name: "StructureTest",
            dependencies: ["ContainerRuntime", "ImageFormat", "StrictYAML", "Yams", "SystemSupport"],
            swiftSettings: swift6),
        // Python packaging: PEP 440/508, requirements files, the simple repository API, wheel tags, resolver, PEP 427 installer.
        .target(
            name: "Python",
            dependencies: ["Archive", "HTTP", "ImageFormat"],
            swiftSettings: swift6),
        // Native binaries: the ELF headers the dynamic loader reads, and where it searches for libraries.
        .target(
            name: "Binary",
            swiftSettings: swift6),
        // Offline vulnerability scanning: OSV records in SQLite, version matching, CVSS, reports.
        .target(
            name: "Vulnerabilities",
            dependencies: [
                "Python", "Debian", "Archive", "HTTP", "ImageTransport", "ImageFormat", "SBOM", "StrictYAML", "Yams", "SystemSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swift6),
        // Report: `compare` — every image measured with inspect, sbom, scan and check in one pass, the verdict, and the
        // table, markdown, JSON and HTML (inline SVG charts) renderings.
        .target(
            name: "Report",
            dependencies: ["Audit", "SBOM", "Vulnerabilities", "ImageBuild", "ImageTransport", "ImageFormat", "Debian", "Archive"],
            swiftSettings: swift6),
        .executableTarget(
            name: "distill",
            dependencies: [
                "ImageBuild", "ContainerRuntime", "StructureTest", "ImageTransport", "Debian", "SystemSupport", "Vulnerabilities", "SBOM", "Audit",
                "Registry", "Report",
                "Archive", "ImageFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6),

        // `make bench`: measures distill against its peers in the same run and prints a table.
        .executableTarget(
            name: "distill-bench",
            dependencies: ["ImageBuild", "Registry", "Debian", "Archive", "ImageTransport", "ImageFormat", "Vulnerabilities", "SystemSupport", "TestSupport"],
            swiftSettings: swift6),

        // Entry points for every parser of untrusted bytes: fed by libFuzzer (`make fuzz`) and by the seed replay in `make test`.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "Debian", "Python", "Archive", "ImageFormat", "ImageTransport", "ImageBuild", "ContainerRuntime", "StructureTest", "Vulnerabilities", "SBOM",
                "Binary",
            ],
            swiftSettings: swift6),

        .target(
            name: "TestSupport",
            dependencies: ["ImageFormat"],
            path: "Tests/TestSupport",
            swiftSettings: swift6),
        // Swift Testing traits over TestSupport's fixtures, for the test targets only.
        .target(name: "TestTraits", dependencies: ["TestSupport"], path: "Tests/TestTraits", swiftSettings: swift6),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport", "TestSupport"], swiftSettings: swift6),
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
        .testTarget(
            name: "ReportTests",
            dependencies: ["Report", "Audit", "SBOM", "Vulnerabilities", "ImageBuild", "AuditFixtures", "ImageTransport", "ImageFormat", "SystemSupport", "TestSupport"],
            swiftSettings: swift6),
        .testTarget(name: "ImageFormatTests", dependencies: ["ImageFormat", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "SystemSupport", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ImageTransportTests", dependencies: ["ImageTransport", "ImageBuild", "Archive", "TestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "RegistryTests", dependencies: ["Registry", "HTTP", "ImageTransport", "ImageFormat", "Archive", "TestSupport", "TestTraits"],
            swiftSettings: swift6),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Archive", "ImageFormat", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "DebianTests", dependencies: ["Debian", "HTTP", "SystemSupport", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ImageBuildTests", dependencies: ["ImageBuild", "ContainerRuntime", "StructureTest", "Debian", "Binary", "Python", "SBOM", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "PythonTests", dependencies: ["Python", "HTTP", "Archive", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "BinaryTests", dependencies: ["Binary", "TestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "VulnerabilitiesTests",
            dependencies: ["Vulnerabilities", "StrictYAML", "Python", "Debian", "ImageBuild", "ImageTransport", "Archive", "SBOM", "FuzzTargets", "TestSupport"],
            swiftSettings: swift6),
        .testTarget(name: "ContainerRuntimeTests", dependencies: ["ContainerRuntime", "StructureTest", "TestSupport"], swiftSettings: swift6),
        // The `distill` binary run as a user runs it (built beside the test bundle by `swift build --build-tests`).
        .testTarget(
            name: "DistillTests", dependencies: ["Registry", "ImageTransport", "ImageBuild", "ImageFormat", "Archive", "SBOM", "TestSupport", "TestTraits"],
            swiftSettings: swift6),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "TestSupport"], swiftSettings: swift6),
    ]
)

// `make fuzz` only (DISTILL_FUZZ=1, built with -sanitize=fuzzer,address into .build-fuzz): the libFuzzer
// executable. It has no main of its own (libFuzzer's is linked in), so a normal build leaves it out.
if Context.environment["DISTILL_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "distill-fuzz", dependencies: ["FuzzTargets"], path: "fuzz/distill-fuzz", swiftSettings: swift6))
}
