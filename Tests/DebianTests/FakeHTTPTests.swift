import Foundation
import HTTP
import Testing
import TestSupport

@testable import Debian

/// The Debian client driven through the in-memory HTTP client: no server, scripted failures.
@Suite("repository client through the fake HTTP client")
struct FakeHTTPTests {
    static let base = "http://mirror.test/debian"
    static let inRelease = "\(base)/dists/bookworm/InRelease"
    static let packagesXZ = "dists/bookworm/main/binary-amd64/Packages.xz"
    static let libc6 = "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb"

    let fake = FakeHTTPClient()
    let cacheDirectory: TemporaryDirectory
    let cache: ContentCache

    init() throws {
        cacheDirectory = try TemporaryDirectory("cache")
        cache = try ContentCache(root: cacheDirectory.url)
        fake.serveFiles(at: Self.base, from: SharedTestData.debianMirror)
    }

    func repository(offline: Bool = false, log: EventLog? = nil) throws -> DebianRepository {
        let sources = DebianSources(suites: [DebianSuite(name: "bookworm", mirror: Self.base)])
        return try DebianRepository(
            sources: sources, cache: cache, options: RepositoryOptions(offline: offline), progress: log?.handler, http: fake)
    }

    /// libc6 as the frozen index lists it.
    func libc6Download() async throws -> PackageDownload {
        let index = try await FrozenMirror.index("bookworm", "amd64")
        return try #require(index.newest("libc6").map(PackageDownload.init))
    }

    @Test("a 500 on InRelease is retried, and a redirected Packages.xz is followed and verified")
    func retryAndRedirect() async throws {
        fake.respond(to: Self.inRelease, with: [.status(500, "busy"), .file(SharedTestData.path("debian-mirror/dists/bookworm/InRelease"))])
        fake.respond(to: "\(Self.base)/\(Self.packagesXZ)", with: [.redirect(to: "http://cdn.test/debian/\(Self.packagesXZ)", status: 301)])
        fake.serveFiles(at: "http://cdn.test/debian", from: SharedTestData.debianMirror)
        let log = EventLog()
        let index = try await repository(log: log).loadIndex(architecture: "amd64")
        #expect(index.newest("libc6") != nil)
        #expect(fake.received.map(\.url) == [Self.inRelease, Self.inRelease, "\(Self.base)/\(Self.packagesXZ)", "http://cdn.test/debian/\(Self.packagesXZ)"])
        #expect(fake.waits == [.milliseconds(500)])
        #expect(log.finished.map(\.name) == ["bookworm/main/binary-amd64/Packages.xz"])
        #expect(CacheSnapshot(cache).blobs.count == 2 && CacheSnapshot(cache).temporary.isEmpty)
    }

    @Test("a .deb cut short is an error naming its URL, and nothing is cached")
    func truncatedDeb() async throws {
        let download = try await libc6Download()
        let url = "\(Self.base)/\(Self.libc6)"
        let bytes = try Data(contentsOf: SharedTestData.debianMirror.appendingPathComponent(Self.libc6))
        fake.respond(to: url, with: [.truncated(bytes.prefix(bytes.count / 3), announced: Int64(bytes.count))])
        let log = EventLog()
        await #expect {
            _ = try await repository(log: log).fetch([download])
        } throws: { error in
            guard let error = error as? DebianError, case .downloadFailed(url, let reason) = error else { return false }
            return reason.contains("\(bytes.count / 3) of \(bytes.count) bytes") && error.description.contains(url)
        }
        #expect(fake.received.count == 1)
        #expect(CacheSnapshot(cache).blobs.isEmpty && CacheSnapshot(cache).temporary.isEmpty)
        #expect(log.events.contains { if case .failed(download.name, _) = $0 { true } else { false } })
    }

    @Test("a .deb that keeps failing reports the last status; a wrong size is refused before the body")
    func persistentFailures() async throws {
        let download = try await libc6Download()
        let url = "\(Self.base)/\(Self.libc6)"
        fake.respond(to: url, with: [.status(503)])
        await #expect(throws: DebianError.httpStatus(url: url, status: 503)) { _ = try await repository().fetch([download]) }
        #expect(fake.received.count == 4)

        fake.respond(to: url, with: [.ok(Data(count: Int(download.size) + 10))])
        await #expect(throws: DebianError.sizeMismatch(file: url, expected: download.size, actual: download.size + 10)) {
            _ = try await repository().fetch([download])
        }
        #expect(CacheSnapshot(cache).blobs.isEmpty && CacheSnapshot(cache).temporary.isEmpty)
    }

    @Test("the fetched .deb is the verified one, and offline makes no request at all")
    func fetchThenOffline() async throws {
        let download = try await libc6Download()
        await #expect(throws: DebianError.self) { _ = try await repository(offline: true).fetch([download]) }
        await #expect(throws: DebianError.self) { _ = try await repository(offline: true).loadIndex(architecture: "amd64") }
        #expect(fake.received.isEmpty)
        let fetched = try await repository().fetch([download])
        #expect(try fetched.first?.path == cache.path(sha256: download.sha256))
        #expect(fake.received.map(\.url) == ["\(Self.base)/\(Self.libc6)"])
        #expect(fake.received.first?.headers["User-Agent"] == "distill")
        _ = try await repository(offline: true).fetch([download])
        #expect(fake.received.count == 1)
    }
}
