import Archive
import Foundation
import ImageFormat
import Testing
import TestSupport

@Suite("LayerWriter")
struct LayerWriterTests {
    /// A small tree of generated content (no disk), in a given insertion order.
    static func tree(order: [Int]) -> LayerTree {
        let entries: [(String, LayerNode)] = [
            ("usr/bin/tool", .file(.bytes(Data(sampleBytes(200_000, seed: 1))), mode: 0o755)),
            ("usr/lib/libx.so.1", .file(.bytes(Data(sampleBytes(90_000, seed: 2))))),
            ("usr/lib/libx.so", .symlink(to: "libx.so.1")),
            ("etc/passwd", .file(.bytes(Data("root:x:0:0::/root:/sbin/nologin\n".utf8)))),
            ("home/nonroot", .directory(mode: 0o700, uid: 65532, gid: 65532)),
            ("tmp", .directory(mode: 0o1777)),
            ("usr/bin/alias", LayerNode(kind: .hardlink(target: "usr/bin/tool"), permissions: 0o755)),
            ("a/first", LayerNode(kind: .hardlink(target: "usr/bin/tool"), permissions: 0o755)),
        ]
        var tree = LayerTree()
        for i in order { tree.insert(entries[i].1, at: entries[i].0) }
        return tree
    }

    func pack(_ tree: LayerTree, _ writer: LayerWriter) throws -> (LayerBlob, Data) {
        let sink = DataSink()
        let blob = try writer.write(tree, into: sink)
        return (blob, sink.data)
    }

    @Test("two packs of the same tree give identical blobs, whatever the insertion order and thread count",
          arguments: [LayerCompression.gzip, .zstd, .none])
    func deterministic(_ compression: LayerCompression) throws {
        let (reference, referenceBytes) = try pack(Self.tree(order: Array(0..<8)), LayerWriter(compression: compression, threads: 1))
        var generator = SystemRandomNumberGenerator()
        for threads in [1, 2, 8] {
            let order = Array(0..<8).shuffled(using: &generator)
            let (blob, bytes) = try pack(Self.tree(order: order), LayerWriter(compression: compression, threads: threads))
            #expect(blob == reference, "order \(order), threads \(threads)")
            #expect(bytes == referenceBytes)
        }
    }

    @Test("packing a directory does not depend on the order its entries were created in")
    func enumerationOrder() throws {
        let dir = try TemporaryDirectory("enum-order")
        var digests: Set<Digest> = []
        for (index, names) in [["a", "b", "c", "d", "e"], ["e", "c", "a", "d", "b"]].enumerated() {
            let root = dir("tree\(index)")
            for name in names {
                try writeFile(root + "/sub/" + name, Array(name.utf8))
                try writeFile(root + "/" + name, Array(name.utf8))
            }
            for d in ["", "/sub"] { chmod(root + d, 0o755) }
            digests.insert(try LayerWriter().write(DirectoryScanner().scan(root), to: dir("l\(index)")).descriptor.digest)
        }
        #expect(digests.count == 1)
    }

