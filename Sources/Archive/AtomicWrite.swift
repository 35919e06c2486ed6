import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-or-nothing file and directory creation: write under a temporary name, then rename.
public enum AtomicWrite {
    /// A fresh temporary path beside `path` (same filesystem, so the final rename is atomic).
    public static func temporaryPath(beside path: String) -> String {
        let dir = FilePaths.directory(of: path)
        return (dir == "/" ? "" : dir) + "/.\(FilePaths.name(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Writes `data` to `path` so that readers see the old file or the whole new one, never a part.
    public static func write(_ data: Data, to path: String) throws(ArchiveError) {
        let temp = temporaryPath(beside: path)
        do {
            let sink = try FileSink(path: temp)
            try sink.write(data)
            try sink.finish()
        } catch {
            unlink(temp)
            throw error as? ArchiveError ?? .writeFailed(path: path, reason: "\(error)")
        }
        try rename(temp, to: path)
    }

    /// Renames `from` to `to`, replacing a file (not a non-empty directory) at `to`.
    public static func rename(_ from: String, to: String) throws(ArchiveError) {
        if Glibc.rename(from, to) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(from)
            throw .writeFailed(path: to, reason: reason)
        }
    }

    /// Runs `body` with a temporary path beside `path`, then renames it to `path`; removes the temporary on failure.
    public static func produce<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
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
}
