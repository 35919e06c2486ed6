import Foundation
import ImageFormat

/// How `distill check` prints its report.
public enum CheckReportFormat: String, Sendable, CaseIterable {
    case table, json, sarif

    /// Parses a format name as the command line gives it.
    public init(name: String) throws(AuditError) {
        guard let format = CheckReportFormat(rawValue: name.lowercased()) else {
            throw .unknownFormat(name, expected: Self.allCases.map(\.rawValue))
        }
        self = format
    }

    /// The report in this format, ending in a newline.
    public func render(_ report: CheckReport, toolVersion: String) throws -> Data {
        switch self {
        case .table: return Data((report.table + "\n").utf8)
        case .json: return try Self.json(report)
        case .sarif: return try Self.json(report.sarif(toolVersion: toolVersion))
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value) + Data("\n".utf8)
        } catch {
            throw AuditError.encoding(what: String(describing: T.self), reason: "\(error)")
        }
    }
}

extension CheckReport {
    /// A table for a terminal, then a one-line summary.
    public var table: String {
        var lines: [String] = []
        if !findings.isEmpty {
            lines.append(Self.row("ID", "LEVEL", "RULE", "LOCATION", "MESSAGE"))
            for finding in findings {
                lines.append(Self.row(finding.ruleID, finding.level.rawValue, finding.rule, finding.location, finding.message))
            }
            lines.append("")
        }
        for item in ignored {
            lines.append("ignored \(item.finding.ruleID) \(item.finding.location): \(item.reason)")
        }
        let counts = CheckRule.Level.allCases.reversed().compactMap { level -> String? in
            let n = findings.filter { $0.level == level }.count
            return n == 0 ? nil : "\(n) \(level.rawValue)"
        }
        var summary = findings.isEmpty ? "\(reference): no findings" : "\(reference): \(findings.count) findings (\(counts.joined(separator: ", ")))"
        if !ignored.isEmpty { summary += ", \(ignored.count) ignored" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    private static func row(_ id: String, _ level: String, _ rule: String, _ location: String, _ message: String) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }
        return pad(id, 7) + pad(level, 9) + pad(rule, 19) + pad(location, 28) + message
    }

    /// The report as a SARIF 2.1.0 log; ignored findings appear as results with an external suppression.
    public func sarif(toolVersion: String) -> SARIFLog {
        let rules = CheckRule.all.map { rule in
            SARIFReportingDescriptor(
                id: rule.id, name: rule.name, shortDescription: SARIFMultiformatMessage(text: rule.summary),
                fullDescription: SARIFMultiformatMessage(text: rule.summary), help: SARIFMultiformatMessage(text: rule.fix),
                defaultConfiguration: SARIFReportingConfiguration(level: rule.level.rawValue),
                properties: SARIFPropertyBag(tags: ["security", "container"], precision: "high", securitySeverity: Self.severity(rule.level)))
        }
        func result(_ finding: Finding, suppression: String?) -> SARIFResult {
            let index = CheckRule.all.firstIndex { $0.id == finding.ruleID }
            let location: SARIFLocation
            if finding.location.hasPrefix("config.") {
                location = SARIFLocation(
                    physicalLocation: SARIFPhysicalLocation(artifactLocation: SARIFArtifactLocation(uri: Self.uri(reference))),
                    logicalLocations: [SARIFLogicalLocation(name: finding.location, fullyQualifiedName: finding.location, kind: "member")])
            } else {
                location = SARIFLocation(
                    physicalLocation: SARIFPhysicalLocation(artifactLocation: SARIFArtifactLocation(uri: Self.uri(String(finding.location.drop { $0 == "/" })))))
            }
            return SARIFResult(
                ruleId: finding.ruleID, ruleIndex: index, level: finding.level.rawValue,
                message: SARIFMessage(text: "\(finding.message). \(CheckRule.all[index ?? 0].fix)"), locations: [location],
                partialFingerprints: ["distill/v1": "\(digest) \(finding.ruleID) \(finding.location)"],
                suppressions: suppression.map { [SARIFSuppression(kind: "external", status: "accepted", justification: $0)] })
        }
        let results = findings.map { result($0, suppression: nil) } + ignored.map { result($0.finding, suppression: $0.reason) }
        return SARIFLog(runs: [
            SARIFRun(
                tool: SARIFTool(driver: SARIFToolComponent(name: "distill", version: toolVersion, semanticVersion: toolVersion, rules: rules)),
                results: results)
        ])
    }

    private static func severity(_ level: CheckRule.Level) -> String {
        switch level {
        case .error: return "8.0"
        case .warning: return "5.0"
        case .note: return "2.0"
        }
    }

    /// Percent-encodes what a URI reference may not hold as is.
    static func uri(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:@!$&'()*+,;=".unicodeScalars)
        var result = ""
        for scalar in text.unicodeScalars {
            if allowed.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { result += String(format: "%%%02X", byte) }
            }
        }
        return result
    }
}
