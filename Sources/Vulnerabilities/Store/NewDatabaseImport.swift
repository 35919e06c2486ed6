import Archive
import Foundation
import SystemSupport
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension OSVImporter {
    /// A first import (or a rebuild of an older layout): the records go into a new file beside the database,
    /// with no journal and no syncing while it fills, and the indexes built once at the end; the file is then
    /// synced and renamed over the database. A kill leaves the previous file untouched and a stray temporary,
    /// which the next import removes.
    func importIntoNewFile(_ sources: [(files: RecordFiles, key: String, validators: Validators)]) throws -> ImportReport {
        try removeStrayTemporaries()
        let temp = AtomicWrite.temporaryPath(beside: store.path)
        defer { unlink(temp) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Nothing to roll back to in a file nobody reads yet: a failed import deletes it.
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536")
        }
        let queue = try DatabaseQueue(path: temp, configuration: configuration)
        let report = try queue.writeWithoutTransaction { db in
            try VulnerabilityStore.createTables(db)
            return try importAll(sources, into: db) { db in try VulnerabilityStore.createIndexes(db) }
        }
        try queue.close()
        try Self.sync(temp)
        // A rollback journal beside the database would be played back into the new file: there must be none.
        // (Reading the database under the import lock has already rolled back any a killed import left.)
        if FileManager.default.fileExists(atPath: store.path + "-journal") {
            throw VulnerabilityError.database(path: store.path, reason: "a rollback journal is still beside it; run the import again")
        }
        try AtomicWrite.rename(temp, to: store.path)
        try Self.sync(FilePaths.directory(of: store.path))
        try store.reopen()
        return report
    }

    /// Temporaries of imports that were killed: under the import lock no other import is writing one.
    private func removeStrayTemporaries() throws {
        let directory = FilePaths.directory(of: store.path)
        let prefix = "." + FilePaths.name(of: store.path) + ".tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            unlink(directory + "/" + name)
        }
    }

    /// Flushes a file or directory to disk, so the rename never publishes a file whose pages are still in memory only.
    private static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VulnerabilityError.io(path: path, reason: "cannot open to sync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw VulnerabilityError.io(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }
}
