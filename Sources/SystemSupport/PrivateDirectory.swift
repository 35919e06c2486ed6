#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Synchronization

/// A scratch directory only this user can enter: made by `mkdtemp` (a fresh, unpredictable name,
/// mode 0700), checked to be a directory owned by us, and removed by descriptor when done.
///
/// Its name is `<prefix>-<pid>-XXXXXX`, so a sweep can tell that the process which made it is gone
/// (see ``ProcessLiveness``). Nothing inside is reachable by other users, which also keeps setuid
/// files of an unpacked image out of their hands.
public final class PrivateDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String
    /// An open descriptor of the directory (valid until ``remove()``).
    public let fd: Int32
    private let parentFD: Int32
    private let name: String
    private let removed = Atomic<Bool>(false)

    /// Creates `<base>/<prefix>-<pid>-XXXXXX`; `base` defaults to `$TMPDIR`, else `/tmp`.
    public init(prefix: String, under base: String? = nil) throws(SystemError) {
        let base = Self.absolute(base ?? Environment.temporaryDirectory)
        var template = Array("\(base)/\(prefix)-\(getpid())-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw .call("mkdtemp", path: base, errno: errno) }
        let full = String(cString: template)
        path = full
        name = String(full[full.index(after: full.lastIndex(of: "/")!)...])
        parentFD = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parentFD >= 0 else {
            let code = errno
            rmdir(full)
            throw .call("open", path: base, errno: code)
        }
        fd = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            close(parentFD)
            throw .call("openat", path: full, errno: code)
        }
        do {
            try Self.requirePrivate(fd: fd, path: full)
        } catch {
            close(fd)
            close(parentFD)
            throw error
        }
        InterruptCleanup.register(ObjectIdentifier(self)) { [weak self] in try? self?.remove() }
    }

    deinit {
        try? remove()
        close(fd)
        close(parentFD)
    }

    /// Refuses a directory that is not ours alone: another owner, or any group/other permission bit.
    public static func requirePrivate(fd: Int32, path: String) throws(SystemError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .call("fstat", path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .notPrivate(path: path, reason: "not a directory") }
        guard info.st_uid == geteuid() else {
            throw .notPrivate(path: path, reason: "owned by uid \(info.st_uid), not \(geteuid())")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .notPrivate(path: path, reason: "mode \(String(info.st_mode & 0o7777, radix: 8)) lets others in")
        }
    }

    /// Creates a subdirectory with `mode` (not subject to the umask) and returns its path.
    public func makeSubdirectory(_ child: String, mode: mode_t = 0o700) throws(SystemError) -> String {
        let full = path + "/" + child
        guard mkdirat(fd, child, 0o700) == 0 else { throw .call("mkdir", path: full, errno: errno) }
        guard fchmodat(fd, child, mode, 0) == 0 else { throw .call("chmod", path: full, errno: errno) }
        return full
    }

    /// Deletes the directory and everything in it, by descriptor; safe to call more than once.
    public func remove() throws(SystemError) {
        guard removed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        InterruptCleanup.unregister(ObjectIdentifier(self))
        try FileTree.remove(name, in: parentFD, path: path)
    }

    private static func absolute(_ path: String) -> String {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasPrefix("/") { return trimmed }
        return FileManager.default.currentDirectoryPath + "/" + trimmed
    }
}
