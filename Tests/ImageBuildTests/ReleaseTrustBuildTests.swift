import Debian
import Foundation
import ImageBuild
import Testing
import TestSupport

/// Naming `suites:` in a build file once switched the Valid-Until check off, so a replayed, expired
/// InRelease was accepted: the build must refuse it whatever the suites.
@Suite("Build: release files are checked whatever the suites")
struct ReleaseTrustBuildTests {
    @Test("an expired InRelease is refused with suites: set, naming the file")
    func expiredWithSuites() async throws {
        let key = try TestSigningKey()
        let mirror = try TemporaryDirectory("mirror")
        try FileManager.default.createDirectory(atPath: mirror("dists/bookworm"), withIntermediateDirectories: true)
        let expired = TestSigningKey.release(codename: "bookworm", date: Date() - 40 * 86_400, validUntil: Date() - 30 * 86_400)
        try key.clearsign(expired).write(to: URL(fileURLWithPath: mirror("dists/bookworm/InRelease")))
        let server = try LocalHTTPServer(serving: mirror.url)
        let cache = try TemporaryDirectory("cache")
        await #expect {
            _ = try await BuildFixture.build(
                "name: replay\nbase: static\ndistro: debian12\nmirror: \(server.baseURL)\nsuites: [bookworm]\n", cache: cache.path
            ) { options in
                options.keyring = Keyring(path: key.keyringPath)
            }
        } throws: { error in
            guard case .releaseExpired(let file, _) = error as? DebianError else { return false }
            return file.hasSuffix("/dists/bookworm/InRelease")
        }
    }
}
