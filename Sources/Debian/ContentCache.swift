import Archive
import Foundation
import ImageFormat
import SystemSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A content-addressed store of verified files: `blobs/sha256/<hex>`, plus named references to blobs.
///
/// An entry appears only after its content has been hashed and compared with what was promised,
/// and then by an atomic rename, so a crash or a bad download never leaves a partial or wrong entry.
public struct ContentCache: Sendable {
    /// The cache directory.
    public let root: URL

    /// Uses `root`, creating its directories.
    public init(root: URL) throws(DebianError) {
        self.root = root
        for directory in [blobsDirectory, temporaryDirectory, referencesDirectory] {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .io(path: directory.path, reason: "cannot create the cache directory: \(error.localizedDescription)")
            }
        }
    }

    /// `$XDG_CACHE_HOME/distill`, else `~/.cache/distill`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: Environment.cacheDirectory(environment))
    }

    var blobsDirectory: URL { root.appendingPathComponent("blobs/sha256") }
    /// Where entries are written before they are verified; always on the cache's file system, so rename is atomic.
    public var temporaryDirectory: URL { root.appendingPathComponent("tmp") }
    var referencesDirectory: URL { root.appendingPathComponent("refs") }

    /// The path an entry with this sha256 has (whether or not it exists); anything but 64 lowercase hex
    /// digits is refused, so no input can name a path outside the cache.
    public func path(sha256 hex: String) throws(DebianError) -> String {
        guard Self.isSHA256(hex) else { throw .invalidChecksum(what: "cache entry", value: hex) }
        return blobsDirectory.appendingPathComponent(hex).path
    }

    /// True if an entry with this (valid) sha256 exists.
    public func contains(sha256 hex: String) -> Bool {
        guard let path = try? path(sha256: hex) else { return false }
        return FileManager.default.fileExists(atPath: path)
    }

    /// Exactly 64 lowercase hex digits.
    public static func isSHA256(_ hex: String) -> Bool { (try? Digest(sha256Hex: hex)) != nil }

    /// Starts a new entry; write to it, then ``CacheWriter/commit(expectedSHA256:expectedSize:)``.
    public func beginEntry(name: String) throws(DebianError) -> CacheWriter {
        try CacheWriter(cache: self, name: name)
    }

    /// Copies the file at `path` into the cache if its content matches `sha256` and `size`; returns the entry's path.
    public func importFile(at path: String, name: String, sha256: String?, size: Int64?) throws(DebianError) -> String {
        let writer = try beginEntry(name: name)
        do {
            try FileSource(path: path).copy(to: writer.sink)
        } catch {
            writer.discard()
            throw .io(path: path, reason: "\(error)")
        }
        return try writer.commit(expectedSHA256: sha256, expectedSize: size)
    }

    /// The sha256 a named reference points to (e.g. the last verified InRelease of a suite), if any.
    public func reference(_ key: String) -> String? {
        let url = referencesDirectory.appendingPathComponent(Self.referenceFileName(key))
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let hex = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return hex.utf8.count == 64 && contains(sha256: hex) ? hex : nil
    }

    /// Points `key` at an existing entry, atomically.
    public func setReference(_ key: String, sha256 hex: String) throws(DebianError) {
        let final = referencesDirectory.appendingPathComponent(Self.referenceFileName(key))
        // Staged in tmp/ under the writer's pid, so a crashed writer's leftover is recognised and removed.
        let temporary = temporaryDirectory.appendingPathComponent("ref-\(getpid())-\(UUID().uuidString)").path
        do {
            try AtomicWrite.write(Data((hex + "\n").utf8), to: final.path, temporary: temporary)
        } catch {
            throw .io(path: final.path, reason: "cannot write cache reference: \(error)")
        }
    }

    /// Prefixes of what distill writes in the cache's `tmp/`, each followed by the writer's pid.
    static let temporaryPrefixes = ["partial-", "ref-", "build-", "verify-"]

    /// Removes what interrupted runs left in `tmp/`: entries whose writing process is gone. A concurrent or
    /// long build's staging folder is never touched, whatever its age. Entries without an owner pid
    /// (older distill versions) go once they are older than `age` seconds.
    public func removeStaleTemporaryFiles(olderThan age: TimeInterval = 86_400) {
        let directory = temporaryDirectory.path
        let limit = Date().addingTimeInterval(-age)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let owned = Self.temporaryPrefixes.contains { ProcessLiveness.ownerPID(of: name, prefix: $0) != nil }
            let abandoned: Bool
            if owned {
                abandoned = Self.temporaryPrefixes.contains { ProcessLiveness.ownerIsGone(name, prefix: $0) }
            } else {
                let modified = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name))?[.modificationDate] as? Date
                abandoned = (modified ?? .distantPast) < limit
            }
            if abandoned { try? FileTree.remove(path: directory + "/" + name) }
        }
    }

    /// The key as a file name: the sha256 of the key, so any URL is a safe name.
    static func referenceFileName(_ key: String) -> String { Digest.sha256(of: Data(key.utf8)).encoded }
}

/// A cache entry being written: bytes go to a temporary file while being hashed.
///
/// Nothing becomes visible in the cache until ``commit(expectedSHA256:expectedSize:)`` has compared the
/// digest and size; any failure, or dropping the writer, deletes the temporary file.
public final class CacheWriter: @unchecked Sendable {
    private let cache: ContentCache
    /// What is being written (a URL or file name), for errors.
    public let name: String
    /// The temporary file.
    public let temporaryPath: String
    private let hashing: HashingSink
    private var done = false

    init(cache: ContentCache, name: String) throws(DebianError) {
        self.cache = cache
        self.name = name
        temporaryPath = cache.temporaryDirectory.appendingPathComponent("partial-\(getpid())-\(UUID().uuidString)").path
        do {
            hashing = HashingSink(try FileSink(path: temporaryPath))
        } catch {
            throw .io(path: temporaryPath, reason: error.description)
        }
    }

    deinit { if !done { unlink(temporaryPath) } }

    /// Where to write the content.
    public var sink: ByteSink { hashing }

    /// Bytes written so far.
    public var count: Int64 { hashing.count }

    /// Flushes everything written to the temporary file, so it can be inspected before ``commit(expectedSHA256:expectedSize:)``.
    public func close() throws(DebianError) {
        do {
            try hashing.finish()
        } catch {
            throw .io(path: temporaryPath, reason: "\(error)")
        }
    }

    /// Verifies and publishes the entry; returns its path. Without `expectedSHA256` the entry is stored under its own digest.
    public func commit(expectedSHA256: String?, expectedSize: Int64?) throws(DebianError) -> String {
        defer {
            if !done { discard() }
        }
        try close()
        if let expectedSize, hashing.count != expectedSize {
            throw .sizeMismatch(file: name, expected: expectedSize, actual: hashing.count)
        }
        let actual = hashing.digest.encoded
        if let expectedSHA256, actual != expectedSHA256.lowercased() {
            throw .checksumMismatch(file: name, expected: expectedSHA256.lowercased(), actual: actual)
        }
        let final = try cache.path(sha256: actual)
        guard rename(temporaryPath, final) == 0 else {
            throw .io(path: final, reason: "cannot move into the cache: \(String(cString: strerror(errno)))")
        }
        done = true
        return final
    }

    /// Drops the entry.
    public func discard() {
        if done { return }
        done = true
        unlink(temporaryPath)
    }
}
