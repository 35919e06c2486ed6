import Foundation
import ImageFormat

/// A layer cache beyond this machine (`--cache-from`/`--cache-to`), consulted by ``StageRunner`` around the local
/// ``LayerCache``: it fills the local cache before a stage's layer is looked up there, and is offered the local entry
/// once the layer exists, so the build itself only ever takes the local cache's path. A failure is a note, never the
/// build's failure.
protocol SharedLayerCache: Sendable {
    /// Fills `cache` with the entry for `key` when it has none and the shared cache does; `kind` names the stage
    /// (`OSStage`), whose index must decode as `Index`. Returns whether it did.
    @discardableResult
    func fill<Index: Decodable>(_ key: Digest, kind: String, label: String, index: Index.Type, into cache: LayerCache) async -> Bool
    /// Offers `cache`'s entry for `key`, sent when the shared cache lacks it.
    func offer(_ key: Digest, kind: String, label: String, from cache: LayerCache) async
}

extension LayerCache {
    /// The files of the entry for `key`: its record, its blob and its stage's index.
    func files(_ key: Digest) -> (record: String, blob: String, index: String) {
        let base = directory + "/" + key.encoded
        return (base + ".json", base + ".blob", base + ".index.json")
    }

    /// Whether every file of the entry for `key` is there (``lookup(_:copyTo:)`` still verifies the blob).
    func hasEntry(_ key: Digest) -> Bool {
        let entry = files(key)
        return [entry.record, entry.blob, entry.index].allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }
}
