import Foundation
import TestSupport

@testable import Debian

/// The frozen signed mirror served once per test process on 127.0.0.1, with a shared cache, so that
/// verified indexes are fetched and parsed once and reused by every test that only reads them.
actor FrozenMirror {
    static let shared = FrozenMirror()

    private var server: LocalHTTPServer?
    private var cache: ContentCache?
    private var indexes: [String: Task<PackageIndex, any Error>] = [:]

    /// Where the shared cache lives; removed when the test process exits.
    nonisolated static let cacheRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-frozen-mirror-cache-\(UUID().uuidString)")
        atexit {
            try? FileManager.default.removeItem(at: FrozenMirror.cacheRoot)
        }
        return url
    }()

    /// The server's base URL (the mirror root).
    func baseURL() throws -> String {
        if let server { return server.baseURL }
        let started = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        server = started
        return started.baseURL
    }

    /// A repository for `suite` of the frozen mirror, on the shared cache.
    func repository(suite: String) throws -> DebianRepository {
        let cache = try self.cache ?? ContentCache(root: Self.cacheRoot)
        self.cache = cache
        let sources = DebianSources(suites: [DebianSuite(name: suite, mirror: try baseURL())])
        return try DebianRepository(sources: sources, cache: cache)
    }

    /// The verified index of `suite` for `architecture`, loaded over HTTP once.
    func index(suite: String, architecture: String) throws -> Task<PackageIndex, any Error> {
        let key = "\(suite)/\(architecture)"
        if let task = indexes[key] { return task }
        let repository = try repository(suite: suite)
        let task = Task { try await repository.loadIndex(architecture: architecture) }
        indexes[key] = task
        return task
    }

    /// Shorthand for tests.
    static func index(_ suite: String, _ architecture: String) async throws -> PackageIndex {
        try await shared.index(suite: suite, architecture: architecture).value
    }
}

/// The roots of each distroless preset, as the build pipeline will request them.
enum PresetRoots {
    static func roots(_ preset: String, distro: DebianDistro) -> [String] {
        let trixie = distro == .debian13
        let staticRoots = ["base-files", "netbase", "tzdata", "media-types", "ca-certificates"] + (trixie ? ["tzdata-legacy"] : [])
        let baseNoSSL = staticRoots + ["libc6"]
        let base = baseNoSSL + (trixie ? ["libssl3t64", "libzstd1", "zlib1g"] : ["libssl3"])
        let cc = base + ["libgcc-s1", "libstdc++6", "libgomp1"]
        switch preset {
        case "static": return staticRoots
        case "base-nossl": return baseNoSSL
        case "base": return base
        case "cc": return cc
        case "python3": return cc + [trixie ? "python3.13" : "python3.11"]
        default: fatalError("unknown preset \(preset)")
        }
    }
}
