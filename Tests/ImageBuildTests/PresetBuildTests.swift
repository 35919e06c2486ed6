import ContainerRuntime
import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import StructureTest
import TestSupport
import Testing

/// The presets, built from the frozen mirror, against Google's distroless test files.
@Suite(.serialized) struct PresetBuildTests {
    /// The digest of `base: static` / debian12 / amd64 from the frozen mirror: drift on any machine shows here.
    static let pinnedStaticDigest = "sha256:b40833686fa244a61d069b775f852e77be563a13160b95fdaad25467d3b1b60e"

    @Test func staticImageIsReproducibleAndPinned() async throws {
        let yaml = "base: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        let first = try await BuildFixture.build(yaml)
        // A second build with an empty cache, as on another machine.
        let freshCache = try TemporaryDirectory("fresh-cache")
        let second = try await BuildFixture.build(yaml, cache: freshCache.path)
        #expect(first.result.root.digest == second.result.root.digest)
        #expect(first.result.root.digest.description == Self.pinnedStaticDigest)
        let image = first.result.images[0]
        #expect(image.uncompressedSize <= 3 << 20, "static goal: ≤ 3 MiB unpacked")
        #expect(image.compressedSize <= 7 << 20 / 10, "static goal: ≤ 0.7 MiB compressed")
    }

    static let cases: [(preset: String, distro: String, tests: [String])] = [
        ("static", "debian12", ["static/static.yaml", "static/debian12.yaml"]),
        ("static", "debian13", ["static/static.yaml", "static/debian13.yaml"]),
        ("base", "debian12", ["base/base.yaml", "static/static.yaml", "static/debian12.yaml"]),
        ("base", "debian13", ["base/base.yaml", "static/static.yaml", "static/debian13.yaml"]),
        ("cc", "debian12", ["base/base.yaml", "examples/cc/hello_cc_debian12.yaml"]),
        ("cc", "debian13", ["base/base.yaml", "examples/cc/hello_cc_debian13.yaml"]),
        ("python3", "debian12", ["base/base.yaml", "python3/python3.yaml"]),
        ("python3", "debian13", ["base/base.yaml", "python3/python3.yaml", "python3/debian13.yaml"]),
    ]

    @Test(arguments: cases.indices)
    func presetPassesTheDistrolessTests(_ index: Int) async throws {
        let (preset, distro, tests) = Self.cases[index]
        var yaml = "base: \(preset)\narchs: [amd64]\n" + BuildFixture.header(distro: distro)
        var copies: [String: String] = [:]
        if preset == "static" || preset == "base" {
            copies["check_certs"] = BuildFixture.programs.checkCerts
            yaml += "app:\n  - {source: check_certs, target: /check_certs, mode: \"0755\"}\n"
        }
        if preset == "cc" {
            copies["hello"] = BuildFixture.programs.helloCC
            yaml += "app:\n  - {source: hello, target: /hello_cc_\(distro)_binary, mode: \"0755\"}\n"
        }
        let (dir, result) = try await BuildFixture.build(yaml, copies: copies)
        let source = try ImageReference.oci(path: dir("out/\(dir.url.lastPathComponent)"), tag: "latest").openSource()
        let unpacked = try await RootfsUnpacker.unpack(source, under: dir.path)
        defer { try? unpacked.remove() }
        // Nothing a distroless image must not have.
        for path in ["bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/bash", "bin/dash", "usr/bin/dash", "bin/busybox",
                     "usr/bin/dpkg", "usr/bin/apt", "usr/bin/apt-get", "usr/bin/perl", "usr/bin/awk", "usr/sbin/update-ca-certificates"] {
            #expect(!FileManager.default.fileExists(atPath: unpacked.rootfs + "/" + path), "\(preset)/\(distro) has /\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: unpacked.rootfs + "/usr/share/man"))
        #expect(result.images[0].packages.allSatisfy { !$0.hasPrefix("perl") && !$0.hasPrefix("dpkg=") && !$0.hasPrefix("debconf") })
        let report = try await StructureTestRunner().run(
            configPaths: tests.map { SharedTestData.path("distroless-tests/" + $0) }, rootfs: unpacked.rootfs,
            image: unpacked.image.configuration)
        #expect(report.succeeded, "\(preset)/\(distro):\n\(report.text)")
        if preset == "python3" {
            let config = unpacked.image.configuration.config
            #expect(config?.user == "65532")
            #expect(config?.workingDir == "/home/nonroot")
            #expect(config?.env?.contains("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt") == true)
        }
    }

    @Test func skopeoAndUmociReadTheOutputs() async throws {
        let (dir, result) = try await BuildFixture.build("base: base-nossl\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12"))
        let name = dir.url.lastPathComponent
        for reference in ["oci:\(dir("out/\(name)")):latest", "docker-archive:\(dir("out/\(name).tar"))"] {
            let json = try Tool.check(["skopeo", "--insecure-policy", "inspect", "--config", reference])
            #expect(json.contains("\"User\":\"65532\"") || json.contains("\"User\": \"65532\""), "\(reference): \(json)")
        }
        let raw = try Tool.check(["skopeo", "--insecure-policy", "inspect", "--raw", "oci:\(dir("out/\(name)")):latest"])
        #expect(Digest.sha256(of: Data(raw.utf8)) == result.root.digest)
        try Tool.check(["umoci", "unpack", "--image", "\(dir("out/\(name)")):latest", dir("bundle")])
        #expect(FileManager.default.fileExists(atPath: dir("bundle/rootfs/var/lib/dpkg/status.d/libc6")))
        #expect(FileManager.default.fileExists(atPath: dir("bundle/rootfs/var/lib/dpkg/status.d/libc6.md5sums")))
    }

    @Test func zstdLayersKeepTheTreeAndAreReadBySkopeoAndUmoci() async throws {
        let header = "base: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        let (dir, _) = try await BuildFixture.build(header + "compression: zstd\n")
        let name = dir.url.lastPathComponent
        let zstd = try await ImageReference.oci(path: dir("out/\(name)"), tag: "latest").openSource().images()[0]
        #expect(!zstd.manifest.layers.isEmpty)
        #expect(zstd.manifest.layers.allSatisfy { $0.mediaType == MediaType.ociLayerZstd }, "\(zstd.manifest.layers)")
        // The same build in gzip has the same uncompressed layers: only the compression differs.
        let (gzipDir, _) = try await BuildFixture.build(header)
        let gzip = try await ImageReference.oci(path: gzipDir("out/\(gzipDir.url.lastPathComponent)"), tag: "latest").openSource().images()[0]
        #expect(gzip.manifest.layers.allSatisfy { $0.mediaType == MediaType.ociLayerGzip })
        #expect(zstd.configuration.rootfs.diffIDs == gzip.configuration.rootfs.diffIDs)
        #expect(zstd.manifest.layers.map(\.digest) != gzip.manifest.layers.map(\.digest))
        // skopeo decompresses every zstd layer to recompress it as gzip; umoci (which has no zstd) unpacks that copy.
        try Tool.check([
            "skopeo", "--insecure-policy", "copy", "--dest-compress", "--dest-compress-format", "gzip",
            "oci:\(dir("out/\(name)")):latest", "oci:\(dir("regzipped")):latest",
        ])
        try Tool.check(["umoci", "unpack", "--image", "\(dir("regzipped")):latest", dir("bundle")])
        #expect(FileManager.default.fileExists(atPath: dir("bundle/rootfs/etc/passwd")))
    }
}
