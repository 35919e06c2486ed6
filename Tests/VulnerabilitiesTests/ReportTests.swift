import Foundation
import Testing
import TestSupport
import Vulnerabilities

/// Outputs over a scan with every severity, fixed and unfixed findings, read by other programs.
@Suite struct ReportTests {
    static let sbom = """
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
         "components": [
          {"type": "operating-system", "name": "debian", "version": "12.15"},
          {"type": "library", "name": "libssl3", "version": "3.0.20-1~deb12u2",
           "purl": "pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12"},
          {"type": "library", "name": "mindsdb", "version": "23.12.4.0", "purl": "pkg:pypi/mindsdb@23.12.4.0"},
          {"type": "library", "name": "vantage6", "version": "3.0.0", "purl": "pkg:pypi/vantage6@3.0.0"},
          {"type": "library", "name": "Jinja2", "version": "2.10", "purl": "pkg:pypi/jinja2@2.10"}
         ]}
        """

    static func subject() throws -> ScanSubject { try CycloneDXReader.read(Data(sbom.utf8), file: "app.cdx.json") }

    static func report(_ configure: (inout ScanReport.Filter) -> Void = { _ in }) throws -> ScanReport {
        let store = try VulnerabilityStore(path: VulnFixtures.shared.path, readOnly: true)
        let subject = try subject()
        var filter = ScanReport.Filter()
        filter.today = "2026-06-01"
        configure(&filter)
        return ScanReport(subject: subject, outcome: try VulnerabilityScanner(store: store).scan(subject), filter: filter)
    }

    @Test func theScanHasEverySeverityAndBothStatuses() throws {
        let report = try Self.report()
        let counts = report.counts
        #expect(Severity.allCases.allSatisfy { (counts[$0] ?? 0) > 0 }, "\(counts)")
        #expect(report.findings.contains { $0.status == .affected })
        #expect(report.findings.contains { $0.status == .fixed })
        #expect(report.findings.contains { $0.severity.source == "cvss-v3" && $0.severity.vector != nil })
    }

