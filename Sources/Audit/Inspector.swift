import Archive
import Foundation
import ImageFormat
import ImageTransport
import SBOM

/// Reads an image once and reports its layers, largest files and efficiency (`distill inspect`).
public enum Inspector {
    /// Inspects `platform`'s image from `source`; `largest` and `inefficiencies` bound the lists.
    public static func inspect(
        _ source: any ImageSource, platform: Platform? = nil, largest: Int = 10, inefficiencies: Int = 10
    ) async throws -> Inspection {
        let dive = DiveEfficiency()
        let files = try await ImageReader.read(source, platform: platform, observers: [dive])
        return inspection(of: files, dive: dive, largest: largest, inefficiencies: inefficiencies)
    }

    /// The inspection of an image already read with `dive` among the observers of its one pass (`compare` reads once for all).
    public static func inspection(of files: ImageFiles, dive: DiveEfficiency, largest: Int = 10, inefficiencies: Int = 10) -> Inspection {
        let image = files.image
        let config = image.configuration.config
        var health = config?.healthcheck?.test
        if health == ["NONE"] { health = nil }
        let configuration = Inspection.Configuration(
            architecture: image.configuration.architecture, os: image.configuration.os, created: image.configuration.created,
            user: config?.user, entrypoint: config?.entrypoint, cmd: config?.cmd, workingDir: config?.workingDir, env: config?.env,
            exposedPorts: config?.exposedPorts.map { $0.keys.sorted() }, healthcheck: health, labels: config?.labels)
        let history = (image.configuration.history ?? []).filter { $0.emptyLayer != true }
        let layers = files.layers.map { layer in
            let record = layer.index < history.count ? history[layer.index] : nil
            return Inspection.Layer(
                number: layer.index + 1, digest: layer.descriptor.digest, diffID: layer.diffID, mediaType: layer.descriptor.mediaType,
                compressedSize: layer.descriptor.size, uncompressedSize: layer.uncompressedSize, contentSize: layer.contentSize,
                entries: layer.entryCount, createdBy: record?.createdBy ?? record?.comment)
        }
        let regular = files.tree.entries.filter { $0.kind == .regular }
        let largestFiles = regular.sorted { ($0.size, $1.path) > ($1.size, $0.path) }.prefix(largest)
            .map { Inspection.File(path: "/" + $0.path, size: $0.size, layer: $0.layer + 1) }
        return Inspection(
            reference: files.reference, digest: image.manifestDescriptor.digest, configuration: configuration, layers: layers,
            compressedSize: files.layers.reduce(0) { $0 + $1.descriptor.size }, fileSystemSize: regular.reduce(0) { $0 + $1.size },
            fileCount: files.tree.entries.count, largestFiles: Array(largestFiles),
            efficiency: Inspection.Efficiency(
                score: dive.score, wastedBytes: dive.wastedBytes, userWastedRatio: dive.userWastedRatio,
                inefficiencies: Array(dive.inefficiencies.prefix(inefficiencies))))
    }
}
