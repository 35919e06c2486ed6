import Foundation

/// A scan report as SARIF 2.1.0, for code-scanning dashboards: one rule per vulnerability, one result per
/// (package, vulnerability); suppressed findings carry a `suppressions` entry with the rule's reason.
public struct SARIFLog: Sendable, Equatable, Codable {
    public var schema: String
    public var version: String
    public var runs: [SARIFRun]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    /// The log for `report`; suppressed findings are included (as suppressed) when `showSuppressed`.
    public init(_ report: ScanReport, toolVersion: String, showSuppressed: Bool = false) {
        schema = "https://json.schemastore.org/sarif-2.1.0.json"
        version = "2.1.0"
        let findings = report.findings + (showSuppressed ? report.suppressed : [])
        var rules: [SARIFRule] = []
        var ruleIndex: [String: Int] = [:]
        var results: [SARIFResult] = []
        for finding in findings {
            let level = Self.level(finding.severity.severity)
            if ruleIndex[finding.vulnerabilityID] == nil {
                ruleIndex[finding.vulnerabilityID] = rules.count
                let summary = finding.title ?? finding.vulnerabilityID
                rules.append(
                    SARIFRule(
                        id: finding.vulnerabilityID, name: finding.package.ecosystem == "Debian" ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability",
                        shortDescription: SARIFMessage(text: summary), fullDescription: SARIFMessage(text: finding.details ?? summary),
                        helpUri: finding.primaryURL, help: SARIFMessage(text: "Vulnerability \(finding.vulnerabilityID)\nSeverity: \(finding.severity.severity.rawValue)\n\(finding.primaryURL ?? "")"),
                        defaultConfiguration: SARIFConfiguration(level: level),
                        properties: SARIFRuleProperties(
                            tags: ["vulnerability", "security", finding.severity.severity.rawValue],
                            precision: "very-high", securitySeverity: finding.severity.score.map { String(format: "%.1f", $0) })))
            }
            let text = """
                Package: \(finding.package.name)
                Installed Version: \(finding.package.version)
                Vulnerability \(finding.vulnerabilityID)
                Severity: \(finding.severity.severity.rawValue) (\(finding.severity.source))
                Fixed Version: \(finding.fixedVersion ?? "none")
                """
            let uri = Self.uri(for: report.subject.name)
            results.append(
                SARIFResult(
                    ruleId: finding.vulnerabilityID, ruleIndex: ruleIndex[finding.vulnerabilityID] ?? 0, level: level, message: SARIFMessage(text: text),
                    locations: [
                        SARIFLocation(
                            physicalLocation: SARIFPhysicalLocation(
                                artifactLocation: SARIFArtifactLocation(uri: uri, uriBaseId: "ROOTPATH"),
                                region: SARIFRegion(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1)),
                            message: SARIFMessage(text: "\(report.subject.name): \(finding.package.name)@\(finding.package.version)"))
                    ],
                    suppressions: finding.suppression.map { [SARIFSuppression(kind: "external", justification: $0.reason ?? "ignored by rule at line \($0.line)")] }))
        }
        runs = [
            SARIFRun(
                tool: SARIFTool(driver: SARIFDriver(name: "distill", informationUri: "https://github.com/distill/distill", version: toolVersion, rules: rules)),
                results: results, columnKind: "utf16CodeUnits", originalUriBaseIds: ["ROOTPATH": SARIFArtifactLocation(uri: "file:///", uriBaseId: nil)])
        ]
    }

    /// Pretty-printed JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .unknown: return "note"
        }
    }

    /// A relative URI for the scanned thing (an image reference is not a URI).
    static func uri(for name: String) -> String {
        let cleaned = name.replacingOccurrences(of: ":", with: "/")
        return cleaned.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) ?? "image"
    }
}

public struct SARIFRun: Sendable, Equatable, Codable {
    public var tool: SARIFTool
    public var results: [SARIFResult]
    public var columnKind: String
    public var originalUriBaseIds: [String: SARIFArtifactLocation]
}

public struct SARIFTool: Sendable, Equatable, Codable {
    public var driver: SARIFDriver
}

public struct SARIFDriver: Sendable, Equatable, Codable {
    public var name: String
    public var informationUri: String
    public var version: String
    public var rules: [SARIFRule]
}

public struct SARIFRule: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var shortDescription: SARIFMessage
    public var fullDescription: SARIFMessage
    public var helpUri: String?
    public var help: SARIFMessage
    public var defaultConfiguration: SARIFConfiguration
    public var properties: SARIFRuleProperties
}

public struct SARIFRuleProperties: Sendable, Equatable, Codable {
    public var tags: [String]
    public var precision: String
    public var securitySeverity: String?

    enum CodingKeys: String, CodingKey {
        case tags, precision
        case securitySeverity = "security-severity"
    }
}

public struct SARIFConfiguration: Sendable, Equatable, Codable {
    public var level: String
}

public struct SARIFMessage: Sendable, Equatable, Codable {
    public var text: String
}

public struct SARIFResult: Sendable, Equatable, Codable {
    public var ruleId: String
    public var ruleIndex: Int
    public var level: String
    public var message: SARIFMessage
    public var locations: [SARIFLocation]
    public var suppressions: [SARIFSuppression]?
}

public struct SARIFLocation: Sendable, Equatable, Codable {
    public var physicalLocation: SARIFPhysicalLocation
    public var message: SARIFMessage
}

public struct SARIFPhysicalLocation: Sendable, Equatable, Codable {
    public var artifactLocation: SARIFArtifactLocation
    public var region: SARIFRegion
}

public struct SARIFArtifactLocation: Sendable, Equatable, Codable {
    public var uri: String
    public var uriBaseId: String?
}

public struct SARIFRegion: Sendable, Equatable, Codable {
    public var startLine: Int
    public var startColumn: Int
    public var endLine: Int
    public var endColumn: Int
}

public struct SARIFSuppression: Sendable, Equatable, Codable {
    public var kind: String
    public var justification: String
}
