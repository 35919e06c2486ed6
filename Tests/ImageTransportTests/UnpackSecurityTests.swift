import ImageBuild
import Archive
import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `distill run`/`test` unpack images as root on shared machines: the unpacked tree must be out of
/// other users' reach, and nothing another user prepared may steer where it is written.
@Suite("Unpacking an image for run and test")
struct UnpackSecurityTests {
    /// An image whose layer opens its root up (0777) and ships a setuid-root binary.
    static func hostileImage() async throws -> MemoryImage {
        let scratch = try TemporaryDirectory("layers")
        var tree = LayerTree()
        tree.insert(.directory(mode: 0o777), at: ".")
        tree.insert(.file(.bytes(Data("#!/bin/false\n".utf8)), mode: 0o4755), at: "bin/su")
        tree.insert(.directory(mode: 0o1777), at: "tmp")
        let file = scratch("layer")
        let blob = try LayerWriter(modificationTime: 1_700_000_000).write(tree, to: file)
        let image = MemoryImage()
        let manifest = try await ImageAssembler.writeImage(
            layers: [(blob, file)], configuration: TestImage.configuration(arch: Platform.host.architecture), to: image)
        try await image.commit(root: manifest)
        return image
    }

    /// Runs `arguments` as the unprivileged user nobody (65534); returns its exit status.
    static func asNobody(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", "--"] + arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("the rootfs lives in a fresh 0700 folder: another user cannot reach its setuid files, and the layer cannot open the root")
    func setuidOutOfReach() async throws {
        try #require(geteuid() == 0, "needs root, as distill run does")
        let base = try TemporaryDirectory("base")
        #expect(chmod(base.path, 0o755) == 0)
        let unpacked = try await RootfsUnpacker.unpack(try Self.hostileImage(), under: base.path)
        defer { try? unpacked.remove() }
        var info = stat()
        // The layer did carry a 0777 root and a setuid file (so this test can fail).
        #expect(lstat(unpacked.rootfs + "/bin/su", &info) == 0 && info.st_mode & 0o7777 == 0o4755)
        #expect(lstat(unpacked.rootfs, &info) == 0 && info.st_mode & 0o7777 == 0o755, "root mode \(String(info.st_mode & 0o7777, radix: 8))")
        let parent = (unpacked.rootfs as NSString).deletingLastPathComponent
        #expect(lstat(parent, &info) == 0 && info.st_mode & 0o7777 == 0o700 && info.st_uid == 0)
        #expect(try Self.asNobody(["/usr/bin/test", "-e", unpacked.rootfs + "/bin/su"]) != 0)
        #expect(try Self.asNobody(["/usr/bin/stat", unpacked.rootfs]) != 0)
        try unpacked.remove()
        #expect(!FileManager.default.fileExists(atPath: parent))
    }

    @Test("a scratch folder another user created first is never used, and nothing is written through its links")
    func precreatedScratchIgnored() async throws {
        try #require(geteuid() == 0, "needs root, as distill run does")
        let base = try TemporaryDirectory("base")
        #expect(chmod(base.path, 0o1777) == 0)
        let target = try TemporaryDirectory("target")
        // What an attacker prepares: the old fixed scratch name, theirs, full of links to where root should not write.
        let trap = base("distill-run")
        #expect(mkdir(trap, 0o777) == 0 && chmod(trap, 0o777) == 0 && chown(trap, 65534, 65534) == 0)
        for pid in [getpid(), getpid() + 1] {
            try FileManager.default.createSymbolicLink(atPath: trap + "/rootfs-\(pid)-0", withDestinationPath: target.path)
        }
        let unpacked = try await RootfsUnpacker.unpack(try Self.hostileImage(), under: base.path)
        defer { try? unpacked.remove() }
        #expect(!unpacked.rootfs.hasPrefix(trap + "/"))
        var info = stat()
        let parent = (unpacked.rootfs as NSString).deletingLastPathComponent
        #expect(lstat(parent, &info) == 0 && info.st_uid == geteuid() && info.st_mode & 0o777 == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: unpacked.rootfs + "/bin/su"))
    }

    @Test("a layer whose uncompressed bytes do not match the config's diff_id is refused, naming the layer")
    func wrongDiffID() async throws {
        let source = try await Self.hostileImage()
        let image = try await source.images()[0]
        var configuration = image.configuration
        configuration.rootfs = RootFS(diffIDs: [Digest.sha256(of: Data("something else".utf8))])
        let forged = MemoryImage()
        let layer = image.manifest.layers[0]
        try await forged.putBlob(layer, from: try await source.openVerifiedBlob(layer))
        let config = try await forged.putJSON(configuration, mediaType: MediaType.ociConfig)
        let manifest = try await forged.putJSON(ImageManifest(config: config, layers: [layer]), mediaType: MediaType.ociManifest)
        try await forged.commit(root: manifest)
        let base = try TemporaryDirectory("base")
        await #expect {
            _ = try await RootfsUnpacker.unpack(forged, under: base.path)
        } throws: { error in
            "\(error)".contains("diff_id") && "\(error)".contains(layer.digest.description)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty, "the failed unpack left its folder")
    }
}
