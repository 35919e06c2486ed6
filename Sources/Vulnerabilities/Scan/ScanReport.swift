/// The findings of one scan after the user's filters: what the outputs print and the exit code counts.
public struct ScanReport: Sendable {
    /// What to show.
    public struct Filter: Sendable {
        /// Only these severities; empty for all.
        public var severities: Set<Severity> = []
        /// Hide findings that have no fixed version.
        public var ignoreUnfixed = false
        public var ignoreFile: IgnoreFile?
        /// `YYYY-MM-DD`, for ignore-rule expiry.
        public var today: String = IgnoreFile.today()

        public init() {}
    }

    public var subject: ScanSubject
    /// Findings to report, in package order.
    public var findings: [Finding]
    /// Findings hidden by an ignore rule (each with its ``Finding/suppression``).
    public var suppressed: [Finding]
    public var warnings: [String]

    /// Applies `filter` to a scanner's outcome.
    public init(subject: ScanSubject, outcome: VulnerabilityScanner.Outcome, filter: Filter) {
        self.subject = subject
        warnings = outcome.warnings
        var shown: [Finding] = []
        var hidden: [Finding] = []
        for var finding in outcome.findings {
            if !filter.severities.isEmpty && !filter.severities.contains(finding.severity.severity) { continue }
            if filter.ignoreUnfixed && finding.fixedVersion == nil { continue }
            if let rule = filter.ignoreFile?.rule(for: finding, today: filter.today) {
                finding.suppression = rule
                hidden.append(finding)
            } else {
                shown.append(finding)
            }
        }
        for rule in filter.ignoreFile?.rules ?? [] where rule.isExpired(today: filter.today) {
            warnings.append("\(filter.ignoreFile?.path ?? "ignore file"):\(rule.line): the rule for \(rule.id) expired on \(rule.expires ?? "")")
        }
        findings = shown
        suppressed = hidden
    }

    /// Findings per severity, every level present (0 when none).
    public var counts: [Severity: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        for finding in findings { counts[finding.severity.severity, default: 0] += 1 }
        return counts
    }

    /// `Total: N (CRITICAL: a, HIGH: b, MEDIUM: c, LOW: d, UNKNOWN: e)`.
    public var summaryLine: String {
        let counts = self.counts
        let parts = Severity.allCases.map { "\($0.rawValue): \(counts[$0] ?? 0)" }.joined(separator: ", ")
        return "Total: \(findings.count) (\(parts))"
    }
}
