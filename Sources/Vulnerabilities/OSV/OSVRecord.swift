/// One OSV advisory, field for field as the OSV schema (1.6) defines it.
public struct OSVRecord: Sendable, Hashable, Codable {
    public var schemaVersion: String?
    public var id: String
    public var modified: String
    public var published: String?
    public var withdrawn: String?
    public var aliases: [String]?
    public var upstream: [String]?
    public var related: [String]?
    public var summary: String?
    public var details: String?
    public var severity: [OSVSeverity]?
    public var affected: [OSVAffected]?
    public var references: [OSVReference]?
    public var credits: [OSVCredit]?
    public var databaseSpecific: JSONValue?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, modified, published, withdrawn, aliases, upstream, related, summary, details, severity, affected, references, credits
        case databaseSpecific = "database_specific"
    }

    public init(id: String, modified: String) {
        self.id = id
        self.modified = modified
    }
}

/// A severity score: `type` is CVSS_V2, CVSS_V3, CVSS_V4 or Ubuntu; `score` the vector or rating.
public struct OSVSeverity: Sendable, Hashable, Codable {
    public var type: String
    public var score: String

    public init(type: String, score: String) {
        self.type = type
        self.score = score
    }
}

/// The package an advisory is about, and which of its versions are affected.
public struct OSVAffected: Sendable, Hashable, Codable {
    public var package: OSVPackage?
    public var severity: [OSVSeverity]?
    public var ranges: [OSVRange]?
    public var versions: [String]?
    public var ecosystemSpecific: JSONValue?
    public var databaseSpecific: JSONValue?

    enum CodingKeys: String, CodingKey {
        case package, severity, ranges, versions
        case ecosystemSpecific = "ecosystem_specific"
        case databaseSpecific = "database_specific"
    }

    public init(package: OSVPackage?, ranges: [OSVRange]? = nil, versions: [String]? = nil) {
        self.package = package
        self.ranges = ranges
        self.versions = versions
    }
}

/// `ecosystem` (e.g. `PyPI`, `Debian:12`, `Go`), the package's `name` in it, and its purl.
public struct OSVPackage: Sendable, Hashable, Codable {
    public var ecosystem: String
    public var name: String
    public var purl: String?

    public init(ecosystem: String, name: String, purl: String? = nil) {
        self.ecosystem = ecosystem
        self.name = name
        self.purl = purl
    }
}

/// A range of affected versions: `type` SEMVER, ECOSYSTEM or GIT, described by events.
public struct OSVRange: Sendable, Hashable, Codable {
    public var type: String
    public var repo: String?
    public var events: [OSVEvent]
    public var databaseSpecific: JSONValue?

    enum CodingKeys: String, CodingKey {
        case type, repo, events
        case databaseSpecific = "database_specific"
    }

    public init(type: String, events: [OSVEvent]) {
        self.type = type
        self.events = events
    }
}

/// One event of a range; exactly one of its fields is set.
public struct OSVEvent: Sendable, Hashable, Codable {
    public var introduced: String?
    public var fixed: String?
    public var lastAffected: String?
    public var limit: String?

    enum CodingKeys: String, CodingKey {
        case introduced, fixed, limit
        case lastAffected = "last_affected"
    }

    public init(introduced: String? = nil, fixed: String? = nil, lastAffected: String? = nil, limit: String? = nil) {
        self.introduced = introduced
        self.fixed = fixed
        self.lastAffected = lastAffected
        self.limit = limit
    }
}

/// A link: `type` ADVISORY, ARTICLE, DETECTION, DISCUSSION, REPORT, FIX, INTRODUCED, PACKAGE, EVIDENCE or WEB.
public struct OSVReference: Sendable, Hashable, Codable {
    public var type: String
    public var url: String

    public init(type: String, url: String) {
        self.type = type
        self.url = url
    }
}

/// Who found or fixed the issue.
public struct OSVCredit: Sendable, Hashable, Codable {
    public var name: String
    public var contact: [String]?
    public var type: String?
}
