import Archive
import Foundation
import ImageFormat
import SBOM
import SystemSupport

/// One layer the build adds: what decides its bytes, and how to make its files on top of the layers below.
///
/// The build composes stages (``OSStage``, ``PythonStage``, ``AppStage``); ``StageRunner`` does what every
/// stage needs alike (the layer cache, packing with progress, the log line, the SBOM catalog), so a new kind
/// of layer is one more type, not a tenth job for the builder.
protocol LayerStage: Sendable {
    /// What later stages need to know of the layer without reading it; kept beside a cached layer.
    associatedtype Index: Codable & Sendable

    /// How the log names the layer: `OS layer`.
    var label: String { get }

    /// Everything that decides the layer's bytes; nil for a layer never cached (the app changes every build).
    func cacheKey(writer: LayerWriter) throws -> Digest?

    /// Makes the layer's files and their index. Files the tree points at may be staged in `scratch`, a private folder
    /// the runner removes once the layer is packed.
    func make(scratch: String) async throws -> (tree: LayerTree, index: Index)
}

/// A stage's finished layer: the packed blob at `file`, its index, and where it came from.
struct StageLayer<Index: Sendable>: Sendable {
    var blob: LayerBlob
    var file: String
    var index: Index
    /// The layer came out of the layer cache.
    var reused: Bool
    /// The packages in the layer, for the SBOM (taken from the cache with the layer when it was reused). A fresh layer is
    /// cataloged on a thread of its own while the build goes on (reading it back costs a pass over the layer); the SBOM
    /// writer awaits it.
    var catalog: Task<LayerCatalog, any Error>
}

/// Runs stages for one architecture: a cached layer is linked out of the cache with its index; otherwise the
/// stage makes its tree, which is packed (a progress line after a second), stored in the cache, and logged.
struct StageRunner: Sendable {
    let architecture: String
    let writer: LayerWriter
    let cache: LayerCache
    let scratch: String
    let log: @Sendable (String) -> Void
    /// The registry layer cache (`--cache-from`/`--cache-to`): asked before the local cache, offered what ends up there.
    var shared: (any SharedLayerCache)? = nil

    /// The layer of `stage` at position `position` in the image, or nil when the stage made no files.
    func run<Stage: LayerStage>(_ stage: Stage, position: Int) async throws -> StageLayer<Stage.Index>? {
        let file = scratch + "/\(architecture)-\(position).layer"
        let key = try stage.cacheKey(writer: writer)
        let kind = String(describing: Stage.self)
        if let key, let shared { await shared.fill(key, kind: kind, label: stage.label, index: Stage.Index.self, into: cache) }
        if let key, let index = cache.index(key, as: Stage.Index.self), let blob = cache.lookup(key, copyTo: file) {
            log("\(architecture): \(stage.label) \(blob.descriptor.digest.encoded.prefix(12)) from the layer cache")
            let catalog = try BuildSBOM.catalog(key: key, position: position, cacheDirectory: cache.directory) {
                try LayerCatalog.read(layerAt: file, index: position)
            }
            await shared?.offer(key, kind: kind, label: stage.label, from: cache)
            return StageLayer(blob: blob, file: file, index: index, reused: true, catalog: Task { catalog })
        }
        let started = Date()
        let staging = try PrivateDirectory(prefix: "stage", under: scratch)
        defer { try? staging.remove() }
        let (tree, index) = try await stage.make(scratch: staging.path)
        if tree.count == 0 { return nil }
        let packer = LayerPackingProgress(label: "\(architecture): \(stage.label)", log: log).attach(to: writer)
        let blob = try await BlockingWork.run { [tree] in try packer.write(tree, to: file) }
        if let key {
            // The index goes first, so a cache record never lacks it.
            cache.storeIndex(key, index)
            cache.store(key, blob: blob, file: file)
        }
        // Opened now: a retry of this build (native libraries added) writes a new layer at the same path, and the
        // catalog stored under this layer's key must be of this layer. Only the catalog thread reads it after this.
        nonisolated(unsafe) let opened = try FileSource(path: file)
        let directory = cache.directory
        let catalog = Task {
            try await BlockingWork.run(name: "distill.catalog") {
                let read = { try LayerCatalog.read(layer: opened, name: file, index: position) }
                guard let key else { return try read() }
                return try BuildSBOM.catalog(key: key, position: position, cacheDirectory: directory, reading: read)
            }
        }
        if let key { await shared?.offer(key, kind: kind, label: stage.label, from: cache) }
        log(
            "\(architecture): \(stage.label) \(BuildResult.size(blob.uncompressedSize)) → \(BuildResult.size(blob.descriptor.size)) "
                + String(format: "in %.2f s", Date().timeIntervalSince(started)))
        return StageLayer(blob: blob, file: file, index: index, reused: false, catalog: catalog)
    }
}
