import Foundation
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A directory that every operation stays inside, as if it were `/` (the idea of filepath-securejoin,
/// done with file descriptors).
///
/// Paths are resolved one component at a time from a descriptor of the root with
/// `openat(O_NOFOLLOW | O_DIRECTORY)`, so the kernel never follows a symlink for us. When a component
/// is a symlink, its target is read and resolved the same way: an absolute target starts again at the
/// root, `..` steps back one real directory, and a target that climbs above the root is refused.
/// Files are then created with `*at` calls relative to the resolved directory's descriptor.
final class RootedDirectory {
    /// A resolved directory inside the root: an open descriptor and its symlink-free path.
    final class Handle {
        let fd: Int32
        /// Components from the root, none of them a symlink.
        let physical: [String]
        init(fd: Int32, physical: [String]) {
            self.fd = fd
            self.physical = physical
        }
        deinit { close(fd) }

        /// The path of `name` inside this directory, from the root.
        func path(of name: String) -> String { physical.isEmpty ? name : physical.joined(separator: "/") + "/" + name }
        var path: String { physical.joined(separator: "/") }
    }

    let path: String
    let root: Handle
    /// The last resolution (sorted layers touch one directory many times in a row); dropped on any removal.
    private var cache: (key: [Substring], handle: Handle)?

    init(path: String) throws(ArchiveError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        root = Handle(fd: fd, physical: [])
    }

    /// Forgets cached resolutions; call after removing or replacing anything.
    func invalidate() { cache = nil }

    /// Resolves `components` (a normalized path, split) to a directory, following symlinks inside the root.
    /// Missing directories are created with mode 0755 when `create` is set (and reported to `created`),
    /// otherwise the result is nil. Errors name `archive` and `entry`.
    func directory(
        _ components: [Substring], create: Bool, archive: String, entry: String, created: (String) -> Void = { _ in }
    ) throws(ArchiveError) -> Handle? {
        if components.isEmpty { return root }
        if let cache, cache.key == components { return cache.handle }
        let outcome: RootedPath.Outcome<Handle>
        do {
            outcome = try RootedPath.walk(components.map(String.init), from: root, followLast: true, escape: .refuse) { current, component, _ in
                try lookup(component, in: current, create: create, archive: archive, entry: entry, created: created)
            }
        } catch let failure as RootedPath.Failure {
            switch failure {
            case .escape(let link, let target): throw .symlinkEscape(archive: archive, entry: entry, link: link, target: target)
            case .tooManyLinks: throw .symlinkLoop(archive: archive, entry: entry)
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw .writeFailed(path: path, reason: "\(error)")
        }
        switch outcome {
        case .directory(let handle, _):
            cache = (components, handle)
            return handle
        case .stopped(_, _, _, .missing, _):
            return nil
        case .stopped(let parent, _, let name, _, _):
            throw .conflict(
                archive: archive, entry: entry, reason: "'\(parent.path(of: name))' is not a directory (an earlier entry or layer made it a file)")
        }
    }

    /// What `component` is in `current`, opened without following anything; a missing directory is made (0755)
    /// when `create` is set.
    private func lookup(
        _ component: String, in current: Handle, create: Bool, archive: String, entry: String, created: (String) -> Void
    ) throws(ArchiveError) -> RootedPath.Lookup<Handle> {
        var made = false
        while true {
            let next = openat(current.fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next >= 0 {
                if made { created(current.path(of: component)) }
                return .directory(Handle(fd: next, physical: current.physical + [component]))
            }
            let error = errno
            switch error {
            case ENOENT:
                guard create, !made else { return .missing }
                if mkdirat(current.fd, component, 0o755) != 0 && errno != EEXIST {
                    throw .writeFailed(path: self.path + "/" + current.path(of: component), reason: String(cString: strerror(errno)))
                }
                // The umask may have narrowed 0755; implicit parents get exactly that.
                fchmodat(current.fd, component, 0o755, 0)
                made = true
            case ELOOP, ENOTDIR:
                var st = stat()
                guard fstatat(current.fd, component, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw .writeFailed(path: self.path + "/" + current.path(of: component), reason: String(cString: strerror(errno)))
                }
                guard st.st_mode & S_IFMT == S_IFLNK else { return .other }
                return .symlink(try readLink(current.fd, component, archive: archive, entry: entry))
            default:
                throw .writeFailed(path: self.path + "/" + current.path(of: component), reason: String(cString: strerror(error)))
            }
        }
    }

    /// Opens a path recorded earlier as symlink-free, or nil if it no longer is a directory there.
    func existingDirectory(_ physical: [String]) -> Handle? {
        var current = root
        for component in physical {
            let next = openat(current.fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 { return nil }
            current = Handle(fd: next, physical: current.physical + [component])
        }
        return current
    }

    func readLink(_ dir: Int32, _ name: String, archive: String, entry: String) throws(ArchiveError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBytes { readlinkat(dir, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        if n < 0 { throw .conflict(archive: archive, entry: entry, reason: "cannot read symlink '\(name)': \(String(cString: strerror(errno)))") }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    /// The type bits of `name` in `dir` (not following a symlink), or nil if it does not exist.
    func fileType(_ dir: Int32, _ name: String) -> mode_t? {
        var st = stat()
        guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// Removes `name` in `dir` and, for a directory, everything below it, never following a symlink.
    func removeTree(_ dir: Int32, _ name: String) throws(ArchiveError) {
        invalidate()
        guard let type = fileType(dir, name) else { return }
        if type == S_IFDIR {
            var fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 && errno == EACCES {
                // Without root a 0500 directory cannot be listed or emptied until it is ours to write.
                fchmodat(dir, name, 0o700, 0)
                fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if fd < 0 { throw .writeFailed(path: path + "/" + name, reason: String(cString: strerror(errno))) }
            let handle = Handle(fd: fd, physical: [])
            fchmod(fd, 0o700)
            for child in try listNames(handle.fd) { try removeTree(handle.fd, child) }
            if unlinkat(dir, name, AT_REMOVEDIR) != 0 {
                throw .writeFailed(path: path + "/" + name, reason: String(cString: strerror(errno)))
            }
        } else if unlinkat(dir, name, 0) != 0 && errno != ENOENT {
            throw .writeFailed(path: path + "/" + name, reason: String(cString: strerror(errno)))
        }
    }

    /// The names in an open directory, without `.` and `..`.
    func listNames(_ fd: Int32) throws(ArchiveError) -> [String] {
        let copy = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0, let dir = fdopendir(copy) else {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension RootedDirectory: WhiteoutTarget {
    func names(in directory: Handle) throws -> [String] { try listNames(directory.fd) }
    func contains(_ name: String, in directory: Handle) -> Bool { fileType(directory.fd, name) != nil }
    func subdirectory(_ name: String, of directory: Handle) throws -> Handle? {
        guard fileType(directory.fd, name) == S_IFDIR else { return nil }
        let fd = openat(directory.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw ArchiveError.writeFailed(path: path + "/" + directory.path(of: name), reason: String(cString: strerror(errno))) }
        return Handle(fd: fd, physical: directory.physical + [name])
    }
    func remove(_ name: String, from directory: Handle) throws { try removeTree(directory.fd, name) }
}
