#if canImport(Glibc)
    import Glibc
#endif

/// Removes directory trees by walking down from file descriptors, so that nothing another user
/// swaps in (a symlink in place of a directory) is ever followed, and no mount is crossed.
public enum FileTree {
    /// Removes `name` (a file, link or directory tree) inside the directory open as `parent`.
    /// A missing entry is not an error. A directory on another device (a mount point) stops the removal.
    public static func remove(_ name: String, in parent: Int32, path: String) throws(SystemError) {
        var info = stat()
        if fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
            if errno == ENOENT { return }
            throw .call("fstatat", path: path, errno: errno)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            var parentInfo = stat()
            guard fstat(parent, &parentInfo) == 0 else { throw .call("fstat", path: path, errno: errno) }
            if parentInfo.st_dev != info.st_dev { throw .mountPointInTree(path: path) }
            let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw .call("openat", path: path, errno: errno) }
            defer { close(fd) }
            try removeContents(of: fd, path: path)
            guard unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT else {
                throw .call("rmdir", path: path, errno: errno)
            }
        } else {
            guard unlinkat(parent, name, 0) == 0 || errno == ENOENT else {
                throw .call("unlink", path: path, errno: errno)
            }
        }
    }

    /// Removes everything inside the directory open as `directory`, leaving the directory itself.
    public static func removeContents(of directory: Int32, path: String) throws(SystemError) {
        // fdopendir takes ownership of its descriptor: give it a duplicate.
        let listing = dup(directory)
        guard listing >= 0 else { throw .call("dup", path: path, errno: errno) }
        guard let stream = fdopendir(listing) else {
            close(listing)
            throw .call("fdopendir", path: path, errno: errno)
        }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(stream)
        for name in names {
            try remove(name, in: directory, path: path + "/" + name)
        }
    }

    /// Removes the tree at the absolute or relative `path`; its parent is opened without following a final link.
    public static func remove(path: String) throws(SystemError) {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let slash = trimmed.lastIndex(of: "/")
        let parentPath = slash.map { trimmed[..<$0].isEmpty ? "/" : String(trimmed[..<$0]) } ?? "."
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        let parent = open(parentPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else {
            if errno == ENOENT { return }
            throw .call("open", path: parentPath, errno: errno)
        }
        defer { close(parent) }
        try remove(name, in: parent, path: trimmed)
    }
}
