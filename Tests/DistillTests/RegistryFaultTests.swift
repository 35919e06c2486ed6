import Foundation
import ImageFormat
import TestSupport
import TestTraits
import Testing

/// push and pull through ``FaultProxy``: a broken connection, a 500 or 429 once heal with the right digests; a blob
/// corrupt every time fails naming its digest, and leaves no image at the destination (no folder, no tag).
@Suite(.localRegistry(.plain)) struct RegistryFaultTests {
    /// An image pushed straight to the registry as `repository:1`; returns its digest.
    static func pushed(_ repository: String, in dir: TemporaryDirectory) async throws -> Digest {
        let registry = try LocalRegistry.require()
        let root = try await RegistryTestImage.write(to: dir("img"))
        try DistillCLI.check(["push", "--insecure-registry", registry.host, "oci:img", "\(registry.host)/\(repository):1"], in: dir.path)
        return root
    }

    // One pull meets every fault (a proxy and a copy per fault would cost seconds each, for the same code paths).
    @Test func a_pull_heals_cut_connections_a_500_and_a_429() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-fault-pull")
        let root = try await Self.pushed("faults/pull", in: dir)
        let rules: [FaultProxy.Rule] = [
            .init("GET", "/manifests/", .status(500)),
            .init("GET", "/blobs/sha256:", .dropResponse(afterBytes: 50_000), times: 2),
            .init("GET", "/blobs/sha256:", .status(429, retryAfter: 1)),
        ]
        let proxy = try FaultProxy(to: registry.port, rules: rules)
        let pulled = try DistillCLI.check(["pull", "--insecure-registry", proxy.host, "\(proxy.host)/faults/pull:1", "oci:out"], in: dir.path)
        #expect(RegistryTestImage.printedDigest(pulled) == root.description)
        #expect(RegistryTestImage.blobs(in: dir("out")) == RegistryTestImage.blobs(in: dir("img")))
        #expect(proxy.applied.count == 4, "\(proxy.applied)")
    }

    @Test func a_blob_corrupt_every_time_fails_naming_it_and_writes_nothing() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-fault-corrupt")
        try await Self.pushed("faults/corrupt", in: dir)
        let proxy = try FaultProxy(to: registry.port, rules: [.init("GET", "/blobs/sha256:", .flipResponse(offset: 1000), times: 1000)])
        let result = try DistillCLI.run(["pull", "--insecure-registry", proxy.host, "\(proxy.host)/faults/corrupt:1", "oci:out"], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("has digest sha256:") && result.stderr.contains("was expected"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir("out")))
        #expect(TemporaryDirectory.files(below: dir.url).allSatisfy { !$0.hasPrefix("out") && !$0.contains(".tmp-") })
    }

    @Test func a_push_heals_500s_a_429_a_cut_upload_and_a_flipped_byte() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-fault-push")
        let root = try await RegistryTestImage.write(to: dir("img"))
        let rules: [FaultProxy.Rule] = [
            .init("PUT", "/blobs/uploads/", .status(500)),
            .init("PUT", "/blobs/uploads/", .dropRequest(afterBytes: 60_000)),
            .init("PUT", "/blobs/uploads/", .flipRequest(offset: 777)),
            .init("POST", "/blobs/uploads/", .status(429, retryAfter: 1)),
            .init("PUT", "/manifests/", .status(500)),
        ]
        let proxy = try FaultProxy(to: registry.port, rules: rules)
        let pushed = try DistillCLI.check(["push", "--insecure-registry", proxy.host, "oci:img", "\(proxy.host)/faults/push:1"], in: dir.path)
        #expect(RegistryTestImage.printedDigest(pushed) == root.description)
        #expect(proxy.applied.count == rules.count, "\(proxy.applied)")
        // The registry checked every blob's digest as it took it; skopeo reads the manifest it serves, without the proxy.
        #expect(try RegistryTestImage.skopeoDigest("docker://\(registry.host)/faults/push:1") == root.description)
    }

    @Test func an_upload_corrupt_every_time_fails_naming_the_blob_and_leaves_no_tag() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-fault-push-bad")
        try await RegistryTestImage.write(to: dir("img"))
        let proxy = try FaultProxy(to: registry.port, rules: [.init("PUT", "/blobs/uploads/", .flipRequest(offset: 5), times: 1000)])
        let result = try DistillCLI.run(["push", "--insecure-registry", proxy.host, "oci:img", "\(proxy.host)/faults/never:1"], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("sha256:"), "\(result.stderr)")
        let tag = try Tool.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://\(registry.host)/faults/never:1"])
        #expect(tag.status != 0)
        #expect(registry.requests("PUT", pathContaining: "/faults/never/manifests/").isEmpty)
    }
}