    /// A consumer of Trivy's JSON (SchemaVersion 2, Results[].Vulnerabilities[]) counts what the summary line says.
    @Test func trivyJSONReadsLikeTrivys() throws {
        let report = try Self.report()
        let dir = try TemporaryDirectory("report")
        try TrivyReport(report).encoded().write(to: dir.path("report.json"))
        let output = try VulnFixtures.python(
            """
            import collections, json, sys
            report = json.load(open(sys.argv[1]))
            assert report["SchemaVersion"] == 2, report["SchemaVersion"]
            counts = collections.Counter()
            rows = []
            for result in report.get("Results") or []:
                for v in result.get("Vulnerabilities") or []:
                    counts[v["Severity"]] += 1
                    assert v["Status"] in ("fixed", "affected")
                    assert (v["Status"] == "fixed") == bool(v.get("FixedVersion"))
                    rows.append([v["PkgName"], v["InstalledVersion"], v["VulnerabilityID"], v.get("FixedVersion", ""), v["Severity"], v["SeveritySource"]])
            total = sum(counts.values())
            print("Total: %d (%s)" % (total, ", ".join("%s: %d" % (s, counts[s]) for s in ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"])))
            print(json.dumps(sorted(rows)))
            """, [dir("report.json")])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == report.summaryLine)
        let rows = try JSONDecoder().decode([[String]].self, from: Data(lines[1].utf8))
        let expected = report.findings.map {
            [$0.package.name, $0.package.version, $0.vulnerabilityID, $0.fixedVersion ?? "", $0.severity.severity.rawValue, $0.severity.source]
        }
        #expect(rows == expected.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func sarifValidatesAgainstTheSchema() throws {
        var filterFile = IgnoreFile(path: "ignore", rules: [])
        filterFile.rules = [IgnoreRule(id: "CVE-2019-10906", package: nil, expires: nil, reason: "not reachable", line: 1)]
        let report = try Self.report { $0.ignoreFile = filterFile }
        let dir = try TemporaryDirectory("report")
        let log = SARIFLog(report, toolVersion: "0.1.0", showSuppressed: true)
        try log.encoded().write(to: dir.path("report.sarif"))
        let output = try VulnFixtures.python(
            """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            jsonschema.validators.validator_for(schema)(schema).validate(log)
            results = log["runs"][0]["results"]
            print(len(results), sum(1 for r in results if r.get("suppressions")), len(log["runs"][0]["tool"]["driver"]["rules"]))
            """, [SharedTestData.path("schemas/sarif-schema-2.1.0.json"), dir("report.sarif")])
        let numbers = output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers == [report.findings.count + 1, 1, Set((report.findings + report.suppressed).map { $0.vulnerabilityID }).count])
        #expect(try JSONDecoder().decode(SARIFLog.self, from: log.encoded()) == log)
    }

    @Test func theSchemaCheckCanFail() throws {
        let dir = try TemporaryDirectory("report")
        try #"{"version": "2.1.0", "runs": [{"results": []}]}"#.write(toFile: dir("bad.sarif"), atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) {
            try VulnFixtures.python(
                "import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\njsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[2])))",
                [SharedTestData.path("schemas/sarif-schema-2.1.0.json"), dir("bad.sarif")])
        }
    }

    @Test func trivyReportRoundTrips() throws {
        let report = TrivyReport(try Self.report(), createdAt: "2026-01-01T00:00:00Z")
        #expect(try JSONDecoder().decode(TrivyReport.self, from: report.encoded()) == report)
    }

    @Test func tableIsGroupedByPackageWithASummary() throws {
        let report = try Self.report()
        let table = TableRenderer.render(report)
        #expect(table.hasSuffix(report.summaryLine + "\n"))
        #expect(table.contains("app.cdx.json (debian 12.15)"))
        #expect(table.contains("\nPython\n"))
        // Each package's name once, however many findings it has.
        let libssl = table.split(separator: "\n").filter { $0.contains("│ libssl3 ") }
        #expect(libssl.count == 1)
        #expect(report.findings.filter { $0.package.name == "libssl3" }.count == 12)
    }

    @Test func severityAndUnfixedFilters() throws {
        let all = try Self.report()
        let severe = try Self.report { $0.severities = [.critical, .high] }
        #expect(!severe.findings.isEmpty)
        #expect(severe.findings.allSatisfy { $0.severity.severity >= .high })
        #expect(severe.findings.count == all.findings.filter { $0.severity.severity >= .high }.count)
        let fixedOnly = try Self.report { $0.ignoreUnfixed = true }
        #expect(fixedOnly.findings.allSatisfy { $0.fixedVersion != nil })
        #expect(fixedOnly.findings.count == all.findings.filter { $0.fixedVersion != nil }.count)
    }

    @Test func ignoreFileRulesWithPackagesAndExpiry() throws {
        let yaml = """
            ignore:
              - id: CVE-2019-10906
                package: jinja2
                reason: templates are not user-controlled
              - id: CVE-2020-28493
                expires: 2026-01-31
                reason: expired, so it no longer hides anything
              - id: DEBIAN-CVE-2026-35189
                package: libssl3
                expires: 2027-01-01
            """
        let file = try IgnoreFile.parse(yaml, path: "ignore.yaml")
        let report = try Self.report { $0.ignoreFile = file }
        #expect(Set(report.suppressed.map(\.vulnerabilityID)) == ["CVE-2019-10906", "CVE-2026-35189"])
        #expect(report.findings.contains { $0.vulnerabilityID == "CVE-2020-28493" })
        #expect(report.warnings.contains { $0.contains("ignore.yaml:") && $0.contains("CVE-2020-28493") && $0.contains("expired") })
        #expect(report.suppressed.first { $0.vulnerabilityID == "CVE-2019-10906" }?.suppression?.reason == "templates are not user-controlled")
        let table = TableRenderer.render(report, showSuppressed: true)
        #expect(table.contains("templates are not user-controlled"))
        let json = TrivyReport(report, showSuppressed: true)
        #expect(json.Results.flatMap { $0.ExperimentalModifiedFindings ?? [] }.count == 2)

        let simple = try IgnoreFile.parse("# accepted risks\nCVE-2019-10906 jinja2 exp:2030-01-01 # not reachable\nCVE-2020-28493\n", path: ".trivyignore")
        #expect(simple.rules.count == 2)
        #expect(simple.rules[0] == IgnoreRule(id: "CVE-2019-10906", package: "jinja2", expires: "2030-01-01", reason: "not reachable", line: 2))
        #expect(throws: VulnerabilityError.self) { try IgnoreFile.parse("CVE-1 exp:tomorrow\n", path: "x") }
        #expect(throws: VulnerabilityError.self) { try IgnoreFile.parse("ignore:\n  - package: x\n", path: "x.yaml") }
        #expect(throws: VulnerabilityError.self) { try IgnoreFile.parse("ignore:\n  - id: x\n    colour: red\n", path: "x.yaml") }
    }
}
