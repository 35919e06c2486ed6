import Foundation
import HTTP
import SystemSupport
import Synchronization

/// How a ``DebianRepository`` behaves.
public struct RepositoryOptions: Sendable {
    /// Use only the cache; never open a connection.
    public var offline: Bool
    /// "Now" for release checks: a Valid-Until before it, or a Date too far after it, is refused (nil: no date checks).
    public var validityDate: Date?
    /// How many downloads run at once.
    public var maxConcurrentDownloads: Int
    /// gpgv or sqv; nil picks the installed one.
    public var signatureTool: SignatureTool?

    public init(offline: Bool = false, validityDate: Date? = Date(), maxConcurrentDownloads: Int = 6, signatureTool: SignatureTool? = nil) {
        self.offline = offline
        self.validityDate = validityDate
        self.maxConcurrentDownloads = max(1, maxConcurrentDownloads)
        self.signatureTool = signatureTool
    }
}

/// A .deb to get: where it is and what it must hash to.
public struct PackageDownload: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    /// The suite it comes from (selects the mirror).
    public var suite: String
    /// The pool path relative to the mirror root.
    public var filename: String
    public var sha256: String
    public var size: Int64

    public init(name: String, version: String, suite: String, filename: String, sha256: String, size: Int64) {
        self.name = name
        self.version = version
        self.suite = suite
        self.filename = filename
        self.sha256 = sha256
        self.size = size
    }

    /// What the index says about `record`.
    public init(_ record: PackageRecord) {
        self.init(
            name: record.name, version: record.version.string, suite: record.suite, filename: record.filename, sha256: record.sha256,
            size: record.size)
    }
}

/// A verified .deb in the cache.
public struct FetchedPackage: Sendable {
    public let download: PackageDownload
    /// Its path in the cache.
    public let path: String
}

/// The Debian archive, verified end to end: InRelease signature → Packages by SHA256 → each .deb by SHA256.
///
/// Everything it returns has been verified and is in the cache; nothing unverified is ever cached.
public final class DebianRepository: Sendable {
    public let sources: DebianSources
    public let cache: ContentCache
    public let options: RepositoryOptions
    let verifier: SignatureVerifier
    let progress: DownloadProgressHandler?
    let downloader: HTTPDownloader
    /// Release files already verified by this repository, by suite: a multi-arch build fetches each InRelease once.
    private let releases = ReleaseMemo()
    /// Downloads running now, by sha256: a second request for the same file (a prefetch, then the build's own
    /// fetch) waits for the first instead of downloading it again.
    private let inFlight = Mutex<[String: Task<String, any Error>]>([:])

    /// Throws ``DebianError/noSignatureVerifier`` when neither gpgv nor sqv is installed. Downloads go through `http`.
    public init(
        sources: DebianSources, cache: ContentCache, keyring: Keyring = .debianArchive, options: RepositoryOptions = RepositoryOptions(),
        progress: DownloadProgressHandler? = nil, http: any HTTPClient = HTTPSession.shared
    ) throws(DebianError) {
        self.downloader = HTTPDownloader(client: http)
        self.sources = sources
        self.cache = cache
        self.options = options
        self.verifier = try SignatureVerifier(keyring: keyring, tool: options.signatureTool)
        self.progress = progress
        cache.removeStaleTemporaryFiles()
    }

    /// The verified release file of `suite` (fetched, or from the cache when offline).
    public func release(of suite: DebianSuite) async throws(DebianError) -> ReleaseFile {
        if let known = releases[suite] { return known }
        let release = try await fetchRelease(of: suite)
        releases[suite] = release
        return release
    }

