import Foundation
import ImageFormat

/// Which layer a cache entry holds; it decides the index kept beside the layer (``LayerCache`` stores both).
enum CachedLayerKind: String, Sendable, CaseIterable {
    /// The Debian packages' layer, with its ``OSLayerIndex`` (`<key>.index.json`).
    case os
    /// The Python wheels' layer, with its ``PythonLayer/Index`` (`<key>.python.json`).
    case python

    /// The index file's name after the key.
    var indexSuffix: String { self == .os ? ".index.json" : ".python.json" }

    /// Throws unless `data` is this kind's index (as the local cache would read it).
    func validateIndex(_ data: Data, what: String) throws {
        switch self {
        case .os: _ = try CanonicalJSON.decode(OSLayerIndex.self, from: data, what: what)
        case .python: _ = try JSONDecoder().decode(PythonLayer.Index.self, from: data)
        }
    }
}

/// A layer cache beyond this machine (`--cache-from`/`--cache-to`), consulted around the local ``LayerCache``: it
/// fills the local cache before a layer is looked up there, and is offered the local entry once the layer exists,
/// so the build itself only ever takes the local cache's path. A failure is a note, never the build's failure.
protocol SharedLayerCache: Sendable {
    /// Fills `cache` with the entry for `key` when it has none and the shared cache does; returns whether it did.
    @discardableResult
    func fill(_ key: Digest, kind: CachedLayerKind, into cache: LayerCache) async -> Bool
    /// Offers `cache`'s entry for `key`, sent when the shared cache lacks it.
    func offer(_ key: Digest, kind: CachedLayerKind, from cache: LayerCache) async
}

extension LayerCache {
    /// The files of the entry for `key`: its record, its blob and its index.
    func files(_ key: Digest, kind: CachedLayerKind) -> (record: String, blob: String, index: String) {
        let base = directory + "/" + key.encoded
        return (base + ".json", base + ".blob", base + kind.indexSuffix)
    }

    /// Whether every file of the entry for `key` is there (``lookup(_:copyTo:)`` still verifies the blob).
    func hasEntry(_ key: Digest, kind: CachedLayerKind) -> Bool {
        let entry = files(key, kind: kind)
        return [entry.record, entry.blob, entry.index].allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }
}
