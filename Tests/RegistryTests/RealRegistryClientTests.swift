import Archive
import Foundation
import HTTP
import ImageFormat
import Registry
import TestSupport
import TestTraits
import Testing

/// A blob and manifest pushed with the client to Debian's docker-registry, read back.
struct PushedArtifact {
    var config: Descriptor
    var layer: Descriptor
    var manifest: Data
    var layerFile: String
    var configFile: String

    /// A random 300 KiB "layer" and a config in `dir`, and a manifest naming them.
    static func make(in dir: TemporaryDirectory, size: Int = 300 << 10) throws -> PushedArtifact {
        var generator = SystemRandomNumberGenerator()
        let layerData = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let configData = Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        try layerData.write(to: dir.path("layer"))
        try configData.write(to: dir.path("config"))
        let layer = Descriptor(mediaType: MediaType.ociLayerGzip, digest: .sha256(of: layerData), size: Int64(layerData.count))
        let config = Descriptor(mediaType: MediaType.ociConfig, digest: .sha256(of: configData), size: Int64(configData.count))
        let manifest = try CanonicalJSON.encode(ImageManifest(config: config, layers: [layer]))
        return PushedArtifact(config: config, layer: layer, manifest: manifest, layerFile: dir("layer"), configFile: dir("config"))
    }

    func push(with client: RegistryClient, to repository: String, tag: String) async throws -> [BlobPushOutcome] {
        let outcomes = [
            try await client.pushBlob(repository, config, file: configFile),
            try await client.pushBlob(repository, layer, file: layerFile),
        ]
        try await client.putManifest(repository, reference: tag, data: manifest, mediaType: MediaType.ociManifest)
        return outcomes
    }
}

@Suite(.localRegistry(.plain)) struct RealRegistryClientTests {
    static func client(_ registry: LocalRegistry, chunkSize: Int64? = nil) -> RegistryClient {
        RegistryClient(
            registry: registry.host, options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: []), chunkSize: chunkSize))
    }

    @Test(arguments: [nil, 100_000] as [Int64?])
    func push_then_pull_keeps_every_byte_and_digest(chunkSize: Int64?) async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-roundtrip")
        let artifact = try PushedArtifact.make(in: dir)
        let repository = "roundtrip/" + (chunkSize == nil ? "monolithic" : "chunked")
        let client = Self.client(registry, chunkSize: chunkSize)
        let before = registry.requests("PATCH", pathContaining: "/\(repository)/blobs/uploads/").count
        #expect(try await artifact.push(with: client, to: repository, tag: "v1") == [.uploaded, .uploaded])
        // Chunked: the 300 KiB layer went as four PATCHes of at most 100 000 bytes.
        let patches = registry.requests("PATCH", pathContaining: "/\(repository)/blobs/uploads/").count - before
        #expect(patches == (chunkSize == nil ? 0 : 4))

        let fetched = try await client.manifest(repository, reference: "v1")
        #expect(fetched.data == artifact.manifest)
        #expect(fetched.descriptor.mediaType == MediaType.ociManifest)
        #expect(try await client.manifestDescriptor(repository, reference: "v1") == fetched.descriptor)
        #expect(try await client.manifestDescriptor(repository, reference: "nope") == nil)
        try await client.downloadBlob(repository, artifact.layer, to: dir("pulled"))
        #expect(try Data(contentsOf: dir.path("pulled")) == Data(contentsOf: dir.path("layer")))
        #expect(try await client.blobData(repository, artifact.config) == Data(contentsOf: dir.path("config")))
    }

    @Test func a_second_push_sends_no_blob_bytes_and_other_repositories_mount() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-again")
        let artifact = try PushedArtifact.make(in: dir)
        let client = Self.client(registry)
        _ = try await artifact.push(with: client, to: "again/app", tag: "1")
        let uploads = registry.blobUploadRequests("again/").count
        #expect(uploads == 2)
        #expect(try await artifact.push(with: client, to: "again/app", tag: "2") == [.present, .present])
        #expect(try await client.pushBlob("again/other", artifact.layer, file: artifact.layerFile, mountFrom: ["again/app"]) == .mounted(from: "again/app"))
        #expect(registry.blobUploadRequests("again/").count == uploads)
        #expect(registry.requests("POST", pathContaining: "/again/other/blobs/uploads/?mount=\(artifact.layer.digest)").count == 1)
    }

    @Test func missing_things_are_named() async throws {
        let registry = try LocalRegistry.require()
        let client = Self.client(registry)
        await #expect { try await client.manifest("nothing/here", reference: "latest") } throws: { error in
            "\(error)" == "\(registry.host)/nothing/here: manifest latest is not there (404); check the repository name, tag or digest"
        }
        let digest = Digest.sha256(of: Data("absent".utf8))
        await #expect { try await client.blobData("nothing/here", Descriptor(mediaType: "x", digest: digest, size: 6)) } throws: {
            "\($0)".contains("blob \(digest) is not there")
        }
        // docker-registry 2.8 has no referrers API: the tag schema answers (nothing yet).
        #expect(try await client.referrers("nothing/here", subject: digest).manifests.isEmpty)
    }

    @Test func a_referrer_is_found_through_the_tag_schema() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-referrer")
        let artifact = try PushedArtifact.make(in: dir, size: 100)
        let client = Self.client(registry)
        _ = try await artifact.push(with: client, to: "ref/app", tag: "1")
        let subject = Descriptor(mediaType: MediaType.ociManifest, digest: .sha256(of: artifact.manifest), size: Int64(artifact.manifest.count))
        // An SBOM-like artifact: empty config, one layer, the image as subject.
        let empty = Data("{}".utf8)
        try empty.write(to: dir.path("empty"))
        let emptyDescriptor = Descriptor(mediaType: MediaType.ociEmpty, digest: .sha256(of: empty), size: 2)
        _ = try await client.pushBlob("ref/app", emptyDescriptor, file: dir("empty"))
        let sbom = try CanonicalJSON.encode(
            ImageManifest(artifactType: "application/spdx+json", config: emptyDescriptor, layers: [artifact.layer], subject: subject))
        let pushed = try await client.pushReferrer(
            "ref/app", manifest: sbom, mediaType: MediaType.ociManifest, artifactType: "application/spdx+json", subject: subject.digest)
        let found = try await client.referrers("ref/app", subject: subject.digest, artifactType: "application/spdx+json")
        #expect(found.manifests == [pushed])
        #expect(try await client.manifest("ref/app", reference: RegistryClient.referrersTag(for: subject.digest)).descriptor.mediaType == MediaType.ociIndex)
    }

    @Test func https_to_a_plain_registry_fails_with_a_hint() async throws {
        let registry = try LocalRegistry.require()
        let client = RegistryClient(registry: registry.host, options: RegistryOptions(credentials: RegistryCredentialStore(files: [])))
        await #expect { try await client.ping() } throws: { error in
            "\(error)".contains("--insecure-registry")
        }
    }
}

