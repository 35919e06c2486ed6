import Foundation
import ImageFormat
import TestSupport
import Testing

/// `distill build --push`: a two-architecture build from the frozen mirror goes to the registry as one index.
@Suite(.localRegistry(.plain)) struct BuildPushTests {
    static let mirror: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.debianMirror)

    @Test func a_multi_arch_build_is_pushed_as_one_index() throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("build-push")
        try """
            name: pushed
            base: static
            distro: debian12
            archs: [amd64, arm64]
            mirror: \(Self.mirror.baseURL)
            suites: [bookworm]
            app:
              - {source: hello.txt, target: /app/hello.txt}

            """.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        try "hello\n".write(toFile: dir("hello.txt"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CACHE_HOME": SharedBuildCache.directory.path, "SOURCE_DATE_EPOCH": "1700000000"]
        let target = "\(registry.host)/built/pushed:1"
        try DistillCLI.check(["build", "--push", target, "--insecure-registry", registry.host], in: dir.path, environment: environment)
        let local = try #require(KillHarness.layoutDigest(dir("build/pushed")))
        let raw = try Tool.check(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + target])
        #expect(Digest.sha256(of: Data(raw.utf8)).description == local)
        let index = try JSONDecoder().decode(ImageIndex.self, from: Data(raw.utf8))
        #expect(index.manifests.compactMap { $0.platform?.architecture }.sorted() == ["amd64", "arm64"])
        // The default outputs are still written.
        #expect(FileManager.default.fileExists(atPath: dir("build/pushed.tar")))
    }
}
