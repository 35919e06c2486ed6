import Audit
import AuditFixtures
import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// The report formats, the ignore file and the command's exit code.
struct CheckReportTests {
    /// An image that breaks three rules: a shell, a setuid file and a secret in the environment.
    static func badImage(in dir: TemporaryDirectory) async throws -> ImageReference {
        try await HandMadeImage.write(
            layers: [HandMadeImage.tree(HardeningCheckTests.clean + [
                ("bin/busybox", HandMadeImage.file("ELF", mode: 0o755)), ("usr/bin/ping", HandMadeImage.file("ELF", mode: 0o4755)),
            ])],
            config: ContainerConfig(user: "65532", env: ["PATH=/usr/local/bin", "DB_PASSWORD=hunter2"], entrypoint: ["/usr/local/bin/app"]),
            to: dir("image"))
    }

    @Test func sarifValidatesAgainstTheSchemaAndCarriesSuppressions() async throws {
        let dir = try TemporaryDirectory("sarif")
        let ignore = try IgnoreList(yaml: "ignore:\n  - id: setuid-setgid\n    path: /usr/bin/ping\n    reason: ping needs raw sockets here\n", file: "ignore.yaml")
        let report = try await HardeningCheck.run(try await Self.badImage(in: dir).openSource(), ignore: ignore)
        #expect(report.findings.map(\.ruleID) == ["DI002", "DI010"])
        #expect(report.ignored.map(\.finding.ruleID) == ["DI004"])
        #expect(report.ignored.first?.reason == "ping needs raw sockets here")
        // The secret's value never appears in a report.
        for format in CheckReportFormat.allCases {
            let data = try format.render(report, toolVersion: "0.1.0")
            #expect(!String(decoding: data, as: UTF8.self).contains("hunter2"), "\(format)")
            try data.write(to: dir.path("report.\(format.rawValue)"))
        }
        try PythonTools.run(
            """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
            results = log["runs"][0]["results"]
            assert [r["ruleId"] for r in results] == ["DI002", "DI010", "DI004"], results
            assert results[2]["suppressions"][0]["justification"] == "ping needs raw sockets here"
            rules = log["runs"][0]["tool"]["driver"]["rules"]
            assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
            """, [SharedTestData.path("schemas/sarif-schema-2.1.0.json"), dir("report.sarif")])
        let decoded = try JSONDecoder().decode(CheckReport.self, from: try Data(contentsOf: dir.path("report.json")))
        #expect(decoded == report)
        let sarif = try JSONDecoder().decode(SARIFLog.self, from: try Data(contentsOf: dir.path("report.sarif")))
        #expect(sarif == report.sarif(toolVersion: "0.1.0"))
        #expect(String(decoding: try Data(contentsOf: dir.path("report.table")), as: UTF8.self).contains("2 findings (1 error, 1 warning), 1 ignored"))
    }

    @Test func rulesAndIgnoreEntriesSurviveAJSONRoundTrip() throws {
        for rule in CheckRule.all {
            #expect(try JSONDecoder().decode(CheckRule.self, from: try JSONEncoder().encode(rule)) == rule)
        }
        let entry = IgnoreList.Entry(rule: "DI002", location: "/bin/sh", reason: "debug")
        #expect(try JSONDecoder().decode(IgnoreList.Entry.self, from: try JSONEncoder().encode(entry)) == entry)
    }

    @Test(arguments: [
        ("ignore:\n  - id: DI002\n", 2, "has no reason"),
        ("ignore:\n  - id: DI999\n    reason: x\n", 2, "unknown rule 'DI999'"),
        ("ignore:\n  - id: DI002\n    reason: x\n    until: 2025\n", 4, "unknown key 'until'"),
        ("skip: []\n", 1, "unknown key 'skip'"),
    ])
    func badIgnoreFilesAreRefusedAtTheirLine(_ yaml: String, _ line: Int, _ message: String) {
        #expect {
            try IgnoreList(yaml: yaml, file: "ignore.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("ignore.yaml:\(line):") && text.contains(message)
        }
    }

    /// The built `distill` beside the test bundle.
    static var distill: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("distill").path
    }

    @Test func theCommandExitsWithTheCodeAskedForOnlyWhenSomethingIsNotIgnored() async throws {
        let dir = try TemporaryDirectory("check-cli")
        _ = try await Self.badImage(in: dir)
        let image = "oci:" + dir("image")
        let failing = try Tool.run([Self.distill, "check", image, "--exit-code", "3"])
        #expect(failing.status == 3, "\(failing.stderr)")
        #expect(failing.stdout.contains("DI002"))
        try "ignore:\n  - {id: shell, reason: debug image}\n  - {id: DI004, reason: ping}\n  - {id: secret-env, reason: test value}\n"
            .write(toFile: dir("ignore.yaml"), atomically: true, encoding: .utf8)
        let passing = try Tool.run([Self.distill, "check", image, "--exit-code", "3", "--ignore", dir("ignore.yaml"), "--format", "json"])
        #expect(passing.status == 0, "\(passing.stderr)")
        #expect(passing.stdout.contains("\"reason\" : \"debug image\""))
        let wrong = try Tool.run([Self.distill, "check", image, "--format", "xml"])
        #expect(wrong.status == 1 && wrong.stderr.hasPrefix("error: unknown format 'xml'"), "\(wrong.stderr)")
    }
}
