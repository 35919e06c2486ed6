import ImageBuild
import Archive
import Foundation
import ImageFormat
import ImageTransport
import TestSupport

/// Small real images for transport tests: two gzip layers (the second deletes a file with a whiteout).
enum TestImage {
    static func layers(_ scratch: TemporaryDirectory, arch: String) throws -> [(blob: LayerBlob, file: String)] {
        var base = LayerTree()
        base.insert(.directory(), at: "etc")
        base.insert(.file(.bytes(Data("root:x:0:0:root:/root:/sbin/nologin\n".utf8))), at: "etc/passwd")
        base.insert(.file(.bytes(Data("arch=\(arch)\n".utf8))), at: "etc/arch")
        base.insert(.file(.bytes(Data("temporary\n".utf8))), at: "etc/removed-later")
        base.insert(.symlink(to: "passwd"), at: "etc/passwd-link")
        base.insert(.directory(mode: 0o1777), at: "tmp")
        var app = LayerTree()
        app.insert(.file(.bytes(Data("#!/app\n".utf8)), mode: 0o755, uid: 65532, gid: 65532), at: "app/run")
        app.insert(.file(.bytes(Data())), at: "etc/.wh.removed-later")
        let writer = LayerWriter(modificationTime: 1_700_000_000)
        return try [base, app].enumerated().map { i, tree in
            let file = scratch("layer-\(arch)-\(i)-\(UUID().uuidString)")
            return (try writer.write(tree, to: file), file)
        }
    }

    static func configuration(arch: String) -> ImageConfiguration {
        let platform = Platform(debianArchitecture: arch)
        return ImageConfiguration(
            created: "2023-11-14T22:13:20Z", architecture: platform.architecture, variant: platform.variant,
            config: ContainerConfig(user: "65532", env: ["PATH=/usr/bin"], entrypoint: ["/app/run"], workingDir: "/app"),
            rootfs: RootFS(diffIDs: []))
    }

    /// Writes a single-platform image and commits it.
    @discardableResult
    static func write(to destination: ImageDestination, arch: String = "amd64") async throws -> Descriptor {
        let scratch = try TemporaryDirectory("layers")
        let manifest = try await ImageAssembler.writeImage(
            layers: try layers(scratch, arch: arch), configuration: configuration(arch: arch), to: destination)
        try await destination.commit(root: manifest)
        return manifest
    }

    /// Writes an amd64 + arm64 index and commits it.
    @discardableResult
    static func writeMultiArch(to destination: ImageDestination) async throws -> Descriptor {
        let scratch = try TemporaryDirectory("layers")
        var manifests: [Descriptor] = []
        for arch in ["amd64", "arm64"] {
            manifests.append(
                try await ImageAssembler.writeImage(layers: try layers(scratch, arch: arch), configuration: configuration(arch: arch), to: destination))
        }
        let index = try await ImageAssembler.writeIndex(manifests: manifests, to: destination)
        try await destination.commit(root: index)
        return index
    }
}
