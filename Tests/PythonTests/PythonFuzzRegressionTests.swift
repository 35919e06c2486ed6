import Foundation
import Python
import TestSupport
import Testing

/// Inputs the fuzz targets (`make fuzz`, the replay in `make test`) found to crash a Python parser.
@Suite struct PythonFuzzRegressionTests {
    static let url = "https://pypi.example/simple/x/"

    /// An attribute value whose quote never closes ran the scanner one byte past the page: `bytes[i..<close]`
    /// with i > close trapped ("Range requires lowerBound <= upperBound").
    @Test("a simple index page ending inside a quoted attribute is read without a trap", arguments: [
        #"<a href='x-1.0-py3-none-any.whl"#, #"<A HREF="x-1.0-py3-none-any.whl">x</a><a data-requires-python=">=3"#,
        #"<base href="https://pypi.example/"#,
    ])
    func unterminatedAttribute(_ html: String) throws {
        let files = try SimpleIndexPage.parseHTML(html, url: Self.url)
        #expect(files.count <= 1)
        #expect(files.allSatisfy { $0.url.hasPrefix("https://pypi.example/") })
    }

    @Test("the page the replay crashed on is refused with a typed error (its digest is cut off)")
    func savedInput() throws {
        let file = SharedTestData.packageRoot.appendingPathComponent("fuzz/regressions/simpleindex/unterminated-quote")
        let data = try Data(contentsOf: file)
        #expect(throws: PythonError.self) { try SimpleIndexPage.parse(data, contentType: "text/html", url: Self.url) }
    }
}
