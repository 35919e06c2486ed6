import ContainerRuntime
import Foundation
import StructureTest
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects the element structure of an XML document, or the parser's error.
private final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text: [String: String] = [:]
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        current = name
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        current = nil
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current { text[current, default: ""] += string }
    }
}

@Suite("JUnit XML reports")
struct JUnitReportTests {
    static let report = StructureTestReport(results: [
        StructureTestResult(kind: .command, name: "hello <&> \"quoted\"", file: "tests/a.yaml", outcome: .passed,
                            stdout: "Hello World\n", duration: .milliseconds(120)),
        StructureTestResult(kind: .command, name: "control chars", file: "tests/a.yaml", outcome: .failed,
                            messages: ["expected 'x' not found in stdout: \"\u{1B}[31mred\u{0}\"", "exit code 1, expected 0"],
                            stdout: "\u{1B}[31mred\u{0}\u{7}\r\n", stderr: "Traceback ]]> <oops>", duration: .milliseconds(5)),
        StructureTestResult(kind: .fileExistence, name: "passwd", file: "tests/b.yaml", outcome: .failed,
                            messages: ["/etc/passwd should exist but does not"]),
        StructureTestResult(kind: .license, name: "#1", file: "tests/b.yaml", outcome: .skipped, messages: ["not checked"]),
    ])

    @Test("the XML is well-formed even with markup and control characters in names and output")
    func wellFormed() throws {
        let data = Data(Self.report.junitXML().utf8)
        let parser = XMLParser(data: data)
        let collector = XMLCollector()
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))\n\(Self.report.junitXML())")
        let names = collector.elements.map(\.name)
        #expect(names.first == "testsuites")
        #expect(names.count { $0 == "testsuite" } == 2)
        #expect(names.count { $0 == "testcase" } == 4)
        #expect(names.count { $0 == "failure" } == 2)
        #expect(names.count { $0 == "skipped" } == 1)
        let root = collector.elements[0].attributes
        #expect(root["tests"] == "4" && root["failures"] == "2" && root["skipped"] == "1")
        let first = try #require(collector.elements.first { $0.name == "testcase" }?.attributes)
        #expect(first["name"] == "Command Test: hello <&> \"quoted\"")
        #expect(first["classname"] == "a.Command Test")
        #expect(first["time"] == "0.120")
        #expect(collector.text["system-err"] == "Traceback ]]> <oops>")
    }

    @Test("written atomically where asked; the text report ends with the summary line")
    func writes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("junit-\(UUID()).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.report.writeJUnit(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.report.junitXML())
        #expect(Self.report.text.hasSuffix("1 passed, 2 failed, 1 skipped\n"))
        #expect(!Self.report.succeeded)
        #expect(throws: StructureTestError.self) { try Self.report.writeJUnit(to: "/nonexistent-dir/junit.xml") }
    }
}