@Suite(.localRegistry(.tls(users: ["alice": "correct horse"]))) struct TLSRegistryClientTests {
    static func client(_ registry: LocalRegistry, password: String?, ca: Bool = true) -> RegistryClient {
        let credentials = password.map { ["127.0.0.1:\(registry.port)": RegistryCredentials(username: "alice", secret: $0, source: "--username")] } ?? [:]
        return RegistryClient(
            registry: registry.host,
            options: RegistryOptions(
                caCertificateFiles: ca ? [registry.caCertificate].compactMap { $0 } : [],
                credentials: RegistryCredentialStore(explicit: credentials, files: [])))
    }

    @Test func right_password_pushes_and_pulls_over_tls_with_the_test_ca() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-tls")
        let artifact = try PushedArtifact.make(in: dir)
        let client = Self.client(registry, password: "correct horse")
        #expect(try await artifact.push(with: client, to: "secure/app", tag: "v1") == [.uploaded, .uploaded])
        #expect(try await client.manifest("secure/app", reference: "v1").data == artifact.manifest)
    }

    @Test func wrong_or_missing_password_is_a_clear_401() async throws {
        let registry = try LocalRegistry.require()
        await #expect { try await Self.client(registry, password: "wrong").manifest("secure/app", reference: "v1") } throws: { error in
            "\(error)".hasPrefix("401 from \(registry.host) for pull to secure/app") && "\(error)".contains("credentials from --username were refused")
        }
        await #expect { try await Self.client(registry, password: nil).manifest("secure/app", reference: "v1") } throws: { error in
            "\(error)".contains("401 from \(registry.host)") && "\(error)".contains("--username/--password-stdin")
        }
    }

    @Test func without_the_ca_the_certificate_is_refused_with_a_hint() async throws {
        let registry = try LocalRegistry.require()
        await #expect { try await Self.client(registry, password: "correct horse", ca: false).ping() } throws: { error in
            "\(error)".contains("--ca-cert")
        }
    }
}
