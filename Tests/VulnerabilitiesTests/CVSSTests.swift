import Foundation
import Testing
import TestSupport
import Vulnerabilities

@Suite struct CVSSTests {
    @Test(arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8), ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 6.5), ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1), ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0),
    ])
    func knownScores(_ vector: String, _ score: Double) throws {
        #expect(try CVSS3(vector).baseScore == score)
    }

    @Test(arguments: ["CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "nonsense"])
    func refusesMalformedVectors(_ vector: String) {
        #expect(throws: VulnerabilityError.self) { try CVSS3(vector) }
    }

    /// Every CVSS v3 vector of the real records, scored by the `cvss` library (PyPI) and by distill.
    @Test func agreesWithTheCVSSLibraryOnEveryRealVector() throws {
        let vectors = Set(VulnFixtures.records.values.flatMap { ($0.severity ?? []).filter { $0.type == "CVSS_V3" }.map(\.score) }).sorted()
        #expect(vectors.count == 47)
        let output = try VulnFixtures.python(
            """
            import json, sys
            from cvss import CVSS3
            print(json.dumps([CVSS3(v).scores()[0] for v in json.load(sys.stdin)]))
            """.replacingOccurrences(of: "json.load(sys.stdin)", with: "json.loads(sys.argv[1])"),
            [String(decoding: try JSONEncoder().encode(vectors), as: UTF8.self)])
        let expected = try JSONDecoder().decode([Double].self, from: Data(output.utf8))
        for (vector, score) in zip(vectors, expected) {
            #expect(try CVSS3(vector).baseScore == score, "\(vector)")
        }
    }

    @Test func severityPrefersCVSSThenTheRecordsRating() {
        var record = OSVRecord(id: "GHSA-x", modified: "2024-01-01T00:00:00Z")
        record.databaseSpecific = .object(["severity": .string("MODERATE")])
        #expect(SeverityAssessment.assess(record, entry: nil) == SeverityAssessment(severity: .medium, source: "database_specific", vector: nil, score: nil))
        record.severity = [OSVSeverity(type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
        let assessed = SeverityAssessment.assess(record, entry: nil)
        #expect(assessed.severity == .critical)
        #expect(assessed.source == "cvss-v3")
        #expect(SeverityAssessment.assess(OSVRecord(id: "x", modified: "y"), entry: nil).severity == .unknown)
    }
}
