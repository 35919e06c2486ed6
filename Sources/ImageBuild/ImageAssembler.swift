import Archive
import Foundation
import ImageFormat
import ImageTransport

/// Writes the JSON objects that make layer blobs an image: config, manifest and (for several platforms) index.
public enum ImageAssembler {
    /// Stores `layers` (files written by ``LayerWriter``, moved into the destination), the config with
    /// their diffIDs, and the manifest. Returns the manifest's descriptor, carrying the config's platform.
    public static func writeImage(
        layers: [(blob: LayerBlob, file: String)], configuration: ImageConfiguration,
        annotations: [String: String]? = nil, to destination: any ImageDestination
    ) async throws -> Descriptor {
        var configuration = configuration
        configuration.rootfs = RootFS(diffIDs: layers.map { $0.blob.diffID })
        for layer in layers where try await !destination.hasBlob(layer.blob.descriptor.digest) {
            try await destination.putBlob(layer.blob.descriptor, file: layer.file)
        }
        let config = try await destination.putJSON(configuration, mediaType: MediaType.ociConfig)
        let manifest = ImageManifest(
            config: config, layers: layers.map { $0.blob.descriptor },
            annotations: annotations?.isEmpty == false ? annotations : nil)
        var descriptor = try await destination.putJSON(manifest, mediaType: MediaType.ociManifest)
        descriptor.platform = configuration.platform
        return descriptor
    }

    /// Stores an index over per-platform manifests and returns its descriptor.
    public static func writeIndex(
        manifests: [Descriptor], annotations: [String: String]? = nil, to destination: any ImageDestination
    ) async throws -> Descriptor {
        let index = ImageIndex(manifests: manifests, annotations: annotations?.isEmpty == false ? annotations : nil)
        return try await destination.putJSON(index, mediaType: MediaType.ociIndex)
    }
}
