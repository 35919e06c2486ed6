import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a directory tree from disk into a ``LayerTree`` without following symlinks.
public struct DirectoryScanner: Sendable {
    public init() {}

    /// The tree of everything under `root`; hard links become `.hardlink` entries to the first path seen.
    public func scan(_ root: String) throws -> LayerTree {
        var tree = LayerTree()
        var inodes: [String: String] = [:]
        try walk(root, relative: nil, into: &tree, inodes: &inodes)
        return tree
    }

    private func walk(_ absolute: String, relative: String?, into tree: inout LayerTree, inodes: inout [String: String]) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: absolute).sorted()
        for name in names {
            let full = absolute + "/" + name
            let path = relative.map { $0 + "/" + name } ?? name
            var st = stat()
            if lstat(full, &st) != 0 { throw ArchiveError.readFailed(path: full, reason: String(cString: strerror(errno))) }
            let mode = UInt32(st.st_mode) & 0o7777
            let uid = Int64(st.st_uid), gid = Int64(st.st_gid)
            switch UInt32(st.st_mode) & UInt32(S_IFMT) {
            case UInt32(S_IFDIR):
                tree.insert(.directory(mode: mode, uid: uid, gid: gid), at: path)
                try walk(full, relative: path, into: &tree, inodes: &inodes)
            case UInt32(S_IFREG):
                let key = "\(st.st_dev):\(st.st_ino)"
                if st.st_nlink > 1, let first = inodes[key] {
                    tree.insert(LayerNode(kind: .hardlink(target: first), permissions: mode, uid: uid, gid: gid), at: path)
                } else {
                    if st.st_nlink > 1 { inodes[key] = path }
                    tree.insert(.file(.file(path: full, size: Int64(st.st_size)), mode: mode, uid: uid, gid: gid), at: path)
                }
            case UInt32(S_IFLNK):
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: full)
                tree.insert(.symlink(to: target, uid: uid, gid: gid), at: path)
            default:
                continue
            }
        }
    }
}
