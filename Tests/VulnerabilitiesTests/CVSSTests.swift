import Foundation
import Testing
import TestSupport
@testable import Vulnerabilities

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

@Suite struct CVSS4Tests {
    /// 600 vectors drawn by a fixed generator (base, threat and some environmental metrics), scored by the
    /// `cvss` library (PyPI) and by distill. They agree everywhere except where the unrounded score lies on a
    /// .x5 boundary: there FIRST's calculator (and distill) round up with a 1e-6 nudge, the library does not.
    @Test func agreesWithTheCVSSLibrary() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func pick(_ values: [String]) -> String {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return values[Int((state >> 33) % UInt64(values.count))]
        }
        var vectors: [String] = []
        for i in 0..<600 {
            var parts = [
                "AV:" + pick(["N", "A", "L", "P"]), "AC:" + pick(["L", "H"]), "AT:" + pick(["N", "P"]), "PR:" + pick(["N", "L", "H"]),
                "UI:" + pick(["N", "P", "A"]), "VC:" + pick(["H", "L", "N"]), "VI:" + pick(["H", "L", "N"]), "VA:" + pick(["H", "L", "N"]),
                "SC:" + pick(["H", "L", "N"]), "SI:" + pick(["H", "L", "N"]), "SA:" + pick(["H", "L", "N"]),
            ]
            if i % 3 == 1 { parts.append("E:" + pick(["X", "A", "P", "U"])) }
            if i % 5 == 2 {
                parts += ["CR:" + pick(["X", "H", "M", "L"]), "IR:" + pick(["H", "M", "L"]), "AR:" + pick(["H", "M", "L"])]
                parts += ["MSI:" + pick(["X", "S", "H", "L", "N"]), "MSA:" + pick(["X", "S", "N"]), "MAV:" + pick(["X", "N", "P"])]
            }
            vectors.append("CVSS:4.0/" + parts.joined(separator: "/"))
        }
        let output = try VulnFixtures.python(
            """
            import json, sys
            from cvss import CVSS4
            print(json.dumps([CVSS4(v).base_score for v in json.loads(sys.argv[1])]))
            """, [String(decoding: try JSONEncoder().encode(vectors), as: UTF8.self)])
        let expected = try JSONDecoder().decode([Double].self, from: Data(output.utf8))
        #expect(expected.count == vectors.count)
        var mismatches: [String] = []
        var boundaryCases = 0
        for (vector, score) in zip(vectors, expected) where try CVSS4(vector).baseScore != score {
            let raw = try CVSS4.unroundedScore(vector) * 10
            let onBoundary = abs(raw - (raw.rounded(.down) + 0.5)) < 1e-5
            let ours = try CVSS4(vector).baseScore
            if onBoundary && abs(ours - score - 0.1) < 1e-9 {
                boundaryCases += 1
            } else {
                mismatches.append("\(vector): \(try CVSS4(vector).baseScore) vs \(score)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(boundaryCases < 10)
    }

    @Test(arguments: [
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0),
    ])
    func knownScores(_ vector: String, _ score: Double) throws {
        #expect(try CVSS4(vector).baseScore == score)
    }

    @Test func usedOnlyWhenThereIsNoV3Vector() {
        var record = OSVRecord(id: "GHSA-y", modified: "2025-01-01T00:00:00Z")
        record.severity = [OSVSeverity(type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N")]
        #expect(SeverityAssessment.assess(record, entry: nil) == SeverityAssessment(
            severity: .medium, source: "cvss-v4", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", score: 6.9))
        record.severity?.append(OSVSeverity(type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        #expect(SeverityAssessment.assess(record, entry: nil).source == "cvss-v3")
    }
}
