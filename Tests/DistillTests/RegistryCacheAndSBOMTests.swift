import Foundation
import ImageFormat
import Registry
import TestSupport
import TestTraits
import Testing

/// `build --cache-to/--cache-from` (the layer cache in a registry repository) and the SBOMs `build --push` and
/// `push` attach as OCI referrers, against Debian's docker-registry (which has no referrers API: the tag schema).
@Suite(.localRegistry(.plain), .serialized) struct RegistryCacheAndSBOMTests {
    static let mirror: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.debianMirror)
    static let pypi: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.testdata.appendingPathComponent("pypi"))

    /// The flask example (OS, wheels and app layers) for amd64, pointed at the frozen mirror and PyPI slice.
    static func flaskExample() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("fleet-flask")
        let source = SharedTestData.packageRoot.path + "/examples/flask-app"
        for item in try FileManager.default.contentsOfDirectory(atPath: source) where item != "build" && item != "distill.lock" {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: dir(item))
        }
        var yaml = try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "archs: [amd64, arm64]\n", with: "archs: [amd64]\n")
        yaml = yaml.replacingOccurrences(of: "  requirements: requirements.txt\n", with: "  requirements: requirements.txt\n  index-url: \(pypi.baseURL)/simple/\n")
        try (yaml + "mirror: \(mirror.baseURL)\nsuites: [bookworm]\n").write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func client(_ registry: LocalRegistry) -> RegistryClient {
        RegistryClient(registry: registry.host, options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: [])))
    }

    /// The `digest   sha256:…` line of a build summary.
    static func builtDigest(_ stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix("digest ") }.flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    /// The artifacts referring to `subject` in `repository`: each artifact's type, its manifest as skopeo reads it by
    /// digest, and the digest of its one document.
    static func attached(
        _ registry: LocalRegistry, _ repository: String, subject: String
    ) async throws -> [(type: String, manifest: ImageManifest, document: Digest)] {
        let found = try await client(registry).referrers(repository, subject: try Digest(subject))
        return try found.manifests.map { descriptor in
            // skopeo reads the artifact by digest: its bytes are the ones listed, and it names the image as subject.
            let raw = try Tool.check(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://\(registry.host)/\(repository)@\(descriptor.digest)"])
            #expect(Digest.sha256(of: Data(raw.utf8)) == descriptor.digest)
            let manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(raw.utf8))
            #expect(manifest.subject?.digest.description == subject)
            #expect(manifest.layers.count == 1 && manifest.layers.first?.mediaType == manifest.artifactType)
            return (descriptor.artifactType ?? "", manifest, manifest.layers.first?.digest ?? descriptor.digest)
        }
    }

    @Test func a_fresh_machine_takes_the_layers_from_the_registry_cache_and_builds_the_same_image() async throws {
        let registry = try LocalRegistry.require()
        let dir = try Self.flaskExample()
        let insecure = ["--insecure-registry", registry.host]
        let cache = "\(registry.host)/ci/cache"
        // Machine one builds, fills the registry cache and pushes the image with its SBOMs.
        let first = try DistillCLI.run(
            ["build"] + insecure + ["--cache-to", cache, "--push", "\(registry.host)/ci/flask:1"], in: dir.path,
            environment: ["XDG_CACHE_HOME": dir("machine-one")])
        #expect(first.status == 0, "\(first.stderr)")
        let sent = first.stderr.split(separator: "\n").filter { $0.contains("sent to the registry cache \(cache)") }
        #expect(sent.count == 2 && sent[0].hasPrefix("OS layer ") && sent[1].hasPrefix("python layer ("), "\(first.stderr)")
        let digest = try #require(Self.builtDigest(first.stdout))
        #expect(registry.requests("PUT", pathContaining: "/v2/ci/cache/manifests/distill-cache-").count == 2)

        // Machine two starts from an empty cache: both layers come from the registry, nothing is unpacked or packed.
        let second = try DistillCLI.run(
            ["build"] + insecure + ["--cache-from", cache, "--output", "oci:second"], in: dir.path,
            environment: ["XDG_CACHE_HOME": dir("machine-two")])
        #expect(second.status == 0, "\(second.stderr)")
        let fetched = second.stderr.split(separator: "\n").filter { $0.contains("from the registry cache \(cache)") }
        #expect(fetched.count == 2 && fetched[0].hasPrefix("OS layer ") && fetched[1].hasPrefix("python layer ("), "\(second.stderr)")
        #expect(second.stderr.contains("amd64: OS layer ") && second.stderr.contains("from the layer cache"), "\(second.stderr)")
        #expect(second.stderr.components(separatedBy: "from the layer cache").count == 3, "OS and python layers: \(second.stderr)")
        // A layer built here would log its sizes and time (`OS layer 30.1 MiB → 11.2 MiB in 3.1 s`); only the app's is.
        let packed = second.stderr.split(separator: "\n").filter { $0.contains("→") }
        #expect(packed.count == 1 && packed.allSatisfy { $0.contains("app layer") }, "\(second.stderr)")
        #expect(Self.builtDigest(second.stdout) == digest)

        // An unreachable cache is a note, once; the build goes on (the local cache has the layers, so only --cache-to asks).
        let closed = try LocalRegistry.freePort()
        let unreachable = "127.0.0.1:\(closed)/cache"
        let third = try DistillCLI.run(
            ["build", "--insecure-registry", "127.0.0.1:\(closed)", "--cache-from", unreachable, "--cache-to", unreachable, "--output", "oci:third"],
            in: dir.path,
            environment: ["XDG_CACHE_HOME": dir("machine-two")])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.components(separatedBy: "note: the registry cache \(unreachable) is not used (writing it failed").count == 2, "\(third.stderr)")
        #expect(Self.builtDigest(third.stdout) == digest)

        // An entry that is not what its tag promises (the OS layer's, put under the python layer's key) is refused
        // with a note, and the layer is built here instead: the same image.
        let layers = dir("machine-two/distill/layers")
        let names = try FileManager.default.contentsOfDirectory(atPath: layers)
        // Each stage's index is kept as <key>.index.json; the wheels' one lists `#!` lines.
        let indexes = try names.filter { $0.hasSuffix(".index.json") }.map { name in
            (key: String(name.dropLast(".index.json".count)), python: try String(contentsOfFile: layers + "/" + name, encoding: .utf8).contains("\"shebangs\""))
        }
        let osKey = try #require(indexes.first { !$0.python }?.key)
        let pythonKey = try #require(indexes.first { $0.python }?.key)
        let client = Self.client(registry)
        let osEntry = try await client.manifest("ci/cache", reference: "distill-cache-\(osKey)")
        try await client.putManifest("ci/cache", reference: "distill-cache-\(pythonKey)", data: osEntry.data, mediaType: MediaType.ociManifest)
        for name in names where name.hasPrefix(pythonKey) { try FileManager.default.removeItem(atPath: layers + "/" + name) }
        let fourth = try DistillCLI.run(
            ["build"] + insecure + ["--cache-from", cache, "--output", "oci:fourth"], in: dir.path, environment: ["XDG_CACHE_HOME": dir("machine-two")])
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(fourth.stderr.contains("note: the registry cache \(cache) is not used (reading it failed: \(cache) tag distill-cache-\(pythonKey) is not distill's PythonStage layer cache entry"), "\(fourth.stderr)")
        #expect(fourth.stderr.split(separator: "\n").contains { $0.contains("python layer (") && $0.contains("→") }, "\(fourth.stderr)")
        #expect(Self.builtDigest(fourth.stdout) == digest)

        // build --push attached the SPDX and CycloneDX documents written beside the outputs, found by the tag schema.
        let artifacts = try await Self.attached(registry, "ci/flask", subject: digest)
        #expect(Set(artifacts.map(\.type)) == ["application/spdx+json", "application/vnd.cyclonedx+json"])
        for (type, _, document) in artifacts {
            let file = dir("build/flask-app-amd64" + (type == "application/spdx+json" ? ".spdx.json" : ".cdx.json"))
            #expect(document == Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: file))), "\(type)")
        }
        // skopeo copies the SPDX artifact by digest; the copy holds the document byte for byte.
        let spdx = try #require(try await Self.client(registry).referrers("ci/flask", subject: try Digest(digest), artifactType: "application/spdx+json").manifests.first)
        try Tool.check(["skopeo", "copy", "--src-tls-verify=false", "docker://\(registry.host)/ci/flask@\(spdx.digest)", "oci:" + dir("spdx-copy") + ":sbom"])
        let copied = try Data(contentsOf: URL(fileURLWithPath: dir("spdx-copy/blobs/sha256/" + (artifacts.first { $0.type == "application/spdx+json" }?.document.encoded ?? "none"))))
        #expect(copied == (try Data(contentsOf: URL(fileURLWithPath: dir("build/flask-app-amd64.spdx.json")))))
        let fallback = try Tool.check(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://\(registry.host)/ci/flask:sha256-\(digest.dropFirst(7))"])
        #expect(fallback.contains(MediaType.ociIndex) && fallback.contains("application/spdx+json"))

        // distill push of the build output takes the documents beside it; --no-sbom leaves them out.
        try DistillCLI.check(["push"] + insecure + ["oci:build/flask-app", "\(registry.host)/ci/pushed:1"], in: dir.path)
        #expect(try await Self.attached(registry, "ci/pushed", subject: digest).map(\.document).sorted { $0.description < $1.description }
            == artifacts.map(\.document).sorted { $0.description < $1.description })
        try DistillCLI.check(["push", "--no-sbom"] + insecure + ["oci:build/flask-app", "\(registry.host)/ci/bare:1"], in: dir.path)
        #expect(try await Self.client(registry).referrers("ci/bare", subject: try Digest(digest)).manifests.isEmpty)
    }

    @Test func push_with_sbom_catalogs_an_image_distill_did_not_build_per_architecture() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fleet-sbom-any")
        let root = try await RegistryTestImage.write(to: dir("img"))
        // Without a build record beside it, a plain push attaches nothing.
        try DistillCLI.check(["push", "--insecure-registry", registry.host, "oci:img", "\(registry.host)/any/plain:1"], in: dir.path)
        #expect(try await Self.client(registry).referrers("any/plain", subject: root).manifests.isEmpty)
        let pushed = try DistillCLI.run(["push", "--sbom", "--insecure-registry", registry.host, "oci:img", "\(registry.host)/any/app:1"], in: dir.path)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let index = try CanonicalJSON.decode(
            ImageIndex.self, from: try await Self.client(registry).manifest("any/app", reference: root.description).data, what: "index")
        #expect(index.manifests.count == 2)
        for manifest in index.manifests {
            let artifacts = try await Self.attached(registry, "any/app", subject: manifest.digest.description)
            #expect(Set(artifacts.map(\.type)) == ["application/spdx+json", "application/vnd.cyclonedx+json"], "\(manifest.platform?.description ?? "")")
        }
        // The index itself has none: SBOMs describe one platform's file system.
        #expect(try await Self.client(registry).referrers("any/app", subject: root).manifests.isEmpty)
    }
}
