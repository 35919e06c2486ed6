import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a directory tree from disk into a ``LayerTree`` without following symlinks.
///
/// The walk uses `lstat` semantics throughout: symlinks are recorded as symlinks (their targets kept
/// verbatim, even absolute or dangling ones), regular files become ``FileContent/file(path:size:)``
/// read only when the layer is written, files sharing an inode become `.hardlink` entries to the
/// first path met (names sorted by bytes, depth first, so the choice is stable), devices and fifos
/// are kept, sockets are skipped with a note. Names must be valid UTF-8, as layer paths are.
public struct DirectoryScanner: Sendable {
    /// How permission bits are taken from disk.
    public enum ModePolicy: Sendable, Equatable {
        /// The file's own bits, including setuid, setgid and sticky.
        case keep
        /// 0755 for directories and for files with any execute bit, 0644 for other files; special bits dropped.
        case normalized
        /// The given bits: `executable` for files with any execute bit, `file` for the others.
        case fixed(file: UInt32, executable: UInt32, directory: UInt32)
    }

    /// The owner given to every entry instead of the file's own; nil keeps the file's.
    public var uid: Int64?
    /// The group given to every entry instead of the file's own; nil keeps the file's.
    public var gid: Int64?
    public var modes: ModePolicy

    public init(uid: Int64? = nil, gid: Int64? = nil, modes: ModePolicy = .keep) {
        self.uid = uid
        self.gid = gid
        self.modes = modes
    }

    /// What a scan added and what it left out.
    public struct Report: Sendable, Equatable {
        /// Entries added (directories, files, links, devices).
        public var entries = 0
        /// The sum of regular file sizes (hard links counted once).
        public var bytes: Int64 = 0
        /// One line per file left out, e.g. `app/run.sock: socket skipped`.
        public var notes: [String] = []
    }

    /// The tree of everything under `root`, at the top of the layer.
    public func scan(_ root: String) throws -> LayerTree {
        var tree = LayerTree()
        _ = try add(root, to: &tree, at: "")
        return tree
    }

