/// One advisory that affects one installed package.
public struct Finding: Sendable, Equatable {
    /// Whether an upgrade exists.
    public enum Status: String, Sendable, Codable {
        /// A fixed version exists (``Finding/fixedVersion``).
        case fixed
        /// No fix is known.
        case affected
    }

    /// The CVE the record is about when it names exactly one, else the record's own id (as Trivy reports them).
    public var vulnerabilityID: String
    /// The OSV record's id (`DEBIAN-CVE-…`, `PYSEC-…`, `GHSA-…`).
    public var recordID: String
    public var aliases: [String]
    public var package: ScannedPackage
    /// The version that upgrades out of the affected range, nil when none is known.
    public var fixedVersion: String?
    public var severity: SeverityAssessment
    public var title: String?
    public var details: String?
    /// The advisory's first ADVISORY reference, else its first reference.
    public var primaryURL: String?
    public var references: [String]
    public var published: String?
    public var modified: String?
    /// Set when an ignore rule hides this finding.
    public var suppression: IgnoreRule?

    public var status: Status { fixedVersion == nil ? .affected : .fixed }

    /// The id of the record, its chosen id and its aliases: what an ignore rule may name.
    public var allIDs: Set<String> { Set([vulnerabilityID, recordID] + aliases) }
}
