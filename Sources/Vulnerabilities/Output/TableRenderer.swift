/// A terminal table grouped by package, in the spirit of Trivy's.
public enum TableRenderer {
    /// The whole report: per group a title, its summary line and a table; warnings last.
    public static func render(_ report: ScanReport, showSuppressed: Bool = false) -> String {
        var out = ""
        let groups = ReportGroup.groups(report)
        if groups.isEmpty {
            out += "\(report.subject.name): no packages found that distill can match\n"
        }
        for group in groups {
            out += "\n\(group.target)\n\(String(repeating: "=", count: group.target.count))\n"
            let single = ScanReport.summaryLine(for: group.findings)
            out += single + "\n\n"
            if !group.findings.isEmpty { out += table(group.findings) }
            if showSuppressed && !group.suppressed.isEmpty {
                out += "\nSuppressed (\(group.suppressed.count)):\n" + table(group.suppressed, suppressed: true)
            }
        }
        for warning in report.warnings { out += "warning: \(warning)\n" }
        out += "\n" + report.summaryLine + "\n"
        return out
    }

    static func table(_ findings: [Finding], suppressed: Bool = false) -> String {
        var header = ["Library", "Vulnerability", "Severity", "Status", "Installed Version", "Fixed Version", "Title"]
        if suppressed { header.append("Reason") }
        var rows: [[String]] = []
        var groupStarts: Set<Int> = []
        var previous: String?
        for finding in findings {
            let key = finding.package.name + "@" + finding.package.version
            let first = key != previous
            if first { groupStarts.insert(rows.count) }
            previous = key
            var row = [
                first ? finding.package.name : "", finding.vulnerabilityID, finding.severity.severity.rawValue, finding.status.rawValue,
                first ? finding.package.version : "", finding.fixedVersion ?? "", truncate(finding.title ?? finding.primaryURL ?? "", 60),
            ]
            if suppressed { row.append(finding.suppression?.reason ?? "") }
            rows.append(row)
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        func cells(_ row: [String]) -> String {
            "│" + row.enumerated().map { " " + $1 + String(repeating: " ", count: widths[$0] - $1.count) + " " }.joined(separator: "│") + "│\n"
        }
        var out = line("┌", "┬", "┐") + cells(header) + line("├", "┼", "┤")
        for (index, row) in rows.enumerated() {
            if index > 0 && groupStarts.contains(index) { out += line("├", "┼", "┤") }
            out += cells(row)
        }
        return out + line("└", "┴", "┘")
    }

    private static func truncate(_ text: String, _ limit: Int) -> String {
        let single = text.split(separator: "\n").first.map(String.init) ?? ""
        return single.count <= limit ? single : String(single.prefix(limit - 1)) + "…"
    }
}

extension ScanReport {
    /// The summary line for any list of findings.
    static func summaryLine(for findings: [Finding]) -> String {
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity.severity, default: 0] += 1 }
        let parts = Severity.allCases.map { "\($0.rawValue): \(counts[$0] ?? 0)" }.joined(separator: ", ")
        return "Total: \(findings.count) (\(parts))"
    }
}
