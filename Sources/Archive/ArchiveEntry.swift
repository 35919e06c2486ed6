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
        switch scan(raw) {
        case .normal: return raw
        case .unsafe: throw .unsafePath(archive: archive, entry: raw)
        case .rewrite: break
        }
        if !allowAbsolute && raw.hasPrefix("/") { throw .unsafePath(archive: archive, entry: raw) }
        var parts: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { throw .unsafePath(archive: archive, entry: raw) }
            parts.append(component)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    private enum Shape { case normal, unsafe, rewrite }

    /// One pass over the bytes: most layer paths (`usr/lib/x`) are already normal and are returned as they are,
    /// without splitting and joining; a NUL byte is refused at once; anything else takes the general path.
    private static func scan(_ raw: String) -> Shape {
        var raw = raw
        return raw.withUTF8 { bytes in
            var shape = Shape.normal
            var componentStart = 0
            for i in 0...bytes.count {
                let byte = i < bytes.count ? bytes[i] : UInt8(ascii: "/")
                if byte == 0 { return .unsafe }
                guard byte == UInt8(ascii: "/") else { continue }
                // An empty component (a leading `/`, `//`, a trailing `/`, the empty path), `.` or `..` needs the
                // general path.
                switch i - componentStart {
                case 0: shape = .rewrite
                case 1 where bytes[componentStart] == UInt8(ascii: "."): shape = .rewrite
                case 2 where bytes[componentStart] == UInt8(ascii: ".") && bytes[componentStart + 1] == UInt8(ascii: "."): shape = .rewrite
                default: break
                }
                componentStart = i + 1
            }
            return shape
        }
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
