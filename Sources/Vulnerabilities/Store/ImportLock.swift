import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Serialises imports into one database across processes with an exclusive `flock` on `DB.lock` beside it.
///
/// SQLite's own locks cannot do this alone: a first import builds a new file and renames it over the old one,
/// and a second importer waiting on the old file's lock would then write into a file nobody reads any more.
enum ImportLock {
    /// Runs `body` while holding the lock for the database at `path`; the kernel drops it if the process dies.
    static func holding<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VulnerabilityError.io(path: lockPath, reason: "cannot open the import lock: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw VulnerabilityError.io(path: lockPath, reason: "cannot take the import lock: \(String(cString: strerror(errno)))")
            }
        }
        return try body()
    }
}
