import Foundation
import SystemSupport
import Testing
import TestSupport

@testable import Debian

/// A writable stand-in for the frozen mirror with some files copied (so a test can damage them), served on 127.0.0.1,
/// and an empty cache.
private final class DamagedMirror: @unchecked Sendable {
    let directory: TemporaryDirectory
    let server: LocalHTTPServer
    let cache: ContentCache
    let cacheDirectory: TemporaryDirectory

    init(copying copies: [String] = [], truncating: [String] = [], damage: (URL) throws -> Void = { _ in }) throws {
        directory = try TemporaryDirectory("mirror")
        try SymlinkTree.make(of: SharedTestData.debianMirror, at: directory.url, copying: copies)
        try damage(directory.url)
        server = try LocalHTTPServer(serving: directory.url, truncating: truncating)
        cacheDirectory = try TemporaryDirectory("cache")
        cache = try ContentCache(root: cacheDirectory.url)
    }

    deinit { server.stop() }

    func repository(keyring: Keyring = .debianArchive, tool: SignatureTool? = nil, suites: [String] = ["bookworm"]) throws -> DebianRepository {
        let sources = DebianSources(suites: suites.map { DebianSuite(name: $0, mirror: server.baseURL) })
        return try DebianRepository(sources: sources, cache: cache, keyring: keyring, options: RepositoryOptions(signatureTool: tool))
    }
}

private let libc6 = "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb"
private let packagesXZ = "dists/bookworm/main/binary-amd64/Packages.xz"
private let inRelease = "dists/bookworm/InRelease"

/// Checks that `body` fails with a DebianError whose message names `file`, and that the cache gained nothing.
private func expectRefusal(
    _ mirror: DamagedMirror, naming file: String, matching check: (DebianError) -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    let before = CacheSnapshot(mirror.cache)
    do {
        try await body()
        Issue.record("expected an error naming \(file)", sourceLocation: sourceLocation)
    } catch let error as DebianError {
        #expect(error.description.contains(file), "\(error) does not name \(file)", sourceLocation: sourceLocation)
        #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("not a DebianError: \(error)", sourceLocation: sourceLocation)
    }
    let after = CacheSnapshot(mirror.cache)
    #expect(after.blobs == before.blobs, "new cache entries: \(Set(after.blobs).subtracting(before.blobs))", sourceLocation: sourceLocation)
    #expect(after.temporary.isEmpty, "temporary files left: \(after.temporary)", sourceLocation: sourceLocation)
}

@Suite("tampered, truncated and missing files are refused and never cached")
struct TamperingTests {
    @Test("a flipped byte in InRelease's signed text", arguments: [SignatureTool?.none, .sqv(path: "/usr/bin/sqv")])
    func inReleaseFlipped(tool: SignatureTool?) async throws {
        if case .sqv(let path) = tool, !FileManager.default.isExecutableFile(atPath: path) { return }
        let mirror = try DamagedMirror(copying: [inRelease]) { root in
            let url = root.appendingPathComponent(inRelease)
            let data = try Data(contentsOf: url)
            let offset = try #require(data.range(of: Data("Version: 12.15".utf8))).upperBound - 1
            try SymlinkTree.flipByte(at: offset, of: url)
        }
        let repository = try mirror.repository(tool: tool)
        await expectRefusal(mirror, naming: inRelease, matching: { if case .signatureInvalid = $0 { true } else { false } }) {
            _ = try await repository.loadIndex(architecture: "amd64")
        }
        #expect(CacheSnapshot(mirror.cache).blobs.isEmpty)
    }

    @Test("a wrong keyring", arguments: ["debian-archive-bullseye-automatic.gpg", "empty"])
    func wrongKeyring(keyring name: String) async throws {
        let mirror = try DamagedMirror()
        let keyring: Keyring
        if name == "empty" {
            let url = mirror.directory.path("empty.gpg")
            try Data().write(to: url)
            keyring = Keyring(path: url.path)
        } else {
            keyring = Keyring(path: "/usr/share/keyrings/" + name)
            if !FileManager.default.fileExists(atPath: keyring.path) { return }
        }
        for tool in [SignatureTool.installed()!, .sqv(path: "/usr/bin/sqv")] {
            if case .sqv(let path) = tool, !FileManager.default.isExecutableFile(atPath: path) { continue }
            let repository = try mirror.repository(keyring: keyring, tool: tool)
            await expectRefusal(mirror, naming: inRelease, matching: { if case .signatureInvalid = $0 { true } else { false } }) {
                _ = try await repository.loadIndex(architecture: "amd64")
            }
        }
        #expect(CacheSnapshot(mirror.cache).blobs.isEmpty)
    }

