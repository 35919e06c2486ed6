import Foundation

/// The comparison as a terminal table: one row per image, then each image against the first, then the verdict.
public enum ComparisonTable {
    /// The table, ending in a newline.
    public static func render(_ report: ComparisonReport) -> String {
        let present = report.database.present
        var header = ["IMAGE", "COMPRESSED", "UNPACKED", "LAYERS", "PACKAGES", "OS", "RUNTIME"]
        if present { header += ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "TOTAL"] }
        header += ["CHECK", "BUILD"]
        var rows = [header]
        for image in report.images {
            var row = [
                Escaping.terminal(image.name), Figures.bytes(image.compressedSize), Figures.bytes(image.unpackedSize), "\(image.layers)",
                Figures.packages(image), Escaping.terminal(Figures.operatingSystem(image.os)), Escaping.terminal(Figures.runtimes(image.runtimes)),
            ]
            if present {
                let v = image.vulnerabilities
                row += [v?.critical, v?.high, v?.medium, v?.low, v?.unknown, v?.total].map { $0.map(String.init) ?? "-" }
            }
            row += [Figures.hardening(image.hardening), Figures.build(image)]
            rows.append(row)
        }
        var lines = Self.aligned(rows, rightAligned: Set(1...4).union(present ? Set(7...12) : []))
        lines.append("PACKAGES: OS + language.")
        if let first = report.images.first, report.images.count > 1 {
            lines.append("")
            lines.append("against \(Escaping.terminal(first.name)):")
            let width = report.images.dropFirst().map { Escaping.terminal($0.name).count }.max() ?? 0
            for image in report.images.dropFirst() {
                let name = Escaping.terminal(image.name)
                lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (Figures.relative(image) ?? ""))
            }
        }
        lines.append("")
        if !present { lines.append(ComparisonReport.Database.missingNote) }
        if let verdict = report.verdict {
            lines.append("verdict: ship \(Escaping.terminal(verdict.name)): \(Escaping.terminal(verdict.reason))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns padded to their widest cell, two spaces apart; numbers right-aligned.
    static func aligned(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let last = index == row.count - 1
                line += rightAligned.contains(index) ? padding + cell : cell + (last ? "" : padding)
                if !last { line += "  " }
            }
            return line
        }
    }
}