    /// Adds everything under `directory` to `tree` below `prefix` (e.g. `app`); the directory itself becomes
    /// `prefix` with its own mode and owner. Later additions replace earlier ones at the same path.
    @discardableResult
    public func add(_ directory: String, to tree: inout LayerTree, at prefix: String) throws -> Report {
        let root = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let base = try ArchivePath.normalize(prefix, archive: "layer prefix")
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw ArchiveError.readFailed(path: root, reason: String(cString: strerror(errno))) }
        var st = stat()
        if fstat(fd, &st) != 0 {
            close(fd)
            throw ArchiveError.readFailed(path: root, reason: String(cString: strerror(errno)))
        }
        var walk = Walk(scanner: self)
        if let base { tree.insert(directoryNode(st), at: base) }
        try walk.directory(fd, absolute: root, relative: base, into: &tree)
        walk.report.entries += base == nil ? 0 : 1
        return walk.report
    }

    func directoryNode(_ st: stat) -> LayerNode {
        .directory(mode: permissions(st, directory: true), uid: uid ?? Int64(st.st_uid), gid: gid ?? Int64(st.st_gid))
    }

    func permissions(_ st: stat, directory: Bool) -> UInt32 {
        let own = UInt32(st.st_mode) & 0o7777
        let executable = own & 0o111 != 0
        switch modes {
        case .keep: return own
        case .normalized: return directory || executable ? 0o755 : 0o644
        case .fixed(let file, let exec, let dir): return directory ? dir : (executable ? exec : file)
        }
    }

    /// One walk's state: the inodes seen (for hard links) and the report.
    private struct Walk {
        let scanner: DirectoryScanner
        var inodes: [InodeKey: String] = [:]
        var report = Report()

        /// Adds the entries of the open directory `fd` (closed here), sorted by name bytes.
        mutating func directory(_ fd: Int32, absolute: String, relative: String?, into tree: inout LayerTree) throws {
            guard let dir = fdopendir(fd) else {
                close(fd)
                throw ArchiveError.readFailed(path: absolute, reason: String(cString: strerror(errno)))
            }
            defer { closedir(dir) }
            var names: [String] = []
            while true {
                errno = 0
                guard let entry = readdir(dir) else {
                    if errno != 0 { throw ArchiveError.readFailed(path: absolute, reason: String(cString: strerror(errno))) }
                    break
                }
                let name = try withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
                    let cString = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    if cString[0] == 0x2E && (cString[1] == 0 || (cString[1] == 0x2E && cString[2] == 0)) { return nil }
                    guard let name = String(validatingCString: cString) else {
                        throw ArchiveError.readFailed(
                            path: absolute + "/" + String(cString: cString), reason: "the name is not valid UTF-8; rename it")
                    }
                    return name
                }
                if let name { names.append(name) }
            }
            names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let parentFD = dirfd(dir)
            for name in names {
                try entry(name, in: parentFD, absolute: absolute + "/" + name, relative: relative.map { $0 + "/" + name } ?? name, into: &tree)
            }
        }

        private mutating func entry(_ name: String, in parent: Int32, absolute: String, relative path: String, into tree: inout LayerTree) throws {
            var st = stat()
            if fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                throw ArchiveError.readFailed(path: absolute, reason: String(cString: strerror(errno)))
            }
            let uid = scanner.uid ?? Int64(st.st_uid)
            let gid = scanner.gid ?? Int64(st.st_gid)
            let type = UInt32(st.st_mode) & UInt32(S_IFMT)
            let mode = scanner.permissions(st, directory: type == UInt32(S_IFDIR))
            switch type {
            case UInt32(S_IFDIR):
                tree.insert(scanner.directoryNode(st), at: path)
                report.entries += 1
                let child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child < 0 { throw ArchiveError.readFailed(path: absolute, reason: String(cString: strerror(errno))) }
                try directory(child, absolute: absolute, relative: path, into: &tree)
            case UInt32(S_IFREG):
                let key = InodeKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
                if st.st_nlink > 1, let first = inodes[key] {
                    tree.insert(LayerNode(kind: .hardlink(target: first), permissions: mode, uid: uid, gid: gid), at: path)
                } else {
                    if st.st_nlink > 1 { inodes[key] = path }
                    tree.insert(.file(.file(path: absolute, size: Int64(st.st_size)), mode: mode, uid: uid, gid: gid), at: path)
                    report.bytes += Int64(st.st_size)
                }
                report.entries += 1
            case UInt32(S_IFLNK):
                tree.insert(.symlink(to: try linkTarget(name, in: parent, absolute: absolute), uid: uid, gid: gid), at: path)
                report.entries += 1
            case UInt32(S_IFCHR), UInt32(S_IFBLK):
                let (major, minor) = Self.split(UInt64(st.st_rdev))
                let kind: EntryKind =
                    type == UInt32(S_IFCHR)
                    ? .characterDevice(major: major, minor: minor) : .blockDevice(major: major, minor: minor)
                tree.insert(LayerNode(kind: kind, permissions: mode, uid: uid, gid: gid), at: path)
                report.entries += 1
            case UInt32(S_IFIFO):
                tree.insert(LayerNode(kind: .fifo, permissions: mode, uid: uid, gid: gid), at: path)
                report.entries += 1
            default:
                report.notes.append("\(path): socket skipped (a tar layer cannot hold one)")
            }
        }

        private func linkTarget(_ name: String, in parent: Int32, absolute: String) throws -> String {
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = buffer.withUnsafeMutableBytes { readlinkat(parent, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
            if n < 0 { throw ArchiveError.readFailed(path: absolute, reason: String(cString: strerror(errno))) }
            guard let target = String(validating: buffer[0..<n], as: UTF8.self) else {
                throw ArchiveError.readFailed(path: absolute, reason: "the symlink target is not valid UTF-8")
            }
            return target
        }

        /// Linux's encoding of device numbers (glibc's gnu_dev_major/minor, which are macros Swift cannot see).
        static func split(_ rdev: UInt64) -> (UInt32, UInt32) {
            let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~UInt64(0xfff))
            let minor = (rdev & 0xff) | ((rdev >> 12) & ~UInt64(0xff))
            return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
        }
    }
}

/// A file's identity on disk, for finding hard links.
private struct InodeKey: Hashable {
    var device: UInt64
    var inode: UInt64
}
