import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// Other tools read what distill writes, and distill reads what they write.
@Suite(.serialized) struct InteropTests {
    let scratch: TemporaryDirectory

    init() throws {
        scratch = try TemporaryDirectory("interop")
        for tool in ["skopeo", "umoci"] where !Tool.exists(tool) {
            throw FixtureError("\(tool) is not installed: run `make test` (it installs skopeo and umoci) or `apt-get install -y \(tool)`")
        }
    }

    private func skopeo(_ args: String...) throws -> String {
        try Tool.check(["skopeo", "--insecure-policy"] + args)
    }

    private func writeImage(_ reference: String, multiArch: Bool = false) async throws -> Descriptor {
        let memory = MemoryImage()
        let root = await multiArch ? try TestImage.writeMultiArch(to: memory) : try TestImage.write(to: memory)
        try await ImageCopier(platform: nil).copy(from: memory, to: try ImageReference(parsing: reference).openDestination())
        return root
    }

    @Test func skopeoInspectsEveryFormatDistillWrites() async throws {
        let manifest = try await writeImage("oci:\(scratch("oci")):v1")
        for reference in ["oci:\(scratch("oci")):v1", "oci-archive:\(scratch("a.tar"))", "docker-archive:\(scratch("d.tar"))"] {
            if !reference.hasPrefix("oci:") {
                try await ImageCopier().copy(
                    from: try ImageReference(parsing: "oci:\(scratch("oci")):v1").openSource(),
                    to: try ImageReference(parsing: reference).openDestination())
            }
            let json = try skopeo("inspect", "--config", reference)
            let config = try CanonicalJSON.decode(ImageConfiguration.self, from: Data(json.utf8), what: "skopeo output")
            #expect(config.config?.entrypoint == ["/app/run"], "\(reference)")
            #expect(config.rootfs.diffIDs.count == 2, "\(reference)")
        }
        let raw = try skopeo("inspect", "--raw", "oci:\(scratch("oci")):v1")
        #expect(Digest.sha256(of: Data(raw.utf8)) == manifest.digest)
    }

    @Test func skopeoCopiesBetweenDistillsFormatsAndDistillReadsTheResult() async throws {
        let manifest = try await writeImage("oci:\(scratch("ours")):v1")
        let originalLayers = try await ImageReference(parsing: "oci:\(scratch("ours")):v1").openSource().images()[0].manifest.layers.map(\.digest)
        try skopeo("copy", "oci:\(scratch("ours")):v1", "oci-archive:\(scratch("theirs.tar")):v1")
        try skopeo("copy", "oci:\(scratch("ours")):v1", "docker-archive:\(scratch("theirs-docker.tar")):app:v1")
        try skopeo("copy", "oci:\(scratch("ours")):v1", "oci:\(scratch("theirs-oci")):v1")
        for reference in [
            "oci-archive:\(scratch("theirs.tar")):v1", "oci:\(scratch("theirs-oci")):v1",
        ] {
            let source = try ImageReference(parsing: reference).openSource()
            let image = try await source.image(for: nil)
            #expect(image.manifest.layers.map(\.digest) == originalLayers, "\(reference)")
            try await ImageCopier().copy(from: source, to: MemoryImage())
        }
        // skopeo's docker-archive holds the layers uncompressed: same diffIDs, different blobs.
        let docker = try ImageReference(parsing: "docker-archive:\(scratch("theirs-docker.tar"))").openSource()
        let image = try await docker.image(for: nil)
        #expect(image.configuration.config?.entrypoint == ["/app/run"])
        try await ImageCopier().copy(from: docker, to: try ImageReference(parsing: "oci:\(scratch("back")):v1").openDestination())
        try skopeo("inspect", "oci:\(scratch("back")):v1")
        _ = manifest
    }

    @Test func skopeoReadsMultiArchIndex() async throws {
        let index = try await writeImage("oci:\(scratch("multi")):v1", multiArch: true)
        let raw = try skopeo("inspect", "--raw", "oci:\(scratch("multi")):v1")
        #expect(Digest.sha256(of: Data(raw.utf8)) == index.digest)
        let arm = try skopeo("inspect", "--override-arch", "arm64", "--config", "oci:\(scratch("multi")):v1")
        #expect(arm.contains("\"arm64\""))
        try skopeo("copy", "--all", "oci:\(scratch("multi")):v1", "oci-archive:\(scratch("multi.tar"))")
    }

