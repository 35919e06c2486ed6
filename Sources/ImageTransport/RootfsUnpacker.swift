import Archive
import Foundation
import ImageFormat

/// Unpacks an image's layers into a root filesystem directory (for OCI runtime bundles and audits).
public enum RootfsUnpacker {
    /// A root filesystem ready to run: its directory and the image's configuration.
    public struct Unpacked {
        public var rootfs: String
        public var image: ResolvedImage
        /// Set when the rootfs was made here and should be removed by the caller.
        public var isTemporary: Bool
    }

    /// Unpacks `platform`'s image (nil: the host's) from `source` into a new directory under `scratch`;
    /// a `dir:` source is used where it is, untouched. Every layer is verified against its digest.
    public static func unpack(_ source: ImageSource, platform: Platform? = nil, scratch: String) throws -> Unpacked {
        let image = try source.image(for: platform)
        if let directory = source as? DirectorySource {
            return Unpacked(rootfs: directory.rootPath, image: image, isTemporary: false)
        }
        let rootfs = scratch + "/rootfs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        do {
            let extractor = try LayerExtractor(destination: rootfs)
            for (number, layer) in image.manifest.layers.enumerated() {
                let blob = try source.openVerifiedBlob(layer)
                try extractor.apply(blob, name: "\(source.reference) layer \(number + 1) (\(layer.digest))")
                // libarchive stops at the end-of-archive marker; read on so the digest check sees every byte.
                try blob.copy(to: NullSink())
            }
            _ = try extractor.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: rootfs)
            throw error
        }
        return Unpacked(rootfs: rootfs, image: image, isTemporary: true)
    }
}
