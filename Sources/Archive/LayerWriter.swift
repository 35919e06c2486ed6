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

/// How far a layer write has come: entries and content bytes written, of how many.
public struct LayerProgress: Sendable, Equatable {
    /// Entries written so far, of `entryCount`.
    public var entries: Int
    public var entryCount: Int
    /// Regular-file content bytes written so far, of `byteCount`.
    public var bytes: Int64
    public var byteCount: Int64

    /// A progress report.
    public init(entries: Int, entryCount: Int, bytes: Int64, byteCount: Int64) {
        self.entries = entries
        self.entryCount = entryCount
        self.bytes = bytes
        self.byteCount = byteCount
    }
}

/// Turns a ``LayerTree`` into a deterministic, compressed layer blob in one streaming pass.
///
/// Entries are sorted by the bytes of their paths (so every directory precedes its contents), every
/// mtime is `modificationTime`, owners are the tree's own (never the builder's), and uname/gname are
/// empty. Of a group of hard links, the one first in that order carries the content and the others link
/// to it, so a tar reader always meets the target before the link. The tar bytes are hashed for the
/// diffID on their way into the compressor, and the compressed bytes for the blob digest on their way
/// out. The same tree gives the same bytes whatever the thread count or the order files were added in.
public struct LayerWriter: Sendable {
    public var compression: LayerCompression
    public var gzipLevel: Int
    /// The mtime of every entry (SOURCE_DATE_EPOCH, or the newest package date).
    public var modificationTime: Int64
    /// Compression threads (gzip); they change speed, never bytes.
    public var threads: Int
    /// How gzip blocks are deflated; this does change the bytes (see ``GzipEngine``).
    public var gzipEngine: GzipEngine
    /// zstd level, when `compression` is `.zstd`.
    public var zstdLevel: Int
    /// Called after each entry is written, for progress displays (on the writing thread).
    public var progress: (@Sendable (LayerProgress) -> Void)?

    public init(
        compression: LayerCompression = .gzip, gzipLevel: Int = 6, modificationTime: Int64 = 0,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, gzipEngine: GzipEngine = .zlib, zstdLevel: Int = 3
    ) {
        self.compression = compression
        self.gzipLevel = gzipLevel
        self.modificationTime = modificationTime
        self.threads = threads
        self.gzipEngine = gzipEngine
        self.zstdLevel = zstdLevel
    }

    /// What of this writer's settings decides a layer's bytes (threads do not), for layer cache keys.
    public var cacheIdentity: String {
        switch compression {
        case .none: return "compression none"
        case .gzip: return "compression gzip \(gzipEngine) \(gzipLevel)"
        case .zstd: return "compression zstd \(zstdLevel)"
        }
    }

    /// Writes `tree` as a layer blob to `path` (which the caller renames into place).
    public func write(_ tree: LayerTree, to path: String) throws -> LayerBlob {
        try write(tree, into: try FileSink(path: path), name: path)
    }

    /// Streams `tree` as a layer blob into `sink` (finished at the end); `name` is used in errors.
    public func write(_ tree: LayerTree, into sink: ByteSink, name: String = "layer") throws -> LayerBlob {
        let blobHasher = HashingSink(sink)
        let compressor: ByteSink
        switch compression {
        case .gzip:
            compressor = try ParallelGzipSink(
                downstream: blobHasher, level: gzipLevel, threads: threads, engine: gzipEngine)
        case .zstd: compressor = try ZstdSink(downstream: blobHasher, level: zstdLevel)
        case .none: compressor = blobHasher
        }
        // Uncompressed, the blob is the tar: one hash gives digest and diffID.
        let tarHasher = compression == .none ? blobHasher : HashingSink(compressor)
        let tar = try TarWriter(sink: tarHasher, name: name)
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
        let leaders = try Self.hardlinkLeaders(tree, paths)
        var done = LayerProgress(entries: 0, entryCount: paths.count, bytes: 0, byteCount: tree.contentSize)
        for path in paths {
            guard var node = tree[path] else { continue }
            if case .hardlink(let target) = node.kind {
                let leader = leaders[target]!
                if leader == path {
                    // This link is the first of its group in tar order: it carries the content.
                    node = tree[target]!
                } else {
                    node.kind = .hardlink(target: leader)
                }
            } else if let leader = leaders[path], leader != path {
                node = LayerNode(kind: .hardlink(target: leader), permissions: node.permissions, uid: node.uid, gid: node.gid)
            }
            let header = ArchiveEntry(
                rawPath: path, kind: node.kind, permissions: node.permissions, uid: node.uid, gid: node.gid,
                size: node.kind == .regular ? node.content?.size ?? 0 : 0, modificationTime: modificationTime)
            try tar.writeEntry(header, from: node.kind == .regular ? try node.content?.open() : nil)
            if let progress {
                done.entries += 1
                done.bytes += header.size
                progress(done)
            }
        }
    }

    /// For each hard-link target, the path that comes first in tar order among it and its links.
    /// A tar reader can only link to an entry it has already seen, so that one must carry the data.
    static func hardlinkLeaders(_ tree: LayerTree, _ sortedPaths: [String]) throws -> [String: String] {
        var leaders: [String: String] = [:]
        for path in sortedPaths {
            guard case .hardlink(let target) = tree[path]?.kind else { continue }
            guard tree[target]?.kind == .regular else {
                throw ArchiveError.badHardlink(
                    archive: "layer", entry: path, target: target,
                    reason: "points to something that is not a regular file of the same layer")
            }
            // Paths are visited in order, so the first link seen is the smallest link.
            if leaders[target] == nil {
                leaders[target] = target.utf8.lexicographicallyPrecedes(path.utf8) ? target : path
            }
        }
        return leaders
    }
}
