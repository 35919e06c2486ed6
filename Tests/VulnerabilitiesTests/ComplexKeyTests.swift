import Foundation
import StrictYAML
import TestSupport
import Testing
import Vulnerabilities

/// Explicit complex keys (`? `) are refused before Yams composes the document: its duplicate-key check compares nested
/// complex keys in exponential time (the ignorefile fuzz target found 1.3 kB that ran for minutes).
@Suite struct ComplexKeyTests {
    @Test func theInputTheFuzzerHungOnIsRefusedAtItsFirstComplexKey() throws {
        let input = SharedTestData.packageRoot.appendingPathComponent("fuzz/regressions/ignorefile/nested-complex-keys")
        let text = String(decoding: try Data(contentsOf: input), as: UTF8.self)
        #expect { try IgnoreFile.parse(text, path: "ignore.yaml") } throws: { "\($0)".hasPrefix("ignore.yaml:3: a complex key ('? ') is not supported") }
    }

    @Test(arguments: [
        ("? a\n: b\n", 1, 1), ("ignore:\n  - ? id\n    : x\n", 2, 5), ("{? a: b}\n", 1, 2), ("top:\n  [x, ? y]\n", 2, 7),
    ])
    func explicitKeysAreFound(_ text: String, _ line: Int, _ column: Int) {
        #expect(StrictYAMLReader.explicitKey(in: text).map { [$0.line, $0.column] } == [line, column])
    }

    @Test(arguments: [
        "reason: what? no\n", "reason: \"? quoted\"\n", "reason: '? quoted'\n", "# ? a comment\nkey: v\n", "key: a ? b\n",
        "ignore:\n  - id: CVE-1 # why? because\n", "exclude: [\"*.pyc\", \"?x\"]\n",
    ])
    func aQuestionMarkInsideAValueIsNotAKey(_ text: String) {
        #expect(StrictYAMLReader.explicitKey(in: text) == nil)
    }
}