    private func fetchRelease(of suite: DebianSuite) async throws(DebianError) -> ReleaseFile {
        let url = suite.distsURL("InRelease")
        let key = "InRelease \(url)"
        let path: String
        if options.offline {
            guard let hex = cache.reference(key) else { throw .offlineMissing(what: "the release file \(url)") }
            path = try cache.path(sha256: hex)
        } else {
            let writer = try cache.beginEntry(name: url)
            // No size is promised for InRelease; bound it anyway (real ones are ~150 kB) so a hostile server cannot fill the disk.
            try await transfer(url, name: "\(suite.name)/InRelease", into: writer, expectedSize: nil, limit: 32 << 20)
            // Verify before the entry is committed: a bad signature leaves nothing in the cache.
            try writer.close()
            let release = try await verifiedRelease(at: writer.temporaryPath, url: url, suite: suite)
            // Never go back in time: a release older than the one verified before is a replay (as apt refuses).
            if let hex = cache.reference(key), let previous = try? await verifiedRelease(at: try cache.path(sha256: hex), url: url, suite: suite) {
                do {
                    try release.checkNotOlder(than: previous, file: url)
                } catch {
                    writer.discard()
                    throw error
                }
            }
            let committed = try writer.commit(expectedSHA256: nil, expectedSize: nil)
            try cache.setReference(key, sha256: URL(fileURLWithPath: committed).lastPathComponent)
            return release
        }
        return try await verifiedRelease(at: path, url: url, suite: suite)
    }

    private func verifiedRelease(at path: String, url: String, suite: DebianSuite) async throws(DebianError) -> ReleaseFile {
        let verified = try await verifier.verifiedContent(ofClearsigned: path, name: url, scratch: cache.temporaryDirectory)
        let release = try ReleaseFile(parsing: verified, file: url)
        try release.check(suite: suite.name, now: options.validityDate, file: url)
        return release
    }

