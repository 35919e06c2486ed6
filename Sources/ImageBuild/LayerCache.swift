import Archive
import Foundation
import ImageFormat
import SystemSupport

/// Content-addressed store of finished layers, keyed by everything that determines their bytes.
///
/// A warm rebuild with the same packages reuses the OS layer instead of decompressing and
/// recompressing every package. Entries are written whole (temporary name, then rename) and a
/// blob whose size no longer matches its record is ignored and rebuilt.
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
    }

    /// The cached layer for `key`, copied to a fresh file the caller may move, or nil.
    func lookup(_ key: Digest, copyTo destination: String) -> LayerBlob? {
        let recordPath = directory + "/\(key.encoded).json"
        let blobPath = directory + "/\(key.encoded).blob"
        guard let data = FileManager.default.contents(atPath: recordPath),
            let record = try? CanonicalJSON.decode(Record.self, from: data, what: recordPath),
            let size = (try? FileManager.default.attributesOfItem(atPath: blobPath)[.size] as? NSNumber)?.int64Value,
            size == record.size, (try? Digest.sha256(ofFile: blobPath)) == record.digest
        else { return nil }
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

    /// Stores a finished layer (copying `file`, which stays where it is).
    func store(_ key: Digest, blob: LayerBlob, file: String) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let blobPath = directory + "/\(key.encoded).blob"
        let temp = AtomicWrite.temporaryPath(beside: blobPath)
        guard link(file, temp) == 0 || (try? fm.copyItem(atPath: file, toPath: temp)) != nil else { return }
        guard (try? AtomicWrite.rename(temp, to: blobPath)) != nil else { return }
        let record = Record(
            mediaType: blob.descriptor.mediaType, digest: blob.descriptor.digest, size: blob.descriptor.size,
            diffID: blob.diffID, uncompressedSize: blob.uncompressedSize)
        if let data = try? CanonicalJSON.encode(record) {
            try? AtomicWrite.write(data, to: directory + "/\(key.encoded).json")
        }
    }
}
