import Archive
import Foundation
import HTTP
import ImageFormat
import Registry
import TestSupport
import TestTraits
import Testing

/// The client through ``FaultProxy`` in front of a real registry: each fault either heals (retried, digests right)
/// or ends in an error naming the digest, and a failed download leaves no file.
@Suite(.localRegistry(.plain)) struct FaultTests {
    static func client(through proxy: FaultProxy, chunkSize: Int64? = nil) -> RegistryClient {
        RegistryClient(
            registry: proxy.host,
            options: RegistryOptions(insecureHosts: [proxy.host], credentials: RegistryCredentialStore(files: []), chunkSize: chunkSize))
    }

    /// An artifact pushed straight to the registry (no proxy) under `repository`.
    static func pushed(_ repository: String, in dir: TemporaryDirectory) async throws -> PushedArtifact {
        let registry = try LocalRegistry.require()
        let artifact = try PushedArtifact.make(in: dir)
        let direct = RegistryClient(
            registry: registry.host, options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: [])))
        _ = try await artifact.push(with: direct, to: repository, tag: "v1")
        return artifact
    }

    // (A cut connection, a 500 and a 429 on the way down are healed in RegistryFaultTests, through `distill pull`.)
    @Test func a_download_to_a_file_heals_a_flipped_byte_by_starting_again() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fault-pull")
        let artifact = try await Self.pushed("fault/flip", in: dir)
        let proxy = try FaultProxy(to: registry.port, rules: [.init("GET", "/blobs/\(artifact.layer.digest)", .flipResponse(offset: 12_345))])
        try await Self.client(through: proxy).downloadBlob("fault/flip", artifact.layer, to: dir("pulled"))
        #expect(proxy.applied.count == 1)
        #expect(try Data(contentsOf: dir.path("pulled")) == Data(contentsOf: URL(fileURLWithPath: artifact.layerFile)))
    }

    @Test func a_stream_cut_mid_blob_resumes_where_it_stopped() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fault-resume")
        let artifact = try await Self.pushed("fault/resume", in: dir)
        let proxy = try FaultProxy(to: registry.port, rules: [.init("GET", "/blobs/\(artifact.layer.digest)", .dropResponse(afterBytes: 123_456))])
        let sink = DataSink()
        try await Self.client(through: proxy).fetchBlob("fault/resume", artifact.layer, into: sink)
        #expect(sink.data == (try Data(contentsOf: URL(fileURLWithPath: artifact.layerFile))))
        #expect(proxy.applied.count == 1)
        // The second request asked for the rest only, and got it as a partial answer.
        let partial = registry.log.split(separator: "\n").filter { $0.contains("GET /v2/fault/resume/blobs/\(artifact.layer.digest)") && $0.contains("\" 206 ") }
        #expect(partial.count == 1)
    }

    @Test func a_blob_corrupt_every_time_is_an_error_naming_its_digest_and_leaves_nothing() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fault-corrupt")
        let artifact = try await Self.pushed("fault/corrupt", in: dir)
        let proxy = try FaultProxy(to: registry.port, rules: [.init("GET", "/blobs/\(artifact.layer.digest)", .flipResponse(offset: 7), times: 100)])
        let out = try TemporaryDirectory("fault-corrupt-out")
        await #expect { try await Self.client(through: proxy).downloadBlob("fault/corrupt", artifact.layer, to: out("pulled")) } throws: { error in
            "\(error)".contains("blob \(artifact.layer.digest) has digest") && "\(error)".contains("nothing was kept")
        }
        #expect(TemporaryDirectory.files(below: out.url).isEmpty)
        #expect(proxy.applied.count == 3)
    }

    // (Monolithic uploads cut, corrupted or answered 500 are healed in RegistryFaultTests, through `distill push`.)
    static let uploads: [(String, FaultProxy.Rule, Int64?)] = [
        ("a chunk cut", .init("PATCH", "/blobs/uploads/", .dropRequest(afterBytes: 50_000)), 100_000),
        ("429 on a chunk", .init("PATCH", "/blobs/uploads/", .status(429, retryAfter: 1)), 100_000),
    ]

    @Test(arguments: uploads.indices)
    func an_upload_heals(_ index: Int) async throws {
        let (name, rule, chunkSize) = Self.uploads[index]
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fault-push")
        let artifact = try PushedArtifact.make(in: dir)
        let repository = "fault/push\(index)"
        let proxy = try FaultProxy(to: registry.port, rules: [rule])
        let client = Self.client(through: proxy, chunkSize: chunkSize)
        #expect(try await client.pushBlob(repository, artifact.layer, file: artifact.layerFile) == .uploaded, "\(name)")
        #expect(proxy.applied.count == 1, "\(name)")
        // What the registry holds is the right blob, read without the proxy.
        let direct = RegistryClient(
            registry: registry.host, options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: [])))
        try await direct.downloadBlob(repository, artifact.layer, to: dir("check"))
        #expect(try Data(contentsOf: dir.path("check")) == Data(contentsOf: URL(fileURLWithPath: artifact.layerFile)), "\(name)")
    }

    @Test func an_upload_corrupt_every_time_is_an_error_naming_its_digest() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("fault-push-bad")
        let artifact = try PushedArtifact.make(in: dir)
        let proxy = try FaultProxy(to: registry.port, rules: [.init("PUT", "/blobs/uploads/", .flipRequest(offset: 3), times: 100)])
        await #expect { try await Self.client(through: proxy).pushBlob("fault/bad", artifact.layer, file: artifact.layerFile) } throws: { error in
            "\(error)".contains("\(artifact.layer.digest)")
        }
        let direct = RegistryClient(
            registry: registry.host, options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: [])))
        #expect(try await direct.blobExists("fault/bad", artifact.layer) == false)
    }
}
