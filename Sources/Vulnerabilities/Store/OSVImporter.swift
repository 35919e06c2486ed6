import Archive
import Foundation
import GRDB
import ImageFormat

/// What one import did.
public struct ImportReport: Sendable, Equatable {
    /// Per source: its key, and how many records were added, changed, removed or left alone.
    public struct SourceOutcome: Sendable, Equatable {
        public var key: String
        public var added = 0
        public var changed = 0
        public var removed = 0
        public var unchanged = 0
        /// True when the whole source was skipped because its bytes had not changed.
        public var skipped = false
    }

    public var sources: [SourceOutcome] = []
    /// True when the database had records in an older layout and was rebuilt from this import's sources alone.
    public var rebuiltOutdated = false

    /// True when nothing in the database changed.
    public var isNoChange: Bool { sources.allSatisfy { $0.added == 0 && $0.changed == 0 && $0.removed == 0 } }
}

/// Imports OSV records into a ``VulnerabilityStore``, whole or not at all: an import that is killed or fails
/// half-way leaves the previous database as it was.
///
/// Into a database that holds records, all paths go in one transaction (SQLite rolls its journal back after a
/// kill). Into an empty one (or one of an older layout) they go into a new file beside it, written without a
/// journal and indexed after the bulk insert, then renamed over it. Importing the same data again writes
/// nothing: a record whose bytes are unchanged is skipped, and a record that disappeared from its source is removed.
public struct OSVImporter {
    public let store: VulnerabilityStore
    /// Called every 1,000 records with the running count.
    public var progress: ((Int) -> Void)?

    public init(store: VulnerabilityStore, progress: ((Int) -> Void)? = nil) {
        self.store = store
        self.progress = progress
    }

    /// HTTP validators and the zip hash of a downloaded source, kept for the next update.
    public struct Validators: Sendable {
        public var sha256: String?
        public var etag: String?
        public var lastModified: String?

