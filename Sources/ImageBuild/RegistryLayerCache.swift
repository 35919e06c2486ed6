import Archive
import Foundation
import ImageFormat
import ImageTransport
import Registry
import Synchronization
import SystemSupport

/// The layer cache in a registry repository (`--cache-from REF`, `--cache-to REF`), so CI machines building the
/// same packages and wheels reuse one another's OS and Python layers, as BuildKit's registry cache does.
///
/// Each entry is an OCI 1.1 artifact tagged `distill-cache-<the cache key's 64 hex digits>` (the key is the one the
/// local cache files the layer under: everything that decides the layer's bytes). Its config is the local cache's
/// record (media type, digest, size, diff_id, unpacked size); its two layers are the layer blob itself (under its
/// own media type, so pushing the image to the same repository mounts nothing new) and the layer's index. A hit is
/// checked before the local cache takes it: the manifest's key and kind, the record against the layer descriptor,
/// each blob against its digest, the index by decoding it and the uncompressed layer against the recorded diff_id.
/// The layer's contents are trusted as the local cache's are: whoever can push to the cache repository can put
/// files in your images, so give CI alone push access to it.
final class RegistryLayerCache: SharedLayerCache {
    /// The artifact type of a cache entry's manifest.
    static let artifactType = "application/vnd.distill.layer-cache.v1+json"
    /// The media type of its config, the cache record.
    static let recordMediaType = "application/vnd.distill.layer-cache.record.v1+json"
    static let keyAnnotation = "dev.distill.cache.key"
    static let kindAnnotation = "dev.distill.cache.kind"

    /// Repositories looked in, in order (`--cache-from`).
    let sources: [RegistryReference]
    /// The repository entries are sent to (`--cache-to`); it is looked in too.
    let target: RegistryReference?
    private let log: @Sendable (String) -> Void
    /// Repositories that failed once: noted then, passed over afterwards (an unreachable host would slow every layer).
    private let failed = Mutex<Set<String>>([])

    /// A cache reading `sources` (and `target`) and writing `target`; nil when both are empty.
    init?(from sources: [RegistryReference], to target: RegistryReference?, log: @escaping @Sendable (String) -> Void) {
        if sources.isEmpty && target == nil { return nil }
        self.sources = sources
        self.target = target
        self.log = log
    }

    /// The tag an entry is kept under (78 characters; a tag may have 128).
    static func tag(for key: Digest) -> String { "distill-cache-" + key.encoded }

    /// The largest index taken from a cache (a whole Debian system's is a few MiB).
    static let indexLimit: Int64 = 256 << 20
    /// The media type of the stage's index (the JSON the local cache keeps beside the layer).
    static let indexMediaType = "application/vnd.distill.layer-cache.index.v1+json"

    func fill<Index: Decodable>(_ key: Digest, kind: String, label: String, index: Index.Type, into cache: LayerCache) async -> Bool {
        if cache.hasEntry(key) { return false }
        var looked: [String] = []
        for source in sources + (target.map { [$0] } ?? []) where !looked.contains(source.description) {
            looked.append(source.description)
            guard usable(source) else { continue }
            do {
                if try await fetch(key, kind: kind, index: index, from: source, into: cache) {
                    log("\(label) \(key.encoded.prefix(12)) from the registry cache \(source)")
                    return true
                }
            } catch {
                give(up: source, "reading", error)
            }
        }
        return false
    }

    func offer(_ key: Digest, kind: String, label: String, from cache: LayerCache) async {
        guard let target, usable(target), cache.hasEntry(key) else { return }
        do {
            let client = try RegistryAccess.client(for: target)
            let tag = Self.tag(for: key)
            if try await client.manifestDescriptor(target.repository, reference: tag) != nil { return }
            let entry = cache.files(key)
            let record = try CanonicalJSON.decode(
                LayerCache.Record.self, from: try Data(contentsOf: URL(fileURLWithPath: entry.record)), what: entry.record)
            try await client.pushArtifact(
                target.repository, artifactType: Self.artifactType,
                files: [ArtifactFile(path: entry.blob, mediaType: record.mediaType), ArtifactFile(path: entry.index, mediaType: Self.indexMediaType)],
                config: ArtifactFile(path: entry.record, mediaType: Self.recordMediaType), tag: tag,
                annotations: [Self.keyAnnotation: key.description, Self.kindAnnotation: kind])
            log("\(label) \(key.encoded.prefix(12)) sent to the registry cache \(target)")
        } catch {
            give(up: target, "writing", error)
        }
    }