    @Test("entries are sorted, normalized, and the first of a hard-link group carries the data")
    func entryOrderAndNormalization() throws {
        let (_, bytes) = try pack(Self.tree(order: Array(0..<8)), LayerWriter(compression: .none, modificationTime: 1234))
        let reader = try ArchiveReader(source: DataSource(bytes), format: .tar, name: "layer")
        var seen: [ArchiveEntry] = []
        while let entry = try reader.nextEntry() { seen.append(entry) }
        // Directories carry tar's customary trailing slash.
        #expect(seen.map(\.rawPath) == [
            "a/", "a/first", "etc/", "etc/passwd", "home/", "home/nonroot/", "tmp/", "usr/", "usr/bin/", "usr/bin/alias",
            "usr/bin/tool", "usr/lib/", "usr/lib/libx.so", "usr/lib/libx.so.1",
        ])
        let byPath = Dictionary(uniqueKeysWithValues: seen.map { (try! ArchivePath.normalize($0.rawPath, archive: "t")!, $0) })
        #expect(byPath["a/first"]?.kind == .regular && byPath["a/first"]?.size == 200_000)
        #expect(byPath["usr/bin/tool"]?.kind == .hardlink(target: "a/first"))
        #expect(byPath["usr/bin/alias"]?.kind == .hardlink(target: "a/first"))
        #expect(byPath["home/nonroot"]?.uid == 65532 && byPath["home/nonroot"]?.permissions == 0o700)
        #expect(byPath["tmp"]?.permissions == 0o1777)
        #expect(seen.allSatisfy { $0.modificationTime == 1234 })
    }

    @Test("long UTF-8 names and ids beyond ustar's range survive through PAX headers")
    func paxFields() throws {
        var tree = LayerTree()
        let longName = "dir-" + String(repeating: "é", count: 80) + "/" + String(repeating: "名", count: 70) + ".txt"
        let longTarget = "../" + String(repeating: "t", count: 150)
        tree.insert(.file(.bytes(Data("x".utf8)), uid: 3_000_000, gid: 4_000_000), at: longName)
        tree.insert(.symlink(to: longTarget), at: "link")
        #expect(longName.utf8.count > 255)
        let (_, bytes) = try pack(tree, LayerWriter(compression: .none))
        let reader = try ArchiveReader(source: DataSource(bytes), format: .tar, name: "layer")
        var seen: [String: ArchiveEntry] = [:]
        while let entry = try reader.nextEntry() { seen[entry.rawPath] = entry }
        #expect(seen[longName]?.uid == 3_000_000 && seen[longName]?.gid == 4_000_000)
        #expect(seen["link"]?.kind == .symlink(target: longTarget))
        // No process id or clock leaks into PAX header names or fields.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\(getpid())"))
        #expect(!text.contains("atime") && !text.contains("ctime"))
    }

    @Test("the diffID of a fixed tree is stable across runs and machines")
    func golden() throws {
        var tree = LayerTree()
        tree.insert(.file(.bytes(Data("hello\n".utf8)), mode: 0o644), at: "etc/hello")
        tree.insert(.symlink(to: "hello"), at: "etc/alias")
        tree.insert(.directory(mode: 0o1777), at: "tmp")
        tree.insert(.file(.bytes(Data()), uid: 3_000_000), at: String(repeating: "n", count: 120))
        let (blob, _) = try pack(tree, LayerWriter(compression: .gzip, modificationTime: 0))
        // If libarchive changes how it writes pax_restricted headers this moves: then every image digest moves too,
        // so look at the diff of the tar bytes before updating it.
        #expect(blob.diffID.description == LayerWriterTests.goldenDiffID, "got \(blob.diffID)")
    }
    static let goldenDiffID = "sha256:a10b74c285bd3bc85968e1bb1800552ae0dfb6d040714c865d1e5d1c5b48fc3a"

    @Test("a hard link to something that is not a regular file of the layer is refused")
    func badHardlink() {
        var tree = LayerTree()
        tree.insert(.directory(), at: "d")
        tree.insert(LayerNode(kind: .hardlink(target: "d"), permissions: 0o644), at: "x")
        #expect(throws: ArchiveError.self) { try LayerWriter().write(tree, into: DataSink()) }
    }

    @Test("a file that shrinks while being packed is an error naming it")
    func shrinkingFile() throws {
        let dir = try TemporaryDirectory("shrink")
        try writeFile(dir("f"), sampleBytes(1000))
        var tree = LayerTree()
        tree.insert(.file(.file(path: dir("f"), size: 5000)), at: "f")
        #expect(throws: ArchiveError.readFailed(path: "f", reason: "file shrank while being archived (4000 bytes missing)")) {
            try LayerWriter().write(tree, into: DataSink())
        }
    }
}
