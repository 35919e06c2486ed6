import Foundation
import ImageFormat

/// A layer blob as written: its descriptor (compressed digest and size), diffID and tar size.
public struct LayerBlob: Sendable, Equatable {
    public var descriptor: Descriptor
    public var diffID: Digest
    public var uncompressedSize: Int64

    public init(descriptor: Descriptor, diffID: Digest, uncompressedSize: Int64) {
        self.descriptor = descriptor
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
    }
}

/// Turns a ``LayerTree`` into a deterministic, compressed layer blob in one streaming pass.
///
/// Entries are sorted, every mtime is `modificationTime`, owners are the tree's own (never the
/// builder's), and uname/gname are empty. The tar bytes are hashed for the diffID on their way into
/// the compressor, and the compressed bytes are hashed for the blob digest on their way to disk.
public struct LayerWriter: Sendable {
    public var compression: LayerCompression
    public var gzipLevel: Int
    /// The mtime of every entry (SOURCE_DATE_EPOCH, or the newest package date).
    public var modificationTime: Int64

    public init(compression: LayerCompression = .gzip, gzipLevel: Int = 6, modificationTime: Int64 = 0) {
        self.compression = compression
        self.gzipLevel = gzipLevel
        self.modificationTime = modificationTime
    }

    /// Writes `tree` as a layer blob to `path` (which the caller renames into place).
    public func write(_ tree: LayerTree, to path: String) throws -> LayerBlob {
        let file = try FileSink(path: path)
        let blobHasher = HashingSink(file)
        let compressor: ByteSink
        switch compression {
        case .gzip: compressor = ParallelGzipSink(downstream: blobHasher, level: gzipLevel)
        case .zstd: compressor = try ZstdSink(downstream: blobHasher)
        case .none: compressor = blobHasher
        }
        let tarHasher = HashingSink(compressor)
        let tar = try TarWriter(sink: tarHasher, name: path)
        try writeEntries(of: tree, to: tar)
        try tar.finish()
        return LayerBlob(
            descriptor: Descriptor(
                mediaType: compression.ociMediaType, digest: blobHasher.digest, size: blobHasher.count),
            diffID: tarHasher.digest, uncompressedSize: tarHasher.count)
    }

    /// Writes the tree's entries (sorted, normalized) to an open tar stream.
    public func writeEntries(of tree: LayerTree, to tar: TarWriter) throws {
        let paths = tree.sortedPaths()
        let hardlinks = Self.hardlinkLeaders(tree, paths)
        for path in paths {
            guard var node = tree[path] else { continue }
            if case .hardlink(let target) = node.kind {
                guard let leader = hardlinks[target] else {
                    throw ArchiveError.encodingFailed(what: "layer", reason: "hard link '\(path)' points to missing '\(target)'")
                }
                if leader == path {
                    // This link is the first of its group in tar order: it carries the content.
                    node = tree[target]!
                } else {
                    node.kind = .hardlink(target: leader)
                }
            } else if let leader = hardlinks[path], leader != path {
                node = LayerNode(kind: .hardlink(target: leader), permissions: node.permissions, uid: node.uid, gid: node.gid)
            }
            let header = ArchiveEntry(
                rawPath: path, kind: node.kind, permissions: node.permissions, uid: node.uid, gid: node.gid,
                size: node.kind == .regular ? node.content?.size ?? 0 : 0, modificationTime: modificationTime)
            try tar.writeEntry(header, from: node.kind == .regular ? try node.content?.open() : nil)
        }
    }

    /// For each hard-link target, the path that comes first in tar order among it and its links.
    /// A tar reader can only link to an entry it has already seen, so that one must carry the data.
    static func hardlinkLeaders(_ tree: LayerTree, _ sortedPaths: [String]) -> [String: String] {
        var leaders: [String: String] = [:]
        for path in sortedPaths {
            guard case .hardlink(let target) = tree[path]?.kind, tree[target]?.kind == .regular else { continue }
            if let current = leaders[target] {
                if path.utf8.lexicographicallyPrecedes(current.utf8) { leaders[target] = path }
            } else {
                leaders[target] = target.utf8.lexicographicallyPrecedes(path.utf8) ? target : path
            }
        }
        return leaders
    }
}
