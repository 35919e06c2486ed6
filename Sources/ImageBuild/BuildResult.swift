import Foundation
import ImageFormat
import SBOM

/// What a build produced, for the summary and for callers.
public struct BuildResult: Sendable {
    /// One architecture's image.
    public struct ArchImage: Sendable {
        public var architecture: String
        public var manifest: Descriptor
        public var compressedSize: Int64
        public var uncompressedSize: Int64
        /// `name=version` of every installed package, sorted.
        public var packages: [String]
        public var layers: Int
        /// Layers taken whole from the layer cache instead of being packed again.
        public var reusedLayers: Int
        /// What the image's SBOM files list.
        public var sbom: ImageCatalog?
        /// Each layer's catalog, lowest first (made while the build goes on), merged into `sbom` once the image is written.
        var layerCatalogs: [Task<LayerCatalog, any Error>] = []
    }

    /// The manifest (one architecture) or index (several) that was written.
    public var root: Descriptor
    public var images: [ArchImage]
    /// The references written.
    public var outputs: [String]
    public var seconds: Double
    public var warnings: [String]

    /// A few lines for the terminal: digest, sizes, packages, layers, time.
    public var summary: String {
        var lines = ["digest   \(root.digest)"]
        for image in images {
            lines.append(
                "\(image.architecture.padding(toLength: 8, withPad: " ", startingAt: 0)) \(image.manifest.digest.encoded.prefix(12))  "
                    + "\(Self.size(image.compressedSize)) compressed, \(Self.size(image.uncompressedSize)) unpacked, "
                    + "\(Self.count(image.packages.count, "package")), \(Self.count(image.layers, "layer"))")
        }
        lines.append("outputs  " + outputs.joined(separator: ", "))
        lines.append(String(format: "time     %.2f s", seconds))
        return lines.joined(separator: "\n")
    }

    /// `1 layer`, `2 layers`.
    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
