/// The summary `db status` shows, stored in the database after every import that changed it.
public struct DatabaseMetadata: Sendable, Equatable, Codable {
    /// The layout version of the SQLite tables.
    public var schemaVersion: Int
    /// Every import source (zip path or URL, or folder) and what was taken from it.
    public var sources: [SourceInfo]
    /// Advisories per OSV ecosystem (`Debian:12`, `PyPI`…); an advisory naming two ecosystems counts in both.
    public var counts: [String: Int]
    /// All advisories in the database.
    public var records: Int
    /// The newest `modified` timestamp of any advisory.
    public var newestModified: String?
    /// When the database last changed (UTC, ISO 8601).
    public var updatedAt: String

    public init(schemaVersion: Int, sources: [SourceInfo], counts: [String: Int], records: Int, newestModified: String?, updatedAt: String) {
        self.schemaVersion = schemaVersion
        self.sources = sources
        self.counts = counts
        self.records = records
        self.newestModified = newestModified
        self.updatedAt = updatedAt
    }
}

/// One place advisories were imported from.
public struct SourceInfo: Sendable, Equatable, Codable {
    /// The absolute path or URL.
    public var key: String
    /// SHA256 of the zip (or of a folder's files in name order).
    public var sha256: String?
    /// The HTTP validators of a download, sent back on the next `db update`.
    public var etag: String?
    public var lastModified: String?
    /// Advisories taken from it.
    public var records: Int
    /// When it was last imported (UTC, ISO 8601).
    public var importedAt: String

    public init(key: String, sha256: String?, etag: String?, lastModified: String?, records: Int, importedAt: String) {
        self.key = key
        self.sha256 = sha256
        self.etag = etag
        self.lastModified = lastModified
        self.records = records
        self.importedAt = importedAt
    }
}
