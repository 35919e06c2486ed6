import Foundation

/// The comparison as one self-contained HTML page: the verdict, the table, bar charts of size and of
/// vulnerabilities by severity (inline SVG), and the details of each image. No script; the page's content
/// security policy forbids fetching anything, so it reads the same offline and prints on its own.
public enum ComparisonHTML {
    /// The page, ending in a newline.
    public static func render(_ report: ComparisonReport) -> String {
        let title = "Image comparison: " + report.images.map(\.name).joined(separator: ", ")
        var body: [String] = []
        body.append("<header><h1>Image comparison</h1><p class=\"meta\">\(report.images.count) image\(report.images.count == 1 ? "" : "s") · \(Escaping.html(report.tool)) compare · "
            + (report.database.present ? "vulnerabilities from \(Escaping.html(report.database.path))" : "<strong>\(Escaping.html(ComparisonReport.Database.missingNote))</strong>")
            + "</p></header>")
        if let verdict = report.verdict {
            body.append("<section class=\"verdict\"><h2>Verdict</h2><p><strong>Ship \(Escaping.html(verdict.name))</strong>: \(Escaping.html(verdict.reason)).</p></section>")
        }
        body.append("<section><h2>Figures</h2>\(table(report))")
        if let first = report.images.first, report.images.count > 1 {
            body.append("<p class=\"note\">Figures in brackets are against the first image, \(Escaping.html(first.name)). Packages: OS (Debian, Alpine) and language (Python, Go).</p>")
        }
        body.append("</section>")
        body.append("<section class=\"charts\"><figure><figcaption>Size</figcaption>\(BarChart.sizes(report.images).svg(id: "size-chart"))</figure>")
        if let chart = BarChart.vulnerabilities(report.images) {
            body.append("<figure><figcaption>Vulnerabilities by severity</figcaption>\(chart.svg(id: "vulnerability-chart"))</figure>")
        } else {
            body.append("<figure><figcaption>Vulnerabilities by severity</figcaption><p class=\"note\">\(Escaping.html(ComparisonReport.Database.missingNote))</p></figure>")
        }
        body.append("</section>")
        body.append("<section><h2>Images</h2>\(details(report))</section>")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Escaping.html(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    private static func table(_ report: ComparisonReport) -> String {
        let present = report.database.present
        var head = ["Image", "Compressed", "Unpacked", "Layers", "Packages<span class=\"rel\">OS + language</span>", "System"]
        if present { head += ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "Total"] }
        head += ["Check", "Build"]
        var rows: [String] = []
        for (index, image) in report.images.enumerated() {
            let relative = image.relativeToFirst
            var classes: [String] = []
            if report.verdict?.image == index { classes.append("chosen") }
            if image.hardening.notForProduction { classes.append("debug") }
            var name = "<span class=\"name\">\(Escaping.html(image.name))</span>"
            if report.verdict?.image == index { name += " <span class=\"badge ship\">ship</span>" }
            if image.hardening.notForProduction { name += " <span class=\"badge debug\">debug</span>" }
            let packages = relative.map { Figures.difference($0.osPackages, "") + " + " + Figures.difference($0.languagePackages, "").replacingOccurrences(of: "±0", with: "0") }
            var cells = [
                "<th scope=\"row\">\(name)</th>",
                number(Figures.bytes(image.compressedSize), Figures.sizeChange(relative?.compressedSizePercent)),
                number(Figures.bytes(image.unpackedSize), Figures.sizeChange(relative?.unpackedSizePercent)),
                number("\(image.layers)", relative.map { Figures.difference($0.layers, "") }),
                number(Figures.packages(image), packages),
                "<td>\(Escaping.html(Figures.operatingSystem(image.os)))"
                    + (image.runtimes.isEmpty ? "" : "<span class=\"rel\">\(Escaping.html(Figures.runtimes(image.runtimes)))</span>") + "</td>",
            ]
            if present {
                let v = image.vulnerabilities
                let d = relative?.vulnerabilities
                let pairs = [(v?.critical, d?.critical), (v?.high, d?.high), (v?.medium, d?.medium), (v?.low, d?.low), (v?.unknown, d?.unknown), (v?.total, d?.total)]
                cells += pairs.map { number($0.0.map(String.init) ?? "-", $0.1.map { Figures.difference($0, "") }) }
            }
            let check = image.hardening
            let rules = check.rulesPassed + check.rulesFailed
            var notes = check.failedRules
            if check.notForProduction { notes.append("not for production") }
            cells.append(
                "<td class=\"\(check.passed ? "pass" : "fail")\">\(check.passed ? "pass" : "fail") \(check.rulesPassed)/\(rules)"
                    + (notes.isEmpty ? "" : "<span class=\"rel\">\(Escaping.html(notes.joined(separator: ", ")))</span>") + "</td>")
            cells.append(number(Figures.build(image), nil))
            rows.append("<tr class=\"\(classes.joined(separator: " "))\">\(cells.joined())</tr>")
        }
        return "<div class=\"table\"><table><thead><tr>" + head.map { "<th scope=\"col\">\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
            + rows.joined(separator: "\n") + "\n</tbody></table></div>"
    }

    private static func number(_ value: String, _ relative: String?) -> String {
        "<td class=\"num\">\(Escaping.html(value))" + (relative.map { "<span class=\"rel\">(\(Escaping.html($0)))</span>" } ?? "") + "</td>"
    }

    private static func details(_ report: ComparisonReport) -> String {
        var items: [String] = []
        for image in report.images {
            var facts = [
                ("Reference", Escaping.html(image.reference)),
                ("Digest", "<code>\(Escaping.html(image.digest.description))</code>"),
                ("Platform", Escaping.html("linux/\(image.architecture)")),
                ("Files", Escaping.html(Figures.bytes(image.fileBytes))),
            ]
            if !image.runtimes.isEmpty {
                facts.append(("Runtimes", image.runtimes.map { Escaping.html("\($0.name) \($0.version) (from \($0.source))") }.joined(separator: "<br>")))
            }
            facts.append(("Check", Escaping.html(Figures.hardening(image.hardening) + "; \(image.hardening.errors) errors, \(image.hardening.warnings) warnings, \(image.hardening.notes) notes, \(image.hardening.ignored) ignored")))
            if let build = image.build {
                facts.append(("Built", Escaping.html("in \(Figures.seconds(build.seconds)), finished \(build.finished)" + (build.variant.map { ", variant \($0)" } ?? ""))))
            }
            if let relative = Figures.relative(image) { facts.append(("Against the first", Escaping.html(relative))) }
            items.append("<article><h3>\(Escaping.html(image.name))</h3><dl>" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl></article>")
        }
        return "<div class=\"details\">" + items.joined(separator: "\n") + "</div>"
    }

    static let style = """
        :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; }
        body { margin: 24px auto; max-width: 1200px; padding: 0 16px; font-size: 14px; line-height: 1.45; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; } h3 { font-size: 15px; margin: 0 0 6px; overflow-wrap: anywhere; }
        .meta, .note { color: #59636e; margin: 4px 0; overflow-wrap: anywhere; }
        .verdict { border: 2px solid #1a7f37; border-radius: 8px; padding: 4px 16px; background: #dafbe1; }
        .verdict h2 { margin-top: 8px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { border-bottom: 1px solid #d1d9e0; padding: 5px 7px; text-align: left; vertical-align: top; }
        .table { overflow-x: auto; }
        thead th { background: #f6f8fa; border-bottom: 2px solid #d1d9e0; white-space: nowrap; font-size: 12px; }
        tbody th { min-width: 8em; max-width: 16em; }
        .name { overflow-wrap: anywhere; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .rel { display: block; color: #59636e; font-size: 11px; }
        tr.chosen { background: #f0fff4; }
        tr.debug { background: #fff8e6; }
        td.fail { color: #9a3412; } td.pass { color: #1a7f37; }
        .badge { display: inline-block; font-size: 10px; font-weight: 700; text-transform: uppercase; border-radius: 4px; padding: 0 5px; margin-left: 4px; }
        .badge.ship { background: #1a7f37; color: #fff; } .badge.debug { background: #e8590c; color: #fff; }
        .charts { display: grid; grid-template-columns: 1fr; gap: 16px; }
        figure { margin: 0; border: 1px solid #d1d9e0; border-radius: 8px; padding: 10px 12px; }
        figcaption { font-weight: 600; margin-bottom: 6px; }
        svg.chart { width: 100%; max-width: 880px; height: auto; font-size: 12px; font-family: inherit; fill: #1f2328; display: block; }
        .details { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; }
        article { border: 1px solid #d1d9e0; border-radius: 8px; padding: 10px 12px; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
        dt { color: #59636e; } dd { margin: 0; overflow-wrap: anywhere; }
        code { font-size: 12px; }
        @page { size: A4 landscape; margin: 12mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 11px; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          section, figure, article, tr { break-inside: avoid; }
          .table { overflow: visible; }
        }
        """
}
