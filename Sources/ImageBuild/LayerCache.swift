import Archive
import Foundation
import ImageFormat
import SystemSupport

/// Content-addressed store of finished layers, keyed by everything that determines their bytes.
///
/// A warm rebuild with the same packages reuses the OS layer instead of decompressing and
/// recompressing every package. Entries are written whole (temporary name, then rename) and a
/// blob whose size no longer matches its record is ignored and rebuilt.
///
/// A blob is verified when it is stored (its digest was computed from the bytes as they were written) and
/// its record keeps the file's identity then: inode, size and modification time. A hit whose file still
/// has that identity is trusted without reading it, the way containerd trusts its content store after
/// ingest; any rewrite of the file (in place, or a new file put there) changes the identity, and the blob
/// is then hashed whole before use, and dropped if its digest is wrong.
struct LayerCache {
    let directory: String

    /// Bump when the layer writer's output for the same inputs changes.
    static let formatVersion = "distill-layer-1"

    struct Record: Codable {
        var mediaType: String
        var digest: Digest
        var size: Int64
        var diffID: Digest
        var uncompressedSize: Int64
        /// The blob file as it was when its digest was last checked; nil in records of older versions.
        var verified: FileIdentity?
    }

    /// What changes whenever a file's bytes are rewritten or the file is replaced.
    struct FileIdentity: Codable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        /// Modification time in nanoseconds since 1970.
        var modified: Int64

        /// The identity of the file at `path` (not following a final symbolic link), or nil.
        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
    }

    /// The cached layer for `key`, copied to a fresh file the caller may move, or nil.
    func lookup(_ key: Digest, copyTo destination: String) -> LayerBlob? {
        let recordPath = directory + "/\(key.encoded).json"
        let blobPath = directory + "/\(key.encoded).blob"
        guard let data = FileManager.default.contents(atPath: recordPath),
            var record = try? CanonicalJSON.decode(Record.self, from: data, what: recordPath),
            let identity = FileIdentity(path: blobPath), identity.size == record.size
        else { return nil }
        if record.verified != identity {
            // Stored by an older version, or the file was touched since: read it all once.
            guard (try? Digest.sha256(ofFile: blobPath)) == record.digest else { return nil }
            record.verified = identity
            if let data = try? CanonicalJSON.encode(record) { try? AtomicWrite.write(data, to: recordPath) }
        }
        // A hard link costs nothing; fall back to a copy across filesystems.
        if link(blobPath, destination) != 0 {
            guard (try? FileManager.default.copyItem(atPath: blobPath, toPath: destination)) != nil else { return nil }
        }
        return LayerBlob(
            descriptor: Descriptor(mediaType: record.mediaType, digest: record.digest, size: record.size),
            diffID: record.diffID, uncompressedSize: record.uncompressedSize)
    }

    /// The stage's index kept beside the layer for `key`, or nil (then the layer is built again).
    func index<Index: Decodable>(_ key: Digest, as type: Index.Type) -> Index? {
        let path = directory + "/\(key.encoded).index.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? CanonicalJSON.decode(Index.self, from: data, what: path)
    }

    /// Stores the stage's index for `key`; done before ``store(_:blob:file:)``, so a record never lacks it.
    func storeIndex<Index: Encodable>(_ key: Digest, _ index: Index) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let data = try? CanonicalJSON.encode(index) {
            try? AtomicWrite.write(data, to: directory + "/\(key.encoded).index.json")
        }
    }

    /// Stores a finished layer (linking or copying `file`, which stays where it is); `blob` must be what a
    /// ``LayerWriter`` reported for the bytes it wrote to `file`.
    func store(_ key: Digest, blob: LayerBlob, file: String) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let blobPath = directory + "/\(key.encoded).blob"
        let temp = AtomicWrite.temporaryPath(beside: blobPath)
        guard link(file, temp) == 0 || (try? fm.copyItem(atPath: file, toPath: temp)) != nil else { return }
        guard (try? AtomicWrite.rename(temp, to: blobPath)) != nil else { return }
        // The writer hashed these bytes as it wrote them: the blob is verified as stored.
        let record = Record(
            mediaType: blob.descriptor.mediaType, digest: blob.descriptor.digest, size: blob.descriptor.size,
            diffID: blob.diffID, uncompressedSize: blob.uncompressedSize, verified: FileIdentity(path: blobPath))
        if let data = try? CanonicalJSON.encode(record) {
            try? AtomicWrite.write(data, to: directory + "/\(key.encoded).json")
        }
    }
}