    /// Parses a Packages file off the cooperative pool: it is read through a decompressing child process.
    private static func load(_ path: String, name: String, suite: String) async throws(DebianError) -> [PackageRecord] {
        do {
            return try await BlockingWork.run { try PackagesFile.load(path: path, name: name, suite: suite) }
        } catch let error as DebianError {
            throw error
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
    }

    /// Every package of every configured suite and component for `architecture` (plus `all`), verified.
    public func loadIndex(architecture: String) async throws(DebianError) -> PackageIndex {
        var records: [PackageRecord] = []
        for suite in sources.suites {
            let release = try await release(of: suite)
            for component in suite.components {
                let path = try await packagesFile(suite: suite, component: component, architecture: architecture, release: release)
                records += try await Self.load(path.local, name: path.url, suite: suite.name)
            }
        }
        return PackageIndex(architecture: architecture, records: records)
    }

    /// The cached, verified Packages index of one component: `.xz` if the release lists it, else `.gz`, else plain.
    private func packagesFile(suite: DebianSuite, component: String, architecture: String, release: ReleaseFile) async throws(DebianError)
        -> (local: String, url: String)
    {
        let base = "\(component)/binary-\(architecture)/Packages"
        guard let (relative, checksum) = [".xz", ".gz", ""].lazy.compactMap({ ext in release.sha256[base + ext].map { (base + ext, $0) } }).first
        else {
            throw .indexNotListed(release: suite.distsURL("InRelease"), path: base + ".xz")
        }
        let url = suite.distsURL(relative)
        let name = "\(suite.name)/\(relative)"
        let path = try await cachedEntry(url: url, name: name, sha256: checksum.sha256, size: checksum.size)
        return (path, url)
    }

    /// Makes sure every package is in the cache, downloading the missing ones in parallel; returns them in the given order.
    public func fetch(_ downloads: [PackageDownload]) async throws(DebianError) -> [FetchedPackage] {
        var paths: [String: String] = [:]
        var missing: [PackageDownload] = []
        for d in downloads {
            if cache.contains(sha256: d.sha256) {
                paths[d.sha256] = try cache.path(sha256: d.sha256)
                progress?(.finished(name: d.name, bytes: d.size, cached: true))
            } else if !missing.contains(where: { $0.sha256 == d.sha256 }) {
                missing.append(d)
            }
        }
        if options.offline, let first = missing.first {
            throw .offlineMissing(what: "\(missing.count) package(s), e.g. \(first.name) \(first.version) (\(first.filename))")
        }
        let limit = options.maxConcurrentDownloads
        let outcome: DebianError? = await withTaskGroup(of: Result<(String, String), DebianError>.self) { group in
            var pending = missing[...]
            var running = 0
            var failure: DebianError?
            func launch() {
                guard let d = pending.popFirst() else { return }
                running += 1
                group.addTask {
                    do throws(DebianError) {
                        guard let suite = self.sources.suite(named: d.suite) else {
                            throw DebianError.downloadFailed(url: d.filename, reason: "suite '\(d.suite)' is not configured")
                        }
                        let path = try await self.cachedEntry(url: suite.poolURL(d.filename), name: d.name, sha256: d.sha256, size: d.size)
                        return .success((d.sha256, path))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for _ in 0..<limit { launch() }
            while running > 0, let result = await group.next() {
                running -= 1
                switch result {
                case .success(let (sha, path)):
                    paths[sha] = path
                    if failure == nil { launch() }
                case .failure(let error):
                    if failure == nil {
                        failure = error
                        group.cancelAll()
                    }
                }
            }
            return failure
        }
        if let outcome { throw outcome }
        return downloads.map { FetchedPackage(download: $0, path: paths[$0.sha256]!) }
    }

    /// The cache path of the entry with `sha256`, downloading and verifying it first if needed (or waiting for
    /// the download of it already running).
    func cachedEntry(url: String, name: String, sha256: String, size: Int64) async throws(DebianError) -> String {
        if cache.contains(sha256: sha256) { return try cache.path(sha256: sha256) }
        if options.offline { throw .offlineMissing(what: "\(url) (sha256 \(sha256))") }
        let (task, started) = inFlight.withLock { running -> (Task<String, any Error>, Bool) in
            if let task = running[sha256] { return (task, false) }
            let task = Task { try await self.download(url: url, name: name, sha256: sha256, size: size) }
            running[sha256] = task
            return (task, true)
        }
        do {
            let path = try await task.value
            if started { inFlight.withLock { _ = $0.removeValue(forKey: sha256) } }
            return path
        } catch {
            if started { inFlight.withLock { _ = $0.removeValue(forKey: sha256) } }
            if let error = error as? DebianError { throw error }
            throw .downloadFailed(url: url, reason: "\(error)")
        }
    }

    /// Downloads one entry into the cache, verified against `sha256` and `size` before it is committed.
    private func download(url: String, name: String, sha256: String, size: Int64) async throws(DebianError) -> String {
        if cache.contains(sha256: sha256) { return try cache.path(sha256: sha256) }
        let writer = try cache.beginEntry(name: url)
        try await transfer(url, name: name, into: writer, expectedSize: size)
        do {
            let path = try writer.commit(expectedSHA256: sha256, expectedSize: size)
            progress?(.finished(name: name, bytes: size, cached: false))
            return path
        } catch {
            progress?(.failed(name: name, error: error))
            throw error
        }
    }

    /// Downloads `url` into `writer`, reporting progress; discards the entry on failure.
    private func transfer(_ url: String, name: String, into writer: CacheWriter, expectedSize: Int64?, limit: Int64? = nil) async throws(DebianError) {
        progress?(.started(name: name, expectedBytes: expectedSize))
        let progress = self.progress
        do {
            _ = try await downloader.download(url, into: writer.sink, limit: expectedSize ?? limit) { bytes in
                progress?(.progressed(name: name, bytes: bytes, expectedBytes: expectedSize))
            }
        } catch {
            writer.discard()
            progress?(.failed(name: name, error: error))
            throw error
        }
    }
}

/// Verified release files by suite, shared by the tasks of one repository.
private final class ReleaseMemo: Sendable {
    private let releases = Mutex<[DebianSuite: ReleaseFile]>([:])

    subscript(suite: DebianSuite) -> ReleaseFile? {
        get { releases.withLock { $0[suite] } }
        set { releases.withLock { $0[suite] = newValue } }
    }
}
