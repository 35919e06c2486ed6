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
    /// The packages in the layer, for the SBOM (taken from the cache with the layer when it was reused).
    var catalog: LayerCatalog
}

/// Runs stages for one architecture: a cached layer is linked out of the cache with its index; otherwise the
/// stage makes its tree, which is packed (a progress line after a second), stored in the cache, and logged.
struct StageRunner: Sendable {
    let architecture: String
    let writer: LayerWriter
    let cache: LayerCache
    let scratch: String
    let log: @Sendable (String) -> Void

    /// The layer of `stage` at position `position` in the image, or nil when the stage made no files.
    func run<Stage: LayerStage>(_ stage: Stage, position: Int) async throws -> StageLayer<Stage.Index>? {
        let file = scratch + "/\(architecture)-\(position).layer"
        let key = try stage.cacheKey(writer: writer)
        if let key, let index = cache.index(key, as: Stage.Index.self), let blob = cache.lookup(key, copyTo: file) {
            log("\(architecture): \(stage.label) \(blob.descriptor.digest.encoded.prefix(12)) from the layer cache")
            let catalog = try BuildSBOM.catalog(key: key, layerFile: file, position: position, cacheDirectory: cache.directory)
            return StageLayer(blob: blob, file: file, index: index, reused: true, catalog: catalog)
        }
        let started = Date()
        let staging = try PrivateDirectory(prefix: "stage", under: scratch)
        defer { try? staging.remove() }
        let (tree, index) = try await stage.make(scratch: staging.path)
        if tree.count == 0 { return nil }
        let packer = LayerPackingProgress(label: "\(architecture): \(stage.label)", log: log).attach(to: writer)
        let blob = try await BlockingWork.run { [tree] in try packer.write(tree, to: file) }
        let catalog: LayerCatalog
        if let key {
            // The index goes first, so a cache record never lacks it.
            cache.storeIndex(key, index)
            cache.store(key, blob: blob, file: file)
            catalog = try BuildSBOM.catalog(key: key, layerFile: file, position: position, cacheDirectory: cache.directory)
        } else {
            catalog = try LayerCatalog.read(layerAt: file, index: position)
        }
        log(
            "\(architecture): \(stage.label) \(BuildResult.size(blob.uncompressedSize)) → \(BuildResult.size(blob.descriptor.size)) "
                + String(format: "in %.2f s", Date().timeIntervalSince(started)))
        return StageLayer(blob: blob, file: file, index: index, reused: false, catalog: catalog)
    }
}
