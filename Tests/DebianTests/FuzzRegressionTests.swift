import Foundation
import Testing
import TestSupport

@testable import Debian

/// Inputs `make fuzz` found to crash a Debian parser, each kept as a test of the typed error that replaced the trap.
@Suite struct DebianFuzzRegressionTests {
    static func release(date: String, validUntil: String? = nil) -> Data {
        Data(
            """
            Suite: stable
            Codename: bookworm
            Date: \(date)
            \(validUntil.map { "Valid-Until: \($0)\n" } ?? "")SHA256:
             \(String(repeating: "ab", count: 32)) 1234 main/binary-amd64/Packages.xz

            """.utf8)
    }

    /// Foundation's DateFormatter traps ("Incorrect range CFRange") on a date whose seconds carry a combining mark.
    @Test("a date with non-ASCII characters is not a date, and never reaches DateFormatter", arguments: [
        "Sat, 12 Sep 2026 07:55:41\u{06EA}", "Sat, 12 Sep 2026 07:55:41\u{FFFD}\u{FFFD}", "Sat, 12 Sep 2026 07:55:4\u{0301}1 UTC",
    ])
    func nonASCIIDate(_ text: String) throws {
        #expect(ReleaseFile.parseDate(text) == nil)
        let release = try ReleaseFile(parsing: Self.release(date: text), file: "InRelease")
        #expect(release.date == nil)
        #expect(throws: DebianError.self) { try ReleaseFile(parsing: Self.release(date: "x", validUntil: text), file: "InRelease") }
        #expect(ReleaseFile.parseDate("Sat, 12 Sep 2026 07:55:41 UTC") != nil)
        // Longer than any real date: refused before DateFormatter (deb822 values arrive trimmed).
        #expect(ReleaseFile.parseDate("Sat, 12 Sep 2026 07:55:41 UTC" + String(repeating: " ", count: 100)) == nil)
    }

    @Test("the InRelease libFuzzer crashed on is split and parsed without a trap")
    func crashingInRelease() throws {
        let file = SharedTestData.packageRoot.appendingPathComponent("fuzz/regressions/clearsigned/date-with-combining-mark")
        let message = try ClearsignedMessage(try Data(contentsOf: file), file: "InRelease")
        let release = try ReleaseFile(parsing: message.message, file: "InRelease")
        #expect(release.date == nil)
        #expect(release.codename == "trixie")
    }
}
