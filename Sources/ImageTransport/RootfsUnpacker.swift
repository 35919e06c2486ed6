import Archive
import Foundation
import ImageFormat
import SystemSupport

/// Unpacks an image's layers into a root filesystem directory (for OCI runtime bundles and audits).
public enum RootfsUnpacker {
    /// A root filesystem ready to run: its directory and the image's configuration.
    public struct Unpacked: Sendable {
        public var rootfs: String
        public var image: ResolvedImage
        /// The private (0700) directory holding `rootfs` when it was unpacked here; nil for a `rootfs:` source.
        /// It is deleted when released: keep this value until done with `rootfs` (e.g. `defer { try? unpacked.remove() }`).
        public var scratch: PrivateDirectory?
        /// Set when the rootfs was made here and should be removed by the caller.
        public var isTemporary: Bool { scratch != nil }

        /// Deletes the unpacked root filesystem (by descriptor); a `rootfs:` source is left alone.
        public func remove() throws {
            try scratch?.remove()
        }
    }

    /// Unpacks `platform`'s image (nil: the host's) from `source` into `<private dir>/rootfs`, where the
    /// private directory is made by mkdtemp (0700) under `base` (default `$TMPDIR`): nothing in the image,
    /// setuid files included, is reachable by another user. A `dir:` source is used where it is, untouched.
    /// Every layer is verified against its digest, and its uncompressed bytes against the config's diff_id.
    public static func unpack(_ source: any ImageSource, platform: Platform? = nil, under base: String? = nil) async throws -> Unpacked {
        let image = try await source.image(for: platform)
        if let directory = source as? DirectorySource {
            return Unpacked(rootfs: directory.rootPath, image: image, scratch: nil)
        }
        let scratch = try PrivateDirectory(prefix: ScratchPrefix.unpackedImage, under: base)
        do {
            let rootfs = try scratch.makeSubdirectory("rootfs", mode: 0o755)
            let extractor = try LayerExtractor(destination: rootfs)
            for (number, layer) in image.manifest.layers.enumerated() {
                let name = "\(source.reference) layer \(number + 1) (\(layer.digest))"
                try await LayerContent.apply(layer, diffID: image.configuration.rootfs.diffIDs[number], from: source, name: name) { tar in
                    try extractor.apply(tar, name: name)
                }
            }
            _ = try extractor.finish()
            return Unpacked(rootfs: rootfs, image: image, scratch: scratch)
        } catch {
            try? scratch.remove()
            throw error
        }
    }
}
