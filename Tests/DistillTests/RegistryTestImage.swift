import ImageBuild
import Archive
import Foundation
import ImageFormat
import ImageTransport
import TestSupport

/// Images for the registry command tests, written as OCI layouts: layers of random bytes (so every layer has its
/// own digest and a real size), one platform or an amd64 + arm64 index.
enum RegistryTestImage {
    /// Writes the image to `oci:PATH:latest` and returns its root digest.
    @discardableResult
    static func write(to path: String, archs: [String] = ["amd64", "arm64"], layerSize: Int = 200 << 10) async throws -> Digest {
        let scratch = try TemporaryDirectory("registry-image-layers")
        let destination = try OCILayoutDestination(path: path, tag: "latest")
        let writer = LayerWriter(modificationTime: 1_700_000_000)
        var generator = SystemRandomNumberGenerator()
        var manifests: [Descriptor] = []
        for arch in archs {
            var layers: [(blob: LayerBlob, file: String)] = []
            for index in 0..<2 {
                var tree = LayerTree()
                tree.insert(.directory(), at: "data")
                let bytes = Data((0..<(layerSize / (index + 1))).map { _ in UInt8.random(in: 0...255, using: &generator) })
                tree.insert(.file(.bytes(bytes)), at: "data/\(arch)-\(index).bin")
                let file = scratch("layer-\(arch)-\(index)")
                layers.append((try writer.write(tree, to: file), file))
            }
            let platform = Platform(debianArchitecture: arch)
            let configuration = ImageConfiguration(
                created: "2023-11-14T22:13:20Z", architecture: platform.architecture, variant: platform.variant,
                config: ContainerConfig(user: "65532", env: ["PATH=/usr/bin"]), rootfs: RootFS(diffIDs: []))
            manifests.append(try await ImageAssembler.writeImage(layers: layers, configuration: configuration, to: destination))
        }
        let root = manifests.count == 1 ? manifests[0] : try await ImageAssembler.writeIndex(manifests: manifests, to: destination)
        try await destination.commit(root: root)
        return root.digest
    }

    /// Every blob file name (`sha256/<hex>`) of the OCI layout at `path`.
    static func blobs(in path: String) -> Set<String> {
        Set(TemporaryDirectory.files(below: URL(fileURLWithPath: path + "/blobs")))
    }

    /// The digest a `distill push/pull/copy` printed (`REF: sha256:…`).
    static func printedDigest(_ stdout: String) -> String? {
        stdout.split(separator: "\n").last.flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    /// sha256 of `skopeo inspect --raw` output: the digest of the manifest as the registry serves it.
    static func skopeoDigest(_ reference: String, extra: [String] = ["--tls-verify=false"]) throws -> String {
        let raw = try Tool.check(["skopeo", "inspect", "--raw"] + extra + [reference])
        return Digest.sha256(of: Data(raw.utf8)).description
    }
}