    /// Downloads and checks the entry for `key`, then files it in `cache` (index, blob, and the record last, whose
    /// presence makes the entry whole); false when the repository has no such entry.
    private func fetch<Index: Decodable>(
        _ key: Digest, kind: String, index: Index.Type, from source: RegistryReference, into cache: LayerCache
    ) async throws -> Bool {
        let client = try RegistryAccess.client(for: source)
        let repository = source.repository
        let tag = Self.tag(for: key)
        let pushed: RegistryManifest
        do throws(RegistryError) {
            pushed = try await client.manifest(repository, reference: tag)
        } catch .notFound {
            return false
        }
        let what = "\(source) tag \(tag)"
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: pushed.data, what: what)
        guard manifest.artifactType == Self.artifactType, manifest.annotations?[Self.keyAnnotation] == key.description,
            manifest.annotations?[Self.kindAnnotation] == kind, manifest.config.mediaType == Self.recordMediaType,
            manifest.layers.count == 2, manifest.layers[1].mediaType == Self.indexMediaType
        else {
            throw BuildError.sharedCache(
                "\(what) is not distill's \(kind) layer cache entry for \(key); delete the tag and the next --cache-to build sends the layer again")
        }
        let layer = manifest.layers[0]
        let recordData = try await client.blobData(repository, manifest.config, limit: 64 << 10)
        let record = try CanonicalJSON.decode(LayerCache.Record.self, from: recordData, what: "\(what) record")
        guard record.digest == layer.digest, record.size == layer.size, record.mediaType == layer.mediaType,
            [MediaType.ociLayerGzip, MediaType.ociLayerZstd, MediaType.ociLayer].contains(layer.mediaType), manifest.layers[1].size <= Self.indexLimit
        else {
            throw BuildError.sharedCache(
                "\(what): its record names \(record.digest) (\(record.size) bytes, \(record.mediaType)), its layer is \(layer.digest) "
                    + "(\(layer.size) bytes, \(layer.mediaType)), its index \(manifest.layers[1].size) bytes; delete the tag and the next --cache-to build sends the layer again")
        }
        try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        let entry = cache.files(key)
        do {
            try await client.downloadBlob(repository, manifest.layers[1], to: entry.index)
            _ = try CanonicalJSON.decode(Index.self, from: try Data(contentsOf: URL(fileURLWithPath: entry.index)), what: "\(what) index")
            try await client.downloadBlob(repository, layer, to: entry.blob)
            try await BlockingWork.run { try Self.verifyContent(entry.blob, record: record, what: "\(what) layer") }
            try AtomicWrite.write(recordData, to: entry.record)
        } catch {
            unlink(entry.index)
            unlink(entry.blob)
            throw error
        }
        return true
    }

    /// Decompresses the layer to check its diff_id and unpacked size, which the image config will name.
    private static func verifyContent(_ path: String, record: LayerCache.Record, what: String) throws {
        let reader = try ArchiveReader(source: try FileSource(path: path), format: .raw, name: what)
        guard try reader.nextEntry() != nil else { throw BuildError.sharedCache("\(what) holds no data") }
        try VerifyingSource(inner: reader, digest: record.diffID, size: record.uncompressedSize, what: "\(what) (diff_id)").copy(to: NullSink())
    }

    private func usable(_ repository: RegistryReference) -> Bool {
        !failed.withLock { $0.contains(repository.description) }
    }

    /// Notes a failure once and passes over the repository from then on.
    private func give(up repository: RegistryReference, _ doing: String, _ error: any Error) {
        let first = failed.withLock { $0.insert(repository.description).inserted }
        if first { log("note: the registry cache \(repository) is not used (\(doing) it failed: \(error)); layers are built and kept locally") }
    }
}
