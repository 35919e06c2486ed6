/// The kind of a file in an archive or layer.
public enum EntryKind: Sendable, Equatable, Hashable {
    case regular
    case directory
    case symlink(target: String)
    /// A hard link to another entry of the same archive, named by its normalized path.
    case hardlink(target: String)
    case characterDevice(major: UInt32, minor: UInt32)
    case blockDevice(major: UInt32, minor: UInt32)
    case fifo
}

/// The header of one archive entry, as read.
public struct ArchiveEntry: Sendable, Equatable {
    /// The path exactly as stored in the archive.
    public var rawPath: String
    public var kind: EntryKind
    /// Permission bits including setuid, setgid and sticky (`0o7777`).
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    public var size: Int64
    public var modificationTime: Int64

    public init(
        rawPath: String, kind: EntryKind, permissions: UInt32, uid: Int64 = 0, gid: Int64 = 0, size: Int64 = 0,
        modificationTime: Int64 = 0
    ) {
        self.rawPath = rawPath
        self.kind = kind
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.size = size
        self.modificationTime = modificationTime
    }
}

/// Normalizes archive paths and refuses those that climb out of the root.
public enum ArchivePath {
    /// `./usr//bin/` → `usr/bin`; nil for the root itself; throws for `..` anywhere or a NUL byte.
    /// Absolute paths are taken relative to the root, as in layer tars (`/etc/x` is `etc/x`),
    /// unless `allowAbsolute` is false.
    public static func normalize(_ raw: String, archive: String, allowAbsolute: Bool = true) throws(ArchiveError)
        -> String?
    {
        if raw.utf8.contains(0) { throw .unsafePath(archive: archive, entry: raw) }
        if !allowAbsolute && raw.hasPrefix("/") { throw .unsafePath(archive: archive, entry: raw) }
        var parts: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { throw .unsafePath(archive: archive, entry: raw) }
            parts.append(component)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The parent of a normalized path, nil at the top.
    public static func parent(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// The last component of a normalized path.
    public static func basename(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
