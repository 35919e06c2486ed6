import Archive
import Foundation
import ImageFormat
import ImageBuild
import ImageTransport
import TestSupport

/// Hand-made single-platform images in OCI layouts, to build on and copy from.
enum TestBaseImage {
    /// Writes `layers` (lowest first) with `config` for `architecture` as `oci:PATH:TAG`; returns the manifest's descriptor.
    @discardableResult
    static func write(
        to path: String, tag: String = "1", layers: [LayerTree], config: ContainerConfig, architecture: String = BuildFile.hostArchitecture
    ) async throws -> (manifest: Descriptor, layers: [Descriptor], diffIDs: [Digest]) {
        let scratch = try TemporaryDirectory("test-base-image")
        let destination = try OCILayoutDestination(path: path, tag: tag)
        let writer = LayerWriter(modificationTime: 1_700_000_000)
        var written: [(blob: LayerBlob, file: String)] = []
        for (index, tree) in layers.enumerated() {
            let file = scratch("layer-\(index)")
            written.append((try writer.write(tree, to: file), file))
        }
        let platform = Platform(debianArchitecture: architecture)
        let configuration = ImageConfiguration(
            created: "2023-11-14T22:13:20Z", architecture: platform.architecture, variant: platform.variant, config: config,
            rootfs: RootFS(diffIDs: []), history: layers.indices.map { History(created: "2023-11-14T22:13:20Z", createdBy: "test layer \($0)") })
        let manifest = try await ImageAssembler.writeImage(layers: written, configuration: configuration, to: destination)
        try await destination.commit(root: manifest)
        return (manifest, written.map(\.blob.descriptor), written.map(\.blob.diffID))
    }

    /// Writes an index of one image per architecture (a file naming the architecture in its one layer) as `oci:PATH:TAG`;
    /// returns each architecture's manifest descriptor and layers.
    static func writeIndex(to path: String, tag: String = "1", architectures: [String]) async throws -> [String: (manifest: Descriptor, layers: [Descriptor])] {
        let scratch = try TemporaryDirectory("test-base-index")
        let destination = try OCILayoutDestination(path: path, tag: tag)
        let writer = LayerWriter(modificationTime: 1_700_000_000)
        var result: [String: (manifest: Descriptor, layers: [Descriptor])] = [:]
        for architecture in architectures {
            var tree = LayerTree()
            tree.insert(.file(.bytes(Data("built for \(architecture)\n".utf8))), at: "etc/arch")
            let file = scratch("layer-\(architecture)")
            let blob = try writer.write(tree, to: file)
            let platform = Platform(debianArchitecture: architecture)
            let configuration = ImageConfiguration(
                created: "2023-11-14T22:13:20Z", architecture: platform.architecture, variant: platform.variant, config: ContainerConfig(),
                rootfs: RootFS(diffIDs: []))
            let manifest = try await ImageAssembler.writeImage(layers: [(blob, file)], configuration: configuration, to: destination)
            result[architecture] = (manifest, [blob.descriptor])
        }
        let index = try await ImageAssembler.writeIndex(manifests: architectures.compactMap { result[$0]?.manifest }, to: destination)
        try await destination.commit(root: index)
        return result
    }

    /// The single manifest and config of the image at `oci:PATH` (its only index entry).
    static func read(_ path: String) async throws -> (manifest: ImageManifest, configuration: ImageConfiguration, digest: Digest) {
        let source = try OCILayoutSource(path: path, tag: nil)
        defer { source.close() }
        let image = try await source.image(for: nil)
        return (image.manifest, image.configuration, image.manifestDescriptor.digest)
    }
}

