import Archive
import Foundation
import ImageFormat
import Testing
import TestSupport

/// A tree with every kind of entry a layer must carry faithfully.
struct AwkwardTree {
    let root: String
    /// Names longer than ustar's 100 and 255 bytes, in UTF-8.
    static let longDirectory = "long-" + String(repeating: "ä", count: 60) + "-" + String(repeating: "d", count: 30)
    static let longFile = "file-" + String(repeating: "日本", count: 20) + "-" + String(repeating: "f", count: 40) + ".txt"
    static let utf8Name = "Grüße-ñ-日本語-🚀.txt"
    /// Above the 2097151 that ustar's octal uid field holds.
    static let bigID: UInt32 = 3_000_000

    init(in dir: TemporaryDirectory) throws {
        root = dir("tree")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try writeFile(root + "/bin/suid-tool", Array("#!/bin/true\n".utf8), mode: 0o4755)
        try writeFile(root + "/bin/sgid-tool", Array("sgid".utf8), mode: 0o2711)
        try fm.createDirectory(atPath: root + "/shared", withIntermediateDirectories: true)
        chmod(root + "/shared", 0o2775)
        try fm.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        chmod(root + "/tmp", 0o1777)
        try writeFile(root + "/empty", [])
        // More than two blocks of the default gzip block size.
        try writeFile(root + "/big.bin", sampleBytes(ParallelGzipSink.defaultBlockSize * 2 + 12345, seed: 3))
        // The link's name sorts before its target's, so the writer must make the link carry the data.
        try writeFile(root + "/z-target", Array("shared content".utf8), mode: 0o640)
        link(root + "/z-target", root + "/a-link")
        try fm.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        link(root + "/z-target", root + "/dir/also-link")
        try fm.createDirectory(atPath: root + "/links", withIntermediateDirectories: true)
        symlink("../z-target", root + "/links/relative")
        symlink("/etc/os-release", root + "/links/absolute")
        symlink("nowhere/at/all", root + "/links/dangling")
        symlink("../" + Self.longDirectory + "/" + Self.longFile, root + "/links/long-target-" + String(repeating: "t", count: 90))
        try writeFile(root + "/" + Self.longDirectory + "/" + Self.longFile, Array("long".utf8))
        try writeFile(root + "/utf8/" + Self.utf8Name, Array("utf-8".utf8))
        mkfifo(root + "/fifo", 0o600)
        if geteuid() == 0 {
            chown(root + "/utf8/" + Self.utf8Name, 1000, 2000)
            chown(root + "/empty", Self.bigID, Self.bigID + 1)
            // chown clears setuid; set it again.
            chown(root + "/bin/suid-tool", 0, 0)
            chmod(root + "/bin/suid-tool", 0o4755)
        }
        // Directory modes are compared too; fix them against the umask.
        for d in ["bin", "dir", "links", "utf8", Self.longDirectory] { chmod(root + "/" + d, 0o755) }
        chmod(root, 0o755)
    }
}

