import Foundation

/// A scan report in Trivy's JSON shape (`SchemaVersion: 2`), field for field for the fields distill fills,
/// so scripts and dashboards that read Trivy's JSON read this unchanged.
public struct TrivyReport: Sendable, Equatable, Codable {
    public var SchemaVersion: Int
    public var CreatedAt: String?
    public var ArtifactName: String
    public var ArtifactType: String
    public var Metadata: TrivyMetadata
    public var Results: [TrivyResult]

    /// The report for `report`; suppressed findings go to `ExperimentalModifiedFindings` when `showSuppressed`.
    public init(_ report: ScanReport, showSuppressed: Bool = false, createdAt: String? = nil) {
        SchemaVersion = 2
        CreatedAt = createdAt
        ArtifactName = report.subject.name
        ArtifactType = report.subject.name.hasSuffix(".json") ? "cyclonedx" : "container_image"
        let os = report.subject.osFamily.map { TrivyOS(Family: $0, Name: report.subject.osVersion ?? "") }
        Metadata = TrivyMetadata(OS: os)
        Results = ReportGroup.groups(report).map { group in
            let modified = group.suppressed.map { finding in
                TrivyModifiedFinding(
                    Type: "vulnerability", Status: "ignored", Statement: finding.suppression?.reason ?? "",
                    Source: finding.suppression.map { "ignore rule for \($0.id) at line \($0.line)" } ?? "", Finding: TrivyVulnerability(finding))
            }
            return TrivyResult(
                Target: group.target, Class: group.resultClass, Type: group.type,
                Vulnerabilities: group.findings.isEmpty ? nil : group.findings.map(TrivyVulnerability.init),
                ExperimentalModifiedFindings: showSuppressed && !modified.isEmpty ? modified : nil)
        }
    }

    /// Pretty-printed JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

public struct TrivyMetadata: Sendable, Equatable, Codable {
    public var OS: TrivyOS?
}

public struct TrivyOS: Sendable, Equatable, Codable {
    public var Family: String
    public var Name: String
}

public struct TrivyResult: Sendable, Equatable, Codable {
    public var Target: String
    public var Class: String
    public var `Type`: String
    public var Vulnerabilities: [TrivyVulnerability]?
    public var ExperimentalModifiedFindings: [TrivyModifiedFinding]?
}

public struct TrivyModifiedFinding: Sendable, Equatable, Codable {
    public var `Type`: String
    public var Status: String
    public var Statement: String
    public var Source: String
    public var Finding: TrivyVulnerability
}

public struct TrivyPackageIdentifier: Sendable, Equatable, Codable {
    public var PURL: String?
}

public struct TrivyCVSS: Sendable, Equatable, Codable {
    public var V3Vector: String?
    public var V3Score: Double?
    public var V40Vector: String?
    public var V40Score: Double?
}

public struct TrivyDataSource: Sendable, Equatable, Codable {
    public var ID: String
    public var Name: String
    public var URL: String
}

public struct TrivyVulnerability: Sendable, Equatable, Codable {
    public var VulnerabilityID: String
    public var VendorIDs: [String]?
    public var PkgID: String
    public var PkgName: String
    public var PkgIdentifier: TrivyPackageIdentifier
    public var InstalledVersion: String
    public var FixedVersion: String?
    public var Status: String
    public var SeveritySource: String
    public var PrimaryURL: String?
    public var DataSource: TrivyDataSource
    public var Title: String?
    public var Description: String?
    public var Severity: String
    public var CVSS: [String: TrivyCVSS]?
    public var References: [String]?
    public var PublishedDate: String?
    public var LastModifiedDate: String?

    init(_ finding: Finding) {
        VulnerabilityID = finding.vulnerabilityID
        VendorIDs = finding.recordID == finding.vulnerabilityID ? nil : [finding.recordID]
        PkgID = "\(finding.package.name)@\(finding.package.version)"
        PkgName = finding.package.name
        PkgIdentifier = TrivyPackageIdentifier(PURL: finding.package.purl)
        InstalledVersion = finding.package.version
        FixedVersion = finding.fixedVersion
        Status = finding.status.rawValue
        SeveritySource = finding.severity.source
        PrimaryURL = finding.primaryURL
        DataSource = TrivyDataSource(ID: "osv", Name: "OSV (offline database)", URL: "https://osv.dev")
        Title = finding.title
        Description = finding.details
        Severity = finding.severity.severity.rawValue
        if let vector = finding.severity.vector, let score = finding.severity.score {
            let v4 = finding.severity.source == "cvss-v4"
            CVSS = ["osv": TrivyCVSS(V3Vector: v4 ? nil : vector, V3Score: v4 ? nil : score, V40Vector: v4 ? vector : nil, V40Score: v4 ? score : nil)]
        }
        References = finding.references.isEmpty ? nil : finding.references
        PublishedDate = finding.published
        LastModifiedDate = finding.modified
    }
}