        public init(sha256: String? = nil, etag: String? = nil, lastModified: String? = nil) {
            self.sha256 = sha256
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    /// Imports every path (zip, folder or file); each is a source keyed by its absolute path.
    public func importPaths(_ paths: [String]) throws -> ImportReport {
        let files = try paths.map { p throws(VulnerabilityError) in try RecordFiles(path: p) }
        return try importSources(files.map { ($0, $0.path, Validators()) })
    }

    /// Imports `files` as the source `key` (a URL for `db update`), with its validators.
    public func importSources(_ sources: [(files: RecordFiles, key: String, validators: Validators)]) throws -> ImportReport {
        do {
            return try ImportLock.holding(store.path) {
                // Another import may have renamed a new file into place since this store was opened.
                try store.reopen()
                let layout = try store.queue.read { db in
                    (version: try VulnerabilityStore.layout(db), empty: try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM source) + (SELECT COUNT(*) FROM vulnerability)") == 0)
                }
                guard layout.version == VulnerabilityStore.schemaVersion, !layout.empty else {
                    var report = try importIntoNewFile(sources)
                    report.rebuiltOutdated = layout.version != VulnerabilityStore.schemaVersion && !layout.empty
                    return report
                }
                return try store.queue.writeWithoutTransaction { db in try importAll(sources, into: db) }
            }
        } catch let error as VulnerabilityError {
            throw error
        } catch {
            throw VulnerabilityError.database(path: store.path, reason: "\(error)")
        }
    }

    /// Imports every source inside one transaction on `db`; `beforeSummary` runs once the records are in.
    func importAll(
        _ sources: [(files: RecordFiles, key: String, validators: Validators)], into db: Database, beforeSummary: (Database) throws -> Void = { _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        var count = 0
        var wroteSources = false
        try db.inTransaction(.immediate) {
            for source in sources {
                report.sources.append(
                    try importSource(source.files, key: source.key, validators: source.validators, db: db, count: &count, wrote: &wroteSources))
            }
            try beforeSummary(db)
            let hasSummary = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metadata WHERE key = 'summary'") == 1
            if !report.isNoChange || wroteSources || !hasSummary { try VulnerabilityStore.writeMetadata(db, now: Self.now()) }
            return .commit
        }
        return report
    }

    private func importSource(
        _ files: RecordFiles, key: String, validators: Validators, db: Database, count: inout Int, wrote: inout Bool
    ) throws -> ImportReport.SourceOutcome {
        var outcome = ImportReport.SourceOutcome(key: key)
        let previous = try VulnerabilityStore.source(key, in: db)
        let zipHash: String? = files.kind == .zip ? try Digest.sha256(ofFile: files.path).encoded : nil
        if let zipHash, let previous, previous.sha256 == zipHash {
            outcome.skipped = true
            outcome.unchanged = previous.records
            if try refreshValidators(key: key, previous: previous, validators: validators, db: db) { wrote = true }
            return outcome
        }
        let existing = try Row.fetchAll(db, sql: "SELECT id, digest FROM vulnerability WHERE source = ?", arguments: [key])
        var known: [String: String] = [:]
        for row in existing { known[row[0]] = row[1] }
        var seen = Set<String>()
        let lookup = try db.cachedStatement(sql: "SELECT digest, source FROM vulnerability WHERE id = ?")
        let upsert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO vulnerability (id, modified, source, digest, record, card) VALUES (?, ?, ?, ?, ?, ?)")
        let clear = try db.cachedStatement(sql: "DELETE FROM affected WHERE vulnerability_id = ?")
        let link = try db.cachedStatement(sql: "INSERT INTO affected (vulnerability_id, ecosystem, name, entries) VALUES (?, ?, ?, ?)")
        let pipeline = RecordPipeline(files: files)
        defer { pipeline.cancel() }
        while let record = try pipeline.next() {
            seen.insert(record.id)
            count += 1
            if count % 1000 == 0 { progress?(count) }
            if known[record.id] == record.digest {
                outcome.unchanged += 1
                continue
            }
            let current = try Row.fetchOne(lookup, arguments: [record.id])
            if let current, current[0] as String == record.digest, current[1] as String == key {
                outcome.unchanged += 1
                continue
            }
            try upsert.execute(arguments: [record.id, record.modified, key, record.digest, record.data, record.card])
            // A new record has no rows to clear (and a first import has no index to find them by yet).
            if current == nil {
                outcome.added += 1
            } else {
                outcome.changed += 1
                try clear.execute(arguments: [record.id])
            }
            for package in record.packages {
                try link.execute(arguments: [record.id, package.ecosystem, package.name, package.entries])
            }
        }
        for id in known.keys where !seen.contains(id) {
            try db.execute(sql: "DELETE FROM affected WHERE vulnerability_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM vulnerability WHERE id = ?", arguments: [id])
            outcome.removed += 1
        }
        guard let sha = zipHash ?? pipeline.folderDigest else { throw VulnerabilityError.io(path: files.path, reason: "the source was not read to its end") }
        let records = seen.count
        let unchangedSource = previous?.sha256 == sha && previous?.records == records
        if !unchangedSource || outcome.added + outcome.changed + outcome.removed > 0 {
            try db.execute(
                sql: "INSERT OR REPLACE INTO source (key, sha256, etag, last_modified, records, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key, sha, validators.etag, validators.lastModified, records, Self.now()])
            wrote = true
        } else if let previous, try refreshValidators(key: key, previous: previous, validators: validators, db: db) {
            wrote = true
        }
        return outcome
    }

    /// Stores new HTTP validators for an unchanged source, only when they differ (so a no-op writes nothing).
    private func refreshValidators(key: String, previous: SourceInfo, validators: Validators, db: Database) throws -> Bool {
        guard validators.etag != nil || validators.lastModified != nil else { return false }
        guard validators.etag != previous.etag || validators.lastModified != previous.lastModified else { return false }
        try db.execute(
            sql: "UPDATE source SET etag = ?, last_modified = ? WHERE key = ?", arguments: [validators.etag, validators.lastModified, key])
        return true
    }

    static func now() -> String {
        RFC3339.string(Int64(Date().timeIntervalSince1970))
    }
}
