import Foundation
import ImageFormat
import Testing
import TestSupport

@testable import Debian

/// Collects progress events from concurrent downloads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [DownloadEvent] = []
    var handler: DownloadProgressHandler { { [self] event in lock.withLock { list.append(event) } } }
    var events: [DownloadEvent] { lock.withLock { list } }
    var finished: [(name: String, cached: Bool)] {
        events.compactMap { if case .finished(let name, _, let cached) = $0 { return (name, cached) } else { return nil } }
    }
}

/// The blobs and leftover temporary files of a cache, for "nothing unverified was kept" checks.
struct CacheSnapshot: Equatable {
    init(blobs: [String], temporary: [String]) {
        self.blobs = blobs
        self.temporary = temporary
    }

    var blobs: [String]
    var temporary: [String]

    init(_ cache: ContentCache) {
        blobs = TemporaryDirectory.files(below: cache.root.appendingPathComponent("blobs"))
        temporary = TemporaryDirectory.files(below: cache.temporaryDirectory)
    }
}

@Suite("repository client over HTTP")
struct RepositoryTests {
    @Test("fetches, verifies and caches the python3 closure; a warm run and an offline run open no new transfers")
    func python3Closure() async throws {
        let server = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        defer { server.stop() }
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        let log = EventLog()
        let sources = DebianSources(suites: [DebianSuite(name: "bookworm", mirror: server.baseURL + "/")])
        let repository = try DebianRepository(sources: sources, cache: cache, progress: log.handler)

        let index = try await repository.loadIndex(architecture: "amd64")
        let resolution = try Resolver(index: index).resolve(PresetRoots.roots("python3", distro: .debian12))
        let downloads = resolution.packages.map { PackageDownload($0.record) }
        let fetched = try await repository.fetch(downloads)
        #expect(fetched.count == 36)
        for package in fetched {
            #expect(try package.path == cache.path(sha256: package.download.sha256))
            let digest = try Digest.sha256(of: Data(contentsOf: URL(fileURLWithPath: package.path)))
            #expect(digest.encoded == package.download.sha256, "\(package.download.name)")
        }
        #expect(log.finished.filter { !$0.cached }.count == 37)  // 36 packages and Packages.xz
        #expect(CacheSnapshot(cache).temporary.isEmpty)
        #expect(CacheSnapshot(cache).blobs.count == 38)  // + InRelease
        #expect(server.requestedPaths.filter { $0.hasPrefix("/pool/") }.count == 36)
        // 38 files over the shared client's pool: at most one connection per parallel download (6), not one per file.
        #expect(server.connectionCount <= 6, "\(server.connectionCount) connections")

        // Warm: only the (small) InRelease is fetched again; Packages.xz and .debs come from the cache.
        let before = server.requestedPaths.count
        let warm = try DebianRepository(sources: sources, cache: cache)
        let warmIndex = try await warm.loadIndex(architecture: "amd64")
        _ = try await warm.fetch(downloads)
        #expect(Array(server.requestedPaths.dropFirst(before)) == ["/dists/bookworm/InRelease"])
        #expect(warmIndex.newest("libc6")?.sha256 == index.newest("libc6")?.sha256)

        // Offline: the same result from the cache alone, and not a single request.
        let requests = server.requestedPaths.count
        let offline = try DebianRepository(sources: sources, cache: cache, options: RepositoryOptions(offline: true))
        let offlineIndex = try await offline.loadIndex(architecture: "amd64")
        let offlineResolution = try Resolver(index: offlineIndex).resolve(PresetRoots.roots("python3", distro: .debian12))
        #expect(offlineResolution.packages.map(\.name) == resolution.packages.map(\.name))
        #expect(try await offline.fetch(downloads).count == 36)
        #expect(server.requestedPaths.count == requests)
    }

    @Test("offline with an empty cache names what is missing and opens no connection")
    func offlineMissing() async throws {
        let server = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        defer { server.stop() }
        let directory = try TemporaryDirectory("cache")
        let sources = DebianSources(suites: [DebianSuite(name: "bookworm", mirror: server.baseURL)])
        let repository = try DebianRepository(sources: sources, cache: try ContentCache(root: directory.url), options: RepositoryOptions(offline: true))
        await #expect {
            _ = try await repository.loadIndex(architecture: "amd64")
        } throws: { error in
            guard let error = error as? DebianError, case .offlineMissing(let what) = error else { return false }
            return what.contains("/dists/bookworm/InRelease") && error.description.contains("run once without --offline")
        }
        let download = PackageDownload(
            name: "libc6", version: "2.36-9+deb12u14", suite: "bookworm", filename: "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb",
            sha256: String(repeating: "a", count: 64), size: 1)
        await #expect(throws: DebianError.self) { _ = try await repository.fetch([download]) }
        #expect(server.requestedPaths.isEmpty)
    }

    @Test("a lock file written from a resolution fetches the same files")
    func lockRoundTrip() async throws {
        let index = try await FrozenMirror.index("bookworm", "arm64")
        let resolution = try Resolver(index: index).resolve(PresetRoots.roots("base", distro: .debian12))
        let inputs = LockInputs(
            distro: "debian12", suites: ["bookworm"], architectures: ["arm64"], packages: PresetRoots.roots("base", distro: .debian12),
            policy: .distroless)
        let lock = LockFile(inputs: inputs, resolutions: [resolution])
        let directory = try TemporaryDirectory("lock")
        let url = directory.path("distill.lock")
        try lock.write(to: url)
        let read = try LockFile.read(from: url)
        try read.check(against: inputs, file: url.path)
        let downloads = try #require(read.downloads(for: "arm64"))
        #expect(downloads.map(\.name) == resolution.packages.map(\.name))
        let fetched = try await FrozenMirror.shared.repository(suite: "bookworm").fetch(downloads)
        #expect(fetched.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }
}
