import Foundation

/// The comparison as markdown for a README or a pull-request comment: the verdict, one table row per image with
/// each figure against the first, and the references compared.
public enum ComparisonMarkdown {
    /// The markdown, ending in a newline.
    public static func render(_ report: ComparisonReport) -> String {
        let present = report.database.present
        var lines: [String] = []
        if let verdict = report.verdict {
            lines.append("**Ship \(Escaping.markdown(verdict.name))**: \(Escaping.markdown(verdict.reason)).")
            lines.append("")
        }
        var header = ["image", "compressed", "unpacked", "layers", "OS packages", "language packages", "OS", "runtime"]
        var alignment = ["---", "---:", "---:", "---:", "---:", "---:", "---", "---"]
        if present {
            header += ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "total"]
            alignment += Array(repeating: "---:", count: 6)
        }
        header += ["check", "build time"]
        alignment += ["---", "---:"]
        lines.append(row(header))
        lines.append(row(alignment))
        for (index, image) in report.images.enumerated() {
            let relative = image.relativeToFirst
            var name = Escaping.markdown(image.name)
            if report.verdict?.image == index { name = "**\(name)** ✅" }
            var cells = [
                name,
                Figures.bytes(image.compressedSize) + note(Figures.sizeChange(relative?.compressedSizePercent)),
                Figures.bytes(image.unpackedSize) + note(Figures.sizeChange(relative?.unpackedSizePercent)),
                "\(image.layers)" + note(relative.map { Figures.difference($0.layers, "") }),
                "\(image.osPackages)" + note(relative.map { Figures.difference($0.osPackages, "") }),
                "\(image.languagePackages)" + note(relative.map { Figures.difference($0.languagePackages, "") }),
                Escaping.markdown(Figures.operatingSystem(image.os)), Escaping.markdown(Figures.runtimes(image.runtimes)),
            ]
            if present {
                let v = image.vulnerabilities
                let d = relative?.vulnerabilities
                cells += [
                    count(v?.critical, d?.critical), count(v?.high, d?.high), count(v?.medium, d?.medium), count(v?.low, d?.low),
                    count(v?.unknown, d?.unknown), count(v?.total, d?.total),
                ]
            }
            cells += [Escaping.markdown(Figures.hardening(image.hardening)), Figures.build(image)]
            lines.append(row(cells))
        }
        lines.append("")
        if let first = report.images.first, report.images.count > 1 {
            lines.append("Figures in brackets are against \(Escaping.markdown(first.name)); packages are OS (Debian, Alpine) and language (Python, Go).")
        }
        if !present { lines.append("Vulnerabilities: \(ComparisonReport.Database.missingNote).") }
        lines.append("")
        for image in report.images {
            lines.append("- \(Escaping.markdown(image.name)): \(Escaping.markdown(image.reference)), \(image.digest.encoded.prefix(12)), \(image.architecture)")
        }
        lines.append("")
        lines.append("Made by \(Escaping.markdown(report.tool)) compare.")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

    private static func note(_ text: String?) -> String { text.map { " (\($0))" } ?? "" }

    private static func count(_ value: Int?, _ delta: Int?) -> String {
        guard let value else { return "-" }
        return "\(value)" + note(delta.map { Figures.difference($0, "") })
    }
}
