import Foundation
import ImageFormat
import Report
import TestSupport
import Testing

/// The renderers on a report made by hand: JSON round trip, the verdict's rule, relative figures, hostile names.
struct RenderingTests {
    static func image(
        _ name: String, compressed: Int64, unpacked: Int64, critical: Int, high: Int, debug: Bool = false, seconds: Double? = nil
    ) -> ImageComparison {
        ImageComparison(
            reference: "oci:build/\(name):latest", name: name, digest: Digest.sha256(of: Data(name.utf8)), architecture: "amd64",
            compressedSize: compressed, unpackedSize: unpacked, fileBytes: unpacked - 1000, layers: 2, osPackages: 30, languagePackages: 5,
            os: .init(id: "debian", versionID: "12", prettyName: "Distroless"),
            runtimes: [.init(name: "Python", version: "3.11.2", source: "python3.11 3.11.2-6+deb12u8")],
            vulnerabilities: .init(critical: critical, high: high, medium: 4, low: 1, unknown: 2, total: critical + high + 7),
            hardening: .init(
                rulesPassed: debug ? 13 : 15, rulesFailed: debug ? 2 : 0, errors: debug ? 1 : 0, warnings: 0, notes: 0, ignored: 0,
                failedRules: debug ? ["DI002", "DI015"] : [], notForProduction: debug),
            build: seconds.map { .init(seconds: $0, finished: "2026-07-11T10:00:00Z", variant: name) })
    }

    static let database = ComparisonReport.Database(path: "/tmp/vuln.db", present: true)

    @Test func theJSONReadsBackAsTheSameReport() throws {
        let report = ComparisonReport(
            images: [Self.image("py311", compressed: 30 << 20, unpacked: 90 << 20, critical: 1, high: 3, seconds: 1.25),
                     Self.image("py313", compressed: 20 << 20, unpacked: 60 << 20, critical: 0, high: 5, seconds: 0.5)],
            database: Self.database, tool: "distill 0.1.0")
        let data = try ComparisonFormat.json.render(report)
        #expect(try ComparisonFormat.decode(data) == report)
        // A report without a database leaves the counts out rather than writing zeros.
        var bare = Self.image("solo", compressed: 1, unpacked: 2, critical: 0, high: 0)
        bare.vulnerabilities = nil
        let missing = ComparisonReport(images: [bare], database: .init(path: "/nowhere", present: false), tool: "distill 0.1.0")
        let text = String(decoding: try ComparisonFormat.json.render(missing), as: UTF8.self)
        #expect(!text.contains("\"vulnerabilities\""))
        #expect(try ComparisonFormat.decode(Data(text.utf8)) == missing)
    }

    @Test func theVerdictTakesFewestCriticalThenHighThenSize() {
        let a = Self.image("a", compressed: 10, unpacked: 100, critical: 1, high: 0)
        let b = Self.image("b", compressed: 50, unpacked: 500, critical: 0, high: 9)
        let c = Self.image("c", compressed: 40, unpacked: 400, critical: 0, high: 9)
        let d = Self.image("d", compressed: 1, unpacked: 1, critical: 0, high: 0, debug: true)
        let report = ComparisonReport(images: [a, b, c, d], database: Self.database, tool: "t")
        #expect(report.verdict?.name == "c")
        #expect(report.verdict?.reason.contains("the smallest unpacked") == true, "\(report.verdict?.reason ?? "")")
        #expect(report.verdict?.notForProduction == ["d"])
        let fewerHigh = ComparisonReport(images: [b, Self.image("e", compressed: 90, unpacked: 900, critical: 0, high: 2)], database: Self.database, tool: "t")
        #expect(fewerHigh.verdict?.name == "e")
        #expect(fewerHigh.verdict?.reason.hasPrefix("fewest CRITICAL (0, as b) and fewest HIGH (2 vs 9 for b)") == true)
        let fewerCritical = ComparisonReport(images: [a, b], database: Self.database, tool: "t")
        #expect(fewerCritical.verdict?.name == "b")
        #expect(fewerCritical.verdict?.reason.hasPrefix("fewest CRITICAL (0 vs 1 for a)") == true)
    }