    @Test("a flipped byte in Packages.xz")
    func packagesFlipped() async throws {
        let mirror = try DamagedMirror(copying: [packagesXZ]) { root in
            try SymlinkTree.flipByte(at: 4_000_000, of: root.appendingPathComponent(packagesXZ))
        }
        let repository = try mirror.repository()
        _ = try await repository.release(of: repository.sources.suites[0])
        await expectRefusal(mirror, naming: packagesXZ, matching: { if case .checksumMismatch = $0 { true } else { false } }) {
            _ = try await repository.loadIndex(architecture: "amd64")
        }
    }

    @Test("a truncated Packages.xz on the mirror")
    func packagesShort() async throws {
        let mirror = try DamagedMirror(copying: [packagesXZ]) { root in
            let url = root.appendingPathComponent(packagesXZ)
            try Data(contentsOf: url).prefix(100_000).write(to: url)
        }
        let repository = try mirror.repository()
        _ = try await repository.release(of: repository.sources.suites[0])
        await expectRefusal(mirror, naming: packagesXZ, matching: { if case .sizeMismatch = $0 { true } else { false } }) {
            _ = try await repository.loadIndex(architecture: "amd64")
        }
    }

    @Test("a flipped byte in a .deb")
    func debFlipped() async throws {
        let mirror = try DamagedMirror(copying: [libc6]) { root in
            try SymlinkTree.flipByte(at: -100, of: root.appendingPathComponent(libc6))
        }
        let repository = try mirror.repository()
        let index = try await repository.loadIndex(architecture: "amd64")
        let download = try #require(index.newest("libc6").map(PackageDownload.init))
        await expectRefusal(mirror, naming: libc6, matching: { if case .checksumMismatch = $0 { true } else { false } }) {
            _ = try await repository.fetch([download])
        }
        // Among parallel downloads, the good ones are kept and the bad one is not.
        let siblings = ["libgcc-s1", "gcc-12-base", "libc6"].compactMap { index.newest($0).map(PackageDownload.init) }
        await #expect(throws: DebianError.self) { _ = try await repository.fetch(siblings) }
        #expect(!mirror.cache.contains(sha256: download.sha256))
        #expect(CacheSnapshot(mirror.cache).temporary.isEmpty)
    }

    @Test("a download cut short by the server")
    func debTruncatedInTransit() async throws {
        let mirror = try DamagedMirror(truncating: ["/" + libc6])
        let repository = try mirror.repository()
        let index = try await repository.loadIndex(architecture: "amd64")
        let download = try #require(index.newest("libc6").map(PackageDownload.init))
        await expectRefusal(
            mirror, naming: libc6,
            matching: {
                switch $0 {
                case .downloadFailed, .sizeMismatch: true
                default: false
                }
            }
        ) {
            _ = try await repository.fetch([download])
        }
    }

    @Test("a 404 for a package outside the frozen pool, and for a suite the mirror lacks")
    func notFound() async throws {
        let mirror = try DamagedMirror()
        let repository = try mirror.repository()
        let index = try await repository.loadIndex(architecture: "amd64")
        let bash = try #require(index.newest("bash"))
        await expectRefusal(mirror, naming: bash.filename, matching: { $0 == .httpStatus(url: "\(mirror.server.baseURL)/\(bash.filename)", status: 404) }) {
            _ = try await repository.fetch([PackageDownload(bash)])
        }
        let updates = try mirror.repository(suites: ["bookworm", "bookworm-updates"])
        await expectRefusal(mirror, naming: "dists/bookworm-updates/InRelease", matching: { if case .httpStatus(_, 404) = $0 { true } else { false } }) {
            _ = try await updates.loadIndex(architecture: "amd64")
        }
    }

    @Test("a connection refused names the URL")
    func connectionRefused() async throws {
        let cacheDirectory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: cacheDirectory.url)
        let repository = try DebianRepository(
            sources: DebianSources(suites: [DebianSuite(name: "bookworm", mirror: "http://127.0.0.1:9")]), cache: cache)
        await #expect {
            _ = try await repository.loadIndex(architecture: "amd64")
        } throws: { error in
            guard let error = error as? DebianError, case .downloadFailed(let url, _) = error else { return false }
            return url == "http://127.0.0.1:9/dists/bookworm/InRelease"
        }
        #expect(CacheSnapshot(cache).blobs.isEmpty && CacheSnapshot(cache).temporary.isEmpty)
    }
}
