import Foundation
import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An unpacked image root filesystem on the host, read the way the container would see it.
///
/// Paths are resolved component by component and symlinks are followed *inside* the root, so
/// `/etc/os-release -> ../usr/lib/os-release` or an absolute link `/x -> /etc/passwd` never reach
/// the host's files, and `..` stops at the root just as it does in the container.
public struct RootFilesystem: Sendable {
    /// Absolute host path of the root directory.
    public let path: String

    /// Opens the root filesystem at `path` (it must be an existing directory).
    public init(path: String) throws {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var info = stat()
        guard stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RuntimeError.rootfsNotFound(path: path)
        }
        self.path = URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// The host path for `containerPath`, following symlinks inside the root (the last one only if asked).
    ///
    /// A missing component yields the host path of that component, which then simply does not exist.
    public func hostPath(for containerPath: String, followFinalSymlink: Bool = true) throws -> String {
        let components = containerPath.split(separator: "/").map(String.init)
        let outcome: RootedPath.Outcome<Void>
        do {
            outcome = try RootedPath.walk(components, from: (), followLast: followFinalSymlink, escape: .stayAtRoot) { _, _, path in
                let candidate = join(path)
                var info = stat()
                guard lstat(candidate, &info) == 0 else { return .missing }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: return .directory(())
                case S_IFLNK: return .symlink(try readLink(candidate))
                default: return .other
                }
            }
        } catch RootedPath.Failure.tooManyLinks {
            throw RuntimeError.unresolvablePath(containerPath, reason: "too many levels of symbolic links")
        }
        switch outcome {
        case .directory(_, let path):
            return join(path)
        case .stopped(_, let parent, let name, let found, let rest):
            // A missing component's own host path (nothing below it exists either); below a file, a path the kernel
            // cannot walk (ENOTDIR); a last link left alone, the link.
            if case .other = found, !rest.isEmpty { return join(parent + [name] + rest) }
            return join(parent + [name])
        }
    }

    /// Metadata of the file at `containerPath` (lstat of the last component unless `followFinalSymlink`).
    public func status(of containerPath: String, followFinalSymlink: Bool = true) throws -> FileStatus? {
        let host = try hostPath(for: containerPath, followFinalSymlink: followFinalSymlink)
        var info = stat()
        guard lstat(host, &info) == 0 else { return nil }
        return FileStatus(mode: UInt32(info.st_mode), uid: info.st_uid, gid: info.st_gid, size: Int64(info.st_size))
    }

    /// Whether `containerPath` exists (following symlinks, as `test -e` does in the container).
    public func exists(_ containerPath: String) -> Bool {
        (try? status(of: containerPath)) != nil
    }

    /// The bytes of the regular file at `containerPath`, following symlinks inside the root.
    public func contents(of containerPath: String) throws -> Data {
        let host = try hostPath(for: containerPath)
        guard let status = try status(of: containerPath) else {
            throw RuntimeError.io(path: containerPath, reason: "no such file in the image")
        }
        guard status.isRegularFile else {
            throw RuntimeError.io(path: containerPath, reason: "is a \(status.kindDescription), not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: host) else {
            throw RuntimeError.io(path: containerPath, reason: "cannot be read")
        }
        return data
    }

    private func join(_ components: [String]) -> String {
        components.isEmpty ? path : path + "/" + components.joined(separator: "/")
    }

    private func readLink(_ hostPath: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(hostPath, &buffer, buffer.count - 1)
        guard count >= 0 else {
            throw RuntimeError.io(path: hostPath, reason: "readlink: \(errnoText(errno))")
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The parts of `stat` that structure tests and user resolution look at.
public struct FileStatus: Hashable, Sendable {
    /// The raw `st_mode` (type and permission bits).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64

    public init(mode: UInt32, uid: UInt32, gid: UInt32, size: Int64) {
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
    }

    /// True for a regular file.
    public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    /// True for a directory.
    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }

    /// A word for the file type, for messages.
    public var kindDescription: String {
        switch mode & UInt32(S_IFMT) {
        case UInt32(S_IFDIR): return "directory"
        case UInt32(S_IFLNK): return "symbolic link"
        case UInt32(S_IFREG): return "regular file"
        case UInt32(S_IFCHR): return "character device"
        case UInt32(S_IFBLK): return "block device"
        case UInt32(S_IFIFO): return "named pipe"
        case UInt32(S_IFSOCK): return "socket"
        default: return "special file"
        }
    }

    /// The mode as Go's `os.FileMode.String()` prints it, which container-structure-test compares against:
    /// type letters (`d`, `L`, `D`, `p`, `S`, `u`, `g`, `c`, `t`) or `-`, then `rwxrwxrwx`.
    public var goModeString: String {
        var letters = ""
        let type = mode & UInt32(S_IFMT)
        if type == UInt32(S_IFDIR) { letters += "d" }
        if type == UInt32(S_IFLNK) { letters += "L" }
        if type == UInt32(S_IFBLK) || type == UInt32(S_IFCHR) { letters += "D" }
        if type == UInt32(S_IFIFO) { letters += "p" }
        if type == UInt32(S_IFSOCK) { letters += "S" }
        if mode & UInt32(S_ISUID) != 0 { letters += "u" }
        if mode & UInt32(S_ISGID) != 0 { letters += "g" }
        if type == UInt32(S_IFCHR) { letters += "c" }
        if mode & UInt32(S_ISVTX) != 0 { letters += "t" }
        if letters.isEmpty { letters = "-" }
        let rwx = Array("rwxrwxrwx")
        for bit in 0..<9 {
            letters.append(mode & (UInt32(1) << UInt32(8 - bit)) != 0 ? rwx[bit] : "-")
        }
        return letters
    }
}