    @Test func figuresAreAgainstTheFirstImage() throws {
        let report = ComparisonReport(
            images: [Self.image("old", compressed: 300, unpacked: 3000, critical: 0, high: 1, seconds: 10),
                     Self.image("new", compressed: 100, unpacked: 1000, critical: 0, high: 3, seconds: 4)],
            database: Self.database, tool: "t")
        let relative = try #require(report.images[1].relativeToFirst)
        #expect(report.images[0].relativeToFirst == nil)
        #expect(Figures.sizeChange(relative.unpackedSizePercent) == "67 % smaller")
        #expect(relative.vulnerabilities?.high == 2)
        let words = try #require(Figures.relative(report.images[1]))
        #expect(words.contains("67 % smaller unpacked") && words.contains("+2 HIGH") && words.contains("±0 CRITICAL"), "\(words)")
        let table = ComparisonTable.render(report)
        #expect(table.contains("against old:") && table.contains("verdict: ship old"), "\(table)")
        let markdown = ComparisonMarkdown.render(report)
        #expect(markdown.contains("(67 % smaller)") && markdown.contains("3 (+2)"), "\(markdown)")
    }

    @Test func withoutADatabaseEveryFormatSaysSo() throws {
        var image = Self.image("app", compressed: 1, unpacked: 2, critical: 0, high: 0)
        image.vulnerabilities = nil
        let report = ComparisonReport(images: [image], database: .init(path: "/nowhere", present: false), tool: "t")
        for format in [ComparisonFormat.table, .markdown, .html] {
            let text = String(decoding: try format.render(report), as: UTF8.self)
            #expect(text.contains("no database: run distill db update"), "\(format)")
            #expect(!text.contains("CRITICAL") || format == .markdown && !text.contains("| CRITICAL"), "\(format)")
        }
    }

    /// A name made to break out of every format: HTML and SVG markup, a markdown table cell and link, terminal escapes.
    static let hostile = "<script>alert(1)</script>\"'&|[x](javascript:y)\u{1B}[31m\u{202E}"

    @Test func aHostileNameStaysText() throws {
        let report = ComparisonReport(
            images: [Self.image(Self.hostile, compressed: 10, unpacked: 20, critical: 0, high: 1),
                     Self.image("plain", compressed: 5, unpacked: 10, critical: 0, high: 0)],
            database: Self.database, tool: "t")
        let html = String(decoding: try ComparisonFormat.html.render(report), as: UTF8.self)
        #expect(!html.contains("<script"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{202E}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;|[x](javascript:y)"))
        let markdown = ComparisonMarkdown.render(report)
        #expect(!markdown.contains("<script") && !markdown.contains("[x](") && !markdown.contains("\u{1B}"))
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;\"'&amp;\\|\\[x\\](javascript:y)"), "\(markdown)")
        let table = ComparisonTable.render(report)
        #expect(!table.contains("\u{1B}") && !table.contains("\u{202E}"))
    }

    /// GitHub's markdown (cmark-gfm, raw HTML let through) reads the hostile name as one cell of plain text.
    @Test func githubMarkdownShowsTheHostileNameAsText() throws {
        let report = ComparisonReport(
            images: [Self.image(Self.hostile, compressed: 10, unpacked: 20, critical: 0, high: 1)], database: Self.database, tool: "t")
        let dir = try TemporaryDirectory("markdown")
        try ComparisonFormat.markdown.render(report).write(to: dir.path("compare.md"))
        let html = try Tool.check(["cmark-gfm", "--unsafe", "-e", "table", "-e", "autolink", dir("compare.md")])
        #expect(!html.contains("<script") && !html.contains("<a ") && !html.contains("<img"), "\(html)")
        let headers = html.matches(of: /<th[ >]/).count
        let cells = html.matches(of: /<td[ >]/).count
        #expect(headers == 16 && cells == headers, "the name's | split no cell: \(html)")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;'&amp;|[x](javascript:y)"), "\(html)")
    }
}
