import Foundation
import Report
import TestSupport
import Testing

/// The HTML page as a browser shows it: Debian's headless Chromium renders the comparison of the presets and
/// examples (one image given a hostile name) to a PNG, and must log nothing from the page: no blocked fetch (the
/// page's policy forbids every network and file load), no script, no error.
@Suite(.serialized) struct BrowserTests {
    /// Would run script, load an image from the network and close the SVG if it were markup.
    static let hostile = "<img src=\"http://127.0.0.1:9/x.png\" onerror=\"alert(1)\"><script>alert(2)</script></svg>"

    @Test func chromiumRendersThePageWithoutConsoleMessages() async throws {
        let compared = try await ComparedImages.shared.compared()
        var images = compared.report.images
        images[1].name = Self.hostile
        let report = ComparisonReport(images: images, database: compared.report.database, tool: compared.report.tool)
        let dir = try TemporaryDirectory("compare-html")
        let page = dir("compare.html")
        try ComparisonFormat.html.render(report).write(to: URL(fileURLWithPath: page))
        let png = dir("compare.png")
        let width = 1280, height = 2600
        let result = try Tool.run([
            "timeout", "120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=" + dir("profile"), "--screenshot=" + png, "--window-size=\(width),\(height)",
            "--enable-logging=stderr", "--v=0", "file://" + page,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "the page logged: \(console.joined(separator: "\n"))")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        // IHDR: width and height, big-endian, right after the signature and the chunk header.
        #expect(data.count >= 24 && Self.bigEndian(data, at: 16) == width && Self.bigEndian(data, at: 20) == height)
        #expect(data.count > 50_000, "a page of tables and charts, not a blank screen (\(data.count) bytes)")
        // For a person to look at: DISTILL_COMPARE_OUTPUT=DIR keeps the page and the screenshot.
        if let keep = ProcessInfo.processInfo.environment["DISTILL_COMPARE_OUTPUT"], !keep.isEmpty {
            try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            for name in ["compare.html", "compare.png"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + name)
                try FileManager.default.copyItem(atPath: dir(name), toPath: keep + "/" + name)
            }
        }
    }

    static func bigEndian(_ data: Data, at offset: Int) -> Int {
        data[data.startIndex + offset..<data.startIndex + offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
}
