import ImageBuild
import Archive
import Foundation
import ImageFormat
import ImageTransport
import TestSupport

/// Small images made by hand for tests: layers from trees, any configuration, written as an OCI layout.
public enum HandMadeImage {
    /// Writes `layers` (lowest first) with `config` to a new OCI layout at `path`, tagged latest; `history` names each layer.
    @discardableResult
    public static func write(
        layers: [LayerTree], config: ContainerConfig = ContainerConfig(user: "65532"), history: [String]? = nil, to path: String
    ) async throws -> ImageReference {
        let scratch = try TemporaryDirectory("hand-made-layers")
        let writer = LayerWriter(compression: .gzip, modificationTime: 1_700_000_000)
        var blobs: [(blob: LayerBlob, file: String)] = []
        for (index, tree) in layers.enumerated() {
            let file = scratch("layer-\(index)")
            blobs.append((try writer.write(tree, to: file), file))
        }
        let configuration = ImageConfiguration(
            created: "2023-11-14T22:13:20Z", architecture: "amd64", config: config, rootfs: RootFS(diffIDs: []),
            history: history?.map { History(created: "2023-11-14T22:13:20Z", createdBy: $0) })
        let destination = try OCILayoutDestination(path: path, tag: "latest")
        let manifest = try await ImageAssembler.writeImage(layers: blobs, configuration: configuration, to: destination)
        try await destination.commit(root: manifest)
        return .oci(path: path, tag: "latest")
    }

    /// A tree from `(path, node)` pairs.
    public static func tree(_ entries: [(String, LayerNode)]) -> LayerTree {
        var tree = LayerTree()
        for (path, node) in entries { tree.insert(node, at: path) }
        return tree
    }

    /// A regular file holding `text`.
    public static func file(_ text: String, mode: UInt32 = 0o644) -> LayerNode {
        .file(.bytes(Data(text.utf8)), mode: mode)
    }

    /// A regular file of `count` bytes.
    public static func file(size count: Int, mode: UInt32 = 0o644) -> LayerNode {
        .file(.bytes(Data(repeating: 0x61, count: count)), mode: mode)
    }
}
