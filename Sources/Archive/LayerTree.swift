import Foundation

/// Where a regular file's bytes come from when a layer is written.
public enum FileContent: Sendable, Equatable {
    /// A file on disk (an app file, or a file staged from a .deb), read when the layer is written.
    case file(path: String, size: Int64)
    /// Small generated content (`/etc/passwd`, status.d records).
    case bytes(Data)

    /// The content's length in bytes.
    public var size: Int64 {
        switch self {
        case .file(_, let size): return size
        case .bytes(let data): return Int64(data.count)
        }
    }

    /// A reader over the content.
    public func open() throws -> ByteSource {
        switch self {
        case .file(let path, _): return try FileSource(path: path)
        case .bytes(let data): return DataSource(data)
        }
    }
}

/// One file, directory or link of a layer, with the owner and mode it will have in the image.
public struct LayerNode: Sendable, Equatable {
    public var kind: EntryKind
    /// Permission bits including setuid, setgid and sticky.
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    /// Set for `.regular` nodes.
    public var content: FileContent?

    public init(kind: EntryKind, permissions: UInt32, uid: Int64 = 0, gid: Int64 = 0, content: FileContent? = nil) {
        self.kind = kind
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.content = content
    }

    /// A directory.
    public static func directory(mode: UInt32 = 0o755, uid: Int64 = 0, gid: Int64 = 0) -> LayerNode {
        LayerNode(kind: .directory, permissions: mode, uid: uid, gid: gid)
    }

    /// A regular file.
    public static func file(_ content: FileContent, mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0) -> LayerNode {
        LayerNode(kind: .regular, permissions: mode, uid: uid, gid: gid, content: content)
    }

    /// A symbolic link.
    public static func symlink(to target: String, uid: Int64 = 0, gid: Int64 = 0) -> LayerNode {
        LayerNode(kind: .symlink(target: target), permissions: 0o777, uid: uid, gid: gid)
    }
}

/// The files of one layer, keyed by normalized path (`usr/bin/python3`), written in sorted order.
///
/// Later insertions replace earlier ones, as a later package or the app overrides earlier files.
/// Parents are created as root-owned 0755 directories when missing.
public struct LayerTree: Sendable {
    public private(set) var nodes: [String: LayerNode] = [:]

    public init() {}

    /// The number of entries.
    public var count: Int { nodes.count }

    /// The node at a normalized path.
    public subscript(path: String) -> LayerNode? { nodes[path] }

    /// Adds or replaces the node at `path` (normalized; see ``ArchivePath/normalize(_:archive:allowAbsolute:)``).
    public mutating func insert(_ node: LayerNode, at path: String) {
        var parent = ArchivePath.parent(of: path)
        var missing: [String] = []
        while let p = parent, nodes[p]?.kind != .directory {
            if nodes[p] != nil { remove(p) }
            missing.append(p)
            parent = ArchivePath.parent(of: p)
        }
        for p in missing { nodes[p] = .directory() }
        if let existing = nodes[path], existing.kind == .directory, node.kind != .directory {
            remove(path)
        }
        nodes[path] = node
    }

    /// Removes `path` and everything below it.
    public mutating func remove(_ path: String) {
        nodes[path] = nil
        let prefix = path + "/"
        for key in nodes.keys where key.hasPrefix(prefix) { nodes[key] = nil }
    }

    /// Paths in the order they are written: byte order, so every directory precedes its contents.
    public func sortedPaths() -> [String] {
        nodes.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The sum of regular file sizes.
    public var contentSize: Int64 {
        nodes.values.reduce(0) { $0 + ($1.content?.size ?? 0) }
    }
}
