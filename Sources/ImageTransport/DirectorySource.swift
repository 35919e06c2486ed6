import Archive
import Foundation
import SystemSupport
import ImageFormat
import Synchronization

/// Reads a plain root filesystem directory (`rootfs:DIR`) as a one-layer image for the host platform
/// (for audits and `run`). skopeo's `dir:` format is ``DirImageSource``.
///
/// The layer is packed once, uncompressed, into a scratch file when first asked for.
public final class DirectorySource: ImageSource {
    public let reference: ImageReference
    /// The root filesystem directory.
    public let rootPath: String
    private let scratch: PrivateDirectory
    private let built = Mutex<(manifest: Descriptor, blobs: [Digest: FileContent])?>(nil)

    /// Opens the directory at `path`.
    public init(path: String) throws {
        reference = .rootfs(path: path)
        rootPath = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw ImageTransportError.notFound(image: reference.description, what: "directory \(path)")
        }
        scratch = try PrivateDirectory(prefix: "distill-dir")
    }

    /// Packs the layer the first time it is asked for; later calls (from any task) get the same one.
    private func build() throws -> (manifest: Descriptor, blobs: [Digest: FileContent]) {
        try built.withLock { built in
            if let built { return built }
            let result = try pack()
            built = result
            return result
        }
    }

    private func pack() throws -> (manifest: Descriptor, blobs: [Digest: FileContent]) {
        let tree = try DirectoryScanner().scan(rootPath)
        let layerPath = scratch.path + "/layer.tar"
        let layer = try LayerWriter(compression: .none).write(tree, to: layerPath)
        let host = Platform.host
        let config = ImageConfiguration(
            architecture: host.architecture, variant: host.variant,
            config: ContainerConfig(env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]),
            rootfs: RootFS(diffIDs: [layer.diffID]))
        let configData = try CanonicalJSON.encode(config)
        let configDescriptor = Descriptor(mediaType: MediaType.ociConfig, digest: .sha256(of: configData), size: Int64(configData.count))
        let manifestData = try CanonicalJSON.encode(ImageManifest(config: configDescriptor, layers: [layer.descriptor]))
        let manifest = Descriptor(mediaType: MediaType.ociManifest, digest: .sha256(of: manifestData), size: Int64(manifestData.count))
        let result = (
            manifest,
            [
                manifest.digest: FileContent.bytes(manifestData), configDescriptor.digest: .bytes(configData),
                layer.descriptor.digest: .file(path: layerPath, size: layer.descriptor.size),
            ]
        )
        return result
    }

    public func rootDescriptor() async throws -> Descriptor { try build().manifest }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
        guard let content = try build().blobs[digest] else {
            throw ImageTransportError.blobMissing(image: reference.description, digest: digest)
        }
        return try content.open()
    }

    public func close() { try? scratch.remove() }
}