    /// skopeo's `dir:` both ways: what skopeo writes, distill reads (not as a root filesystem), and back.
    @Test func dirFormatIsSkopeosBothWays() async throws {
        let manifest = try await writeImage("oci:\(scratch("src")):v1")
        try skopeo("copy", "oci:\(scratch("src")):v1", "dir:\(scratch("by-skopeo"))")
        let theirs = try ImageReference(parsing: "dir:\(scratch("by-skopeo"))").openSource()
        let image = try await theirs.image(for: nil)
        #expect(image.configuration.config?.entrypoint == ["/app/run"])
        #expect(image.manifest.layers.count == 2)
        await #expect(try theirs.rootDescriptor().digest == manifest.digest, "skopeo copies the manifest byte for byte")
        try await ImageCopier().copy(from: theirs, to: try ImageReference(parsing: "dir:\(scratch("by-distill"))").openDestination())
        let ours = try ImageReference(parsing: "dir:\(scratch("by-distill"))").openSource()
        await #expect(try ours.rootDescriptor().digest == manifest.digest)
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: scratch("by-distill")))
                == Set(try FileManager.default.contentsOfDirectory(atPath: scratch("by-skopeo"))))
        let raw = try skopeo("inspect", "--raw", "dir:\(scratch("by-distill"))")
        #expect(Digest.sha256(of: Data(raw.utf8)) == manifest.digest)
        try skopeo("copy", "dir:\(scratch("by-distill"))", "oci:\(scratch("back")):v1")
        await #expect(try await ImageReference(parsing: "oci:\(scratch("back")):v1").openSource().rootDescriptor().digest == manifest.digest)

        // A multi-platform image: skopeo --all reads distill's index and per-platform manifests.
        _ = try await writeImage("dir:\(scratch("multi"))", multiArch: true)
        try skopeo("copy", "--all", "dir:\(scratch("multi"))", "oci:\(scratch("multi-oci")):v1")
        let arm = try skopeo("inspect", "--override-arch", "arm64", "--config", "oci:\(scratch("multi-oci")):v1")
        #expect(arm.contains("\"arm64\""))
    }

    @Test func umociUnpacksWhatDistillWritesWithWhiteoutsApplied() async throws {
        _ = try await writeImage("oci:\(scratch("u")):v1")
        try Tool.check(["umoci", "unpack", "--image", "\(scratch("u")):v1", scratch("bundle")])
        let rootfs = scratch("bundle/rootfs")
        #expect(try String(contentsOfFile: rootfs + "/etc/arch", encoding: .utf8) == "arch=amd64\n")
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/etc/removed-later"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/etc/passwd-link") == "passwd")
        let attributes = try FileManager.default.attributesOfItem(atPath: rootfs + "/app/run")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o755)
        #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65532)
        let tmp = try FileManager.default.attributesOfItem(atPath: rootfs + "/tmp")
        #expect((tmp[.posixPermissions] as? NSNumber)?.intValue == 0o1777)
    }

    /// `docker load` reads what `podman load` reads; podman needs no daemon, so it stands in here.
    @Test func podmanLoadsTheDockerArchive() async throws {
        guard Tool.exists("podman") else {
            throw FixtureError("podman is not installed: run `make test` (it installs podman) or `apt-get install -y podman`")
        }
        _ = try await writeImage("docker-archive:\(scratch("load.tar")):distill/interop:v1")
        // podman refuses a runroot path longer than 50 characters.
        let runroot = "/tmp/podman-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: runroot) }
        let storage = ["--storage-driver", "vfs", "--root", scratch("podman-root"), "--runroot", runroot]
        let loaded = try Tool.check(["podman"] + storage + ["load", "-i", scratch("load.tar")])
        #expect(loaded.contains("distill/interop:v1"), "\(loaded)")
        let id = try Tool.check(["podman"] + storage + ["image", "inspect", "--format", "{{.Id}}", "distill/interop:v1"])
        let config = try await ImageReference(parsing: "docker-archive:\(scratch("load.tar"))").openSource().images()[0].manifest.config.digest
        #expect(id.trimmingCharacters(in: .whitespacesAndNewlines) == config.encoded)
    }
}