@Suite("Layer round trips")
struct RoundTripTests {
    @Test("GNU tar, gzip, sha256sum, umoci and our extractor all read back the same tree", arguments: availableEngines)
    func roundTrip(engine: GzipEngine) throws {
        let dir = try TemporaryDirectory("roundtrip")
        let tree = try AwkwardTree(in: dir)
        let original = try TreeSnapshot(tree.root)
        #expect(original.items.count == 21 && original.items["a-link"]?.links.count == 3)
        #expect(original.items["bin/suid-tool"]?.mode == 0o4755 && original.items["tmp"]?.mode == 0o1777)
        let layerTree = try DirectoryScanner().scan(tree.root)
        let blobPath = dir("layer.tar.gz")
        let blob = try LayerWriter(modificationTime: 1_700_000_000, gzipEngine: engine).write(layerTree, to: blobPath)

        // The real tools agree on both digests.
        try Tool.check(["gzip", "-t", blobPath])
        let diffID = try Tool.check(["sh", "-c", "gzip -dc '\(blobPath)' | sha256sum"]).prefix(64)
        let digest = try Tool.check(["sha256sum", blobPath]).prefix(64)
        #expect(blob.diffID.encoded == String(diffID))
        #expect(blob.descriptor.digest.encoded == String(digest))
        #expect(blob.descriptor.size == Int64((try FileManager.default.attributesOfItem(atPath: blobPath)[.size] as! NSNumber).intValue))
        #expect(try pythonSingleMemberDigest(blobPath) == blob.diffID.encoded)

        // GNU tar lists and extracts it; names, modes, links and contents match the original.
        let env = ["LC_ALL": "C.UTF-8"]
        let names = try Tool.check(["tar", "--quoting-style=literal", "-tzf", blobPath], environment: env)
            .split(separator: "\n").map { $0.hasSuffix("/") ? String($0.dropLast()) : String($0) }
        #expect(names.sorted() == listing(tree.root))
        let verbose = try Tool.check(["tar", "--quoting-style=literal", "--numeric-owner", "-tvzf", blobPath], environment: env)
        #expect(verbose.contains("2023-11-14"))
        if geteuid() == 0 { #expect(verbose.contains("\(AwkwardTree.bigID)/\(AwkwardTree.bigID + 1)")) }
        let gnu = dir("gnu")
        try FileManager.default.createDirectory(atPath: gnu, withIntermediateDirectories: true)
        try Tool.check(["tar", "--numeric-owner", "-xpzf", blobPath, "-C", gnu], environment: env)
        chmod(gnu, 0o755)
        let gnuSnapshot = try TreeSnapshot(gnu)
        #expect(gnuSnapshot == original, "GNU tar: \(gnuSnapshot.differences(from: original))")

        // Our extractor restores the same tree.
        let ours = dir("ours")
        try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: [blobPath], into: ours)
        chmod(ours, 0o755)
        let ourSnapshot = try TreeSnapshot(ours)
        #expect(ourSnapshot == original, "extractor: \(ourSnapshot.differences(from: original))")
        var st = stat()
        lstat(ours + "/z-target", &st)
        #expect(st.st_mtim.tv_sec == 1_700_000_000)

        // umoci unpacks it with Go's gzip and tar readers (what skopeo and containerd use too).
        if Tool.exists("umoci") {
            let layout = try OCILayoutFixture(directory: dir("oci"), layer: blobPath, blob: blob)
            let bundle = dir("bundle")
            var arguments = ["umoci", "unpack", "--image", layout.reference, bundle]
            if geteuid() != 0 { arguments.insert("--rootless", at: 2) }
            try Tool.check(arguments)
            chmod(bundle + "/rootfs", 0o755)
            let umociSnapshot = try TreeSnapshot(bundle + "/rootfs")
            #expect(umociSnapshot == original, "umoci: \(umociSnapshot.differences(from: original))")
        }
    }

    @Test("zstd and uncompressed layers read back through the extractor", arguments: [LayerCompression.zstd, .none])
    func otherCompressions(_ compression: LayerCompression) throws {
        let dir = try TemporaryDirectory("roundtrip-z")
        let tree = try AwkwardTree(in: dir)
        let original = try TreeSnapshot(tree.root)
        let blob = try LayerWriter(compression: compression).write(try DirectoryScanner().scan(tree.root), to: dir("layer"))
        #expect(blob.descriptor.mediaType == compression.ociMediaType)
        if compression == .none { #expect(blob.diffID == blob.descriptor.digest) }
        let ours = dir("ours")
        try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: [dir("layer")], into: ours)
        chmod(ours, 0o755)
        let snapshot = try TreeSnapshot(ours)
        #expect(snapshot == original, "\(snapshot.differences(from: original))")
    }
}

/// A one-layer OCI image layout around a layer blob, for tools that only read images (umoci).
struct OCILayoutFixture {
    let reference: String

    init(directory: String, layer: String, blob: LayerBlob) throws {
        let fm = FileManager.default
        let blobs = directory + "/blobs/sha256"
        try fm.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        try fm.copyItem(atPath: layer, toPath: blobs + "/" + blob.descriptor.digest.encoded)
        func store(_ object: [String: Any]) throws -> [String: Any] {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            let digest = Digest.sha256(of: data)
            try data.write(to: URL(fileURLWithPath: blobs + "/" + digest.encoded))
            return ["digest": digest.description, "size": data.count]
        }
        let config = try store([
            "architecture": "amd64", "os": "linux", "config": [String: Any](),
            "rootfs": ["type": "layers", "diff_ids": [blob.diffID.description]],
        ])
        let manifest = try store([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config.merging(["mediaType": "application/vnd.oci.image.config.v1+json"]) { $1 },
            "layers": [
                [
                    "mediaType": blob.descriptor.mediaType, "digest": blob.descriptor.digest.description,
                    "size": blob.descriptor.size,
                ]
            ],
        ])
        let index: [String: Any] = [
            "schemaVersion": 2,
            "manifests": [
                manifest.merging([
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "annotations": ["org.opencontainers.image.ref.name": "test"],
                ]) { $1 }
            ],
        ]
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: directory + "/index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: directory + "/oci-layout"))
        reference = directory + ":test"
    }
}
