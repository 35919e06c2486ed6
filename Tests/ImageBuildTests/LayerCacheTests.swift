import Archive
import Foundation
import ImageFormat
import TestSupport
import Testing

@testable import ImageBuild

/// The layer cache trusts a blob while its file is the one it verified, and reads it whole again otherwise.
struct LayerCacheTests {
    /// A cache holding one small gzip layer under `key`; returns the cache and the blob's path in it.
    private func storedLayer(_ dir: TemporaryDirectory, key: Digest) throws -> (LayerCache, String, LayerBlob) {
        var tree = LayerTree()
        tree.insert(.file(.bytes(Data(repeating: 7, count: 5000))), at: "etc/data")
        let file = dir("layer.tar.gz")
        let blob = try LayerWriter().write(tree, to: file)
        let cache = LayerCache(directory: dir("cache"))
        cache.store(key, blob: blob, file: file)
        return (cache, dir("cache") + "/\(key.encoded).blob", blob)
    }

    @Test func aStoredLayerIsFoundAndLinked() throws {
        let dir = try TemporaryDirectory("layer-cache-hit")
        let key = Digest.sha256(of: Data("key".utf8))
        let (cache, _, blob) = try storedLayer(dir, key: key)
        let found = try #require(cache.lookup(key, copyTo: dir("out")))
        #expect(found.descriptor == blob.descriptor && found.diffID == blob.diffID)
        #expect(try Digest.sha256(ofFile: dir("out")) == blob.descriptor.digest)
    }

    /// The same size, other bytes, written in place: the modification time changes, so the blob is hashed and refused.
    @Test func aBlobRewrittenInPlaceIsHashedAndRefused() throws {
        let dir = try TemporaryDirectory("layer-cache-rewritten")
        let key = Digest.sha256(of: Data("key".utf8))
        let (cache, path, blob) = try storedLayer(dir, key: key)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(blob.descriptor.size / 2))
        try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF]))
        try handle.close()
        // As a write a moment later leaves it (a write in the same clock tick as the store is the one it misses).
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(2)], ofItemAtPath: path)
        #expect(cache.lookup(key, copyTo: dir("out")) == nil)
        #expect(!FileManager.default.fileExists(atPath: dir("out")))
    }

    /// A record written before identities were kept is verified once, then remembered.
    @Test func aRecordWithoutIdentityIsVerifiedOnceAndThenRemembered() throws {
        let dir = try TemporaryDirectory("layer-cache-old")
        let key = Digest.sha256(of: Data("key".utf8))
        let (cache, _, _) = try storedLayer(dir, key: key)
        let recordPath = dir("cache") + "/\(key.encoded).json"
        var record = try CanonicalJSON.decode(LayerCache.Record.self, from: try Data(contentsOf: URL(fileURLWithPath: recordPath)), what: recordPath)
        #expect(record.verified != nil)
        record.verified = nil
        try CanonicalJSON.encode(record).write(to: URL(fileURLWithPath: recordPath))
        #expect(cache.lookup(key, copyTo: dir("out")) != nil)
        let again = try CanonicalJSON.decode(LayerCache.Record.self, from: try Data(contentsOf: URL(fileURLWithPath: recordPath)), what: recordPath)
        #expect(again.verified == LayerCache.FileIdentity(path: dir("cache") + "/\(key.encoded).blob"))
    }

    /// A blob of the right size put in place of the stored one (a new file) is refused.
    @Test func aReplacedBlobIsRefused() throws {
        let dir = try TemporaryDirectory("layer-cache-replaced")
        let key = Digest.sha256(of: Data("key".utf8))
        let (cache, path, blob) = try storedLayer(dir, key: key)
        try FileManager.default.removeItem(atPath: path)
        try Data(repeating: 0, count: Int(blob.descriptor.size)).write(to: URL(fileURLWithPath: path))
        #expect(cache.lookup(key, copyTo: dir("out")) == nil)
    }

    @Test(arguments: [
        ["usr/bin/python3": OSLayerIndex.Entry(kind: "link", target: "python3.11", mode: 0o777, uid: 0, gid: 0, from: "python3-minimal")],
        [
            "tmp": OSLayerIndex.Entry(kind: "dir", target: nil, mode: 0o1777, uid: 0, gid: 0, from: "the preset"),
            "odd\tname\nwith\\slashes": OSLayerIndex.Entry(kind: "file", target: nil, mode: 0o4755, uid: 65532, gid: 65532, from: "a\\b\tc"),
            "empty-target": OSLayerIndex.Entry(kind: "link", target: "", mode: 0o777, uid: -1, gid: 4_294_967_296, from: "é ü"),
            "=x": OSLayerIndex.Entry(kind: "link", target: "=\\t", mode: 0, uid: 0, gid: 0, from: ""),
        ],
        [:],
    ])
    func theOSLayerIndexSurvivesItsCompactCoding(_ entries: [String: OSLayerIndex.Entry]) throws {
        var index = OSLayerIndex(tree: LayerTree(), owners: [:])
        index.entries = entries
        let data = try CanonicalJSON.encode(index)
        #expect(try CanonicalJSON.decode(OSLayerIndex.self, from: data, what: "index") == index)
        #expect(try JSONDecoder().decode(OSLayerIndex.self, from: JSONEncoder().encode(index)) == index)
    }

    @Test(arguments: ["", "distill-os-index 2\n", "distill-os-index 1\na\tfile\t\t1\t0\t0\n", "distill-os-index 1\na\tfile\tx\t1\t0\t0\tp\n",
                      "distill-os-index 1\na\\q\tfile\t\t1\t0\t0\tp\n", "distill-os-index 1\na\tfile\t\tmode\t0\t0\tp\n"])
    func aMalformedIndexIsRefused(_ text: String) throws {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(OSLayerIndex.self, from: JSONEncoder().encode(text)) }
    }
}
