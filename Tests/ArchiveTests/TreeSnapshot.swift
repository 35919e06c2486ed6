import Archive
import Foundation
import ImageFormat
import TestSupport

/// What a directory tree looks like, file by file, for comparing an original with an extraction.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    struct Item: Equatable {
        var kind: String
        var mode: UInt32
        var size: Int64
        var content: String?
        var linkTarget: String?
        /// Paths sharing this item's inode (hard links), sorted; empty when it has one name.
        var links: [String]
        var uid: UInt32
        var gid: UInt32
    }

    var items: [String: Item]

    /// Reads `root` without following symlinks; directory modes and owners included.
    init(_ root: String, owners: Bool = true) throws {
        var items: [String: Item] = [:]
        var byInode: [String: [String]] = [:]
        let fm = FileManager.default
        let enumerator = fm.enumerator(atPath: root)!
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String { paths.append(path) }
        for path in paths {
            let full = root + "/" + path
            var st = stat()
            guard lstat(full, &st) == 0 else { throw FixtureError("lstat \(full)") }
            let type = st.st_mode & S_IFMT
            var item = Item(
                kind: "?", mode: UInt32(st.st_mode & 0o7777), size: 0, content: nil, linkTarget: nil, links: [],
                uid: owners ? st.st_uid : 0, gid: owners ? st.st_gid : 0)
            switch type {
            case S_IFDIR: item.kind = "dir"
            case S_IFREG:
                item.kind = "file"
                item.size = Int64(st.st_size)
                item.content = try sha256(ofFile: full).encoded
                if st.st_nlink > 1 { byInode["\(st.st_dev):\(st.st_ino)", default: []].append(path) }
            case S_IFLNK:
                item.kind = "symlink"
                item.mode = 0
                item.linkTarget = try fm.destinationOfSymbolicLink(atPath: full)
            case S_IFIFO: item.kind = "fifo"
            default: item.kind = "other"
            }
            items[path] = item
        }
        for group in byInode.values where group.count > 1 {
            for path in group { items[path]!.links = group.sorted() }
        }
        self.items = items
    }

    var description: String {
        items.keys.sorted().map { path in
            let i = items[path]!
            return "\(path) \(i.kind) \(String(i.mode, radix: 8)) \(i.size) \(i.linkTarget ?? "") \(i.links) \(i.uid):\(i.gid)"
        }.joined(separator: "\n")
    }

    /// Lines that differ between two snapshots, for readable failures.
    func differences(from other: TreeSnapshot) -> [String] {
        var out: [String] = []
        for path in Set(items.keys).union(other.items.keys).sorted() where items[path] != other.items[path] {
            out.append("\(path): \(items[path].map { "\($0)" } ?? "missing") vs \(other.items[path].map { "\($0)" } ?? "missing")")
        }
        return out
    }
}

/// Builds a layer blob entry by entry with raw, unchecked names (hostile layers included).
final class LayerBuilder {
    private let sink: ByteSink
    private let tar: TarWriter
    let path: String

    /// Starts a layer at `path`, gzip-compressed unless `gzip` is false.
    init(_ path: String, gzip: Bool = true) throws {
        self.path = path
        let file = try FileSink(path: path)
        sink = gzip ? try ParallelGzipSink(downstream: file) : file
        tar = try TarWriter(sink: sink, name: path)
    }

    @discardableResult
    func dir(_ name: String, mode: UInt32 = 0o755, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) throws -> Self {
        try tar.writeHeader(ArchiveEntry(rawPath: name, kind: .directory, permissions: mode, uid: uid, gid: gid, modificationTime: mtime))
        return self
    }

    @discardableResult
    func file(_ name: String, _ content: String = "", mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0, mtime: Int64 = 1_000_000) throws -> Self {
        let bytes = Array(content.utf8)
        try tar.writeEntry(
            ArchiveEntry(rawPath: name, kind: .regular, permissions: mode, uid: uid, gid: gid, size: Int64(bytes.count), modificationTime: mtime),
            from: DataSource(Data(bytes)))
        return self
    }

    @discardableResult
    func symlink(_ name: String, to target: String) throws -> Self {
        try tar.writeHeader(ArchiveEntry(rawPath: name, kind: .symlink(target: target), permissions: 0o777, modificationTime: 1_000_000))
        return self
    }

    @discardableResult
    func hardlink(_ name: String, to target: String) throws -> Self {
        try tar.writeHeader(ArchiveEntry(rawPath: name, kind: .hardlink(target: target), permissions: 0o644, modificationTime: 1_000_000))
        return self
    }

    @discardableResult
    func entry(_ entry: ArchiveEntry) throws -> Self {
        try tar.writeHeader(entry)
        return self
    }

    func finish() throws -> String {
        try tar.finish()
        return path
    }
}

/// Every path under `directory`, relative, sorted (no symlink following).
func listing(_ directory: String) -> [String] {
    var out: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: directory)!
    while let path = enumerator.nextObject() as? String { out.append(path) }
    return out.sorted()
}
