import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-or-nothing file and directory creation, the one way distill writes a file others may read:
/// write under a temporary name on the same file system, flush it to disk, then rename over the target.
public enum AtomicWrite {
    /// A fresh temporary path beside `path` (same filesystem, so the final rename is atomic).
    public static func temporaryPath(beside path: String) -> String {
        let directory = FilePaths.directory(of: path)
        return (directory == "/" ? "" : directory) + "/.\(FilePaths.name(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes what a killed distill left beside `path`: temporaries (`.NAME.tmp-<pid>-…`, files or whole staged
    /// folders) whose process is gone. Another running distill's temporaries stay.
    public static func removeAbandonedTemporaries(beside path: String) {
        let directory = FilePaths.directory(of: path)
        let prefix = ".\(FilePaths.name(of: path)).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where ProcessLiveness.ownerIsGone(name, prefix: prefix) {
            // removeItem deletes a symlink itself, never what it points to.
            try? FileManager.default.removeItem(atPath: (directory == "/" ? "" : directory) + "/" + name)
        }
    }

    /// Writes `data` to `path` so that readers see the old file or the whole new one, never a part.
    /// `temporary` overrides where the bytes are staged (it must be on the same file system as `path`). `durable: false`
    /// skips the fsync, for hints that may be lost in a power cut (whole or absent still holds: the rename is atomic).
    public static func write(
        _ data: Data, to path: String, temporary: String? = nil, mode: mode_t = 0o644, durable: Bool = true
    ) throws(SystemError) {
        let temp = temporary ?? temporaryPath(beside: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        if fd < 0 { throw .call("open", path: temp, errno: errno) }
        var failure: SystemError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .call("write", path: temp, errno: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil && durable && fsync(fd) != 0 { failure = .call("fsync", path: temp, errno: errno) }
        close(fd)
        if let failure {
            unlink(temp)
            throw failure
        }
        try rename(temp, to: path)
    }

    /// Renames `from` to `to`, replacing a file (not a non-empty directory) at `to`; removes `from` on failure.
    public static func rename(_ from: String, to: String) throws(SystemError) {
        if Glibc.rename(from, to) != 0 {
            let code = errno
            unlink(from)
            throw .call("rename", path: to, errno: code)
        }
    }

    /// Runs `body` with a temporary path beside `path`, then renames it to `path`; removes the temporary on failure.
    public static func produce<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
        removeAbandonedTemporaries(beside: path)
        let temp = temporaryPath(beside: path)
        do {
            let result = try body(temp)
            try rename(temp, to: path)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

    /// ``produce(_:_:)`` for a body that awaits (a blob streamed from a network or another transport).
    public static func produce<T>(_ path: String, _ body: (String) async throws -> T) async throws -> T {
        let temp = temporaryPath(beside: path)
        do {
            let result = try await body(temp)
            try rename(temp, to: path)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }
}
