/// Trivy's severity levels, from most to least severe.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case critical = "CRITICAL"
    case high = "HIGH"
    case medium = "MEDIUM"
    case low = "LOW"
    case unknown = "UNKNOWN"

    /// The CVSS qualitative rating of a score (0.0 has none: unknown).
    public init(score: Double) {
        switch score {
        case 9.0...: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        case 0.1..<4.0: self = .low
        default: self = .unknown
        }
    }

    /// A vendor's word for a level (`Moderate`, `important`, `negligible`…); nil when it names none.
    public init?(rating: String) {
        switch rating.uppercased() {
        case "CRITICAL": self = .critical
        case "HIGH", "IMPORTANT": self = .high
        case "MEDIUM", "MODERATE": self = .medium
        case "LOW", "NEGLIGIBLE", "MINOR": self = .low
        case "UNKNOWN": self = .unknown
        default: return nil
        }
    }

    /// 4 for critical down to 0 for unknown.
    public var rank: Int {
        switch self {
        case .critical: return 4
        case .high: return 3
        case .medium: return 2
        case .low: return 1
        case .unknown: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A record's severity, and where it came from.
public struct SeverityAssessment: Sendable, Equatable {
    public var severity: Severity
    /// `cvss-v3` or `cvss-v4` (computed from the vector), `database_specific` or `ecosystem_specific`
    /// (the record's own rating), or `none`.
    public var source: String
    /// The vector the score was computed from.
    public var vector: String?
    public var score: Double?

    public init(severity: Severity, source: String, vector: String?, score: Double?) {
        self.severity = severity
        self.source = source
        self.vector = vector
        self.score = score
    }

    /// Picks the severity for `record` as seen through `entry`: a CVSS v3 vector (the entry's, else the
    /// record's), else a CVSS v4 vector, else the record's own rating, else unknown.
    public static func assess(_ record: OSVRecord, entry: OSVAffected?) -> SeverityAssessment {
        let scores = (entry?.severity ?? []) + (record.severity ?? [])
        for severity in scores where severity.type == "CVSS_V3" {
            if let cvss = try? CVSS3(severity.score) {
                return SeverityAssessment(severity: Severity(score: cvss.baseScore), source: "cvss-v3", vector: cvss.vector, score: cvss.baseScore)
            }
        }
        for severity in scores where severity.type == "CVSS_V4" {
            if let cvss = try? CVSS4(severity.score) {
                return SeverityAssessment(severity: Severity(score: cvss.baseScore), source: "cvss-v4", vector: cvss.vector, score: cvss.baseScore)
            }
        }
        let places: [(String, JSONValue?)] = [
            ("ecosystem_specific", entry?.ecosystemSpecific), ("database_specific", entry?.databaseSpecific),
            ("database_specific", record.databaseSpecific),
        ]
        for (name, value) in places {
            if let rating = value?["severity"]?.stringValue, let severity = Severity(rating: rating) {
                return SeverityAssessment(severity: severity, source: name, vector: nil, score: nil)
            }
        }
        return SeverityAssessment(severity: .unknown, source: "none", vector: nil, score: nil)
    }
}
