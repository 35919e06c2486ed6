import Foundation
import Testing
import TestSupport
import Vulnerabilities

/// The `distill` binary: exit codes, one-line errors, files written, `build --scan`.
@Suite struct CommandLineTests {
    static func distill(_ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil) throws -> ProcessResult {
        try Tool.run([VulnFixtures.distillBinary] + arguments, environment: environment, cwd: cwd)
    }

    @Test func exitCodeGatesOnWhatIsReported() throws {
        let dir = try TemporaryDirectory("cli")
        try ReportTests.sbom.write(toFile: dir("app.json"), atomically: true, encoding: .utf8)
        let db = VulnFixtures.shared.path
        let gated = try Self.distill(["scan", dir("app.json"), "--db", db, "--severity", "CRITICAL", "--exit-code", "4"])
        #expect(gated.status == 4)
        #expect(gated.stdout.contains("Total: ") && gated.stdout.contains("CRITICAL: "))
        let clean = """
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
              {"type": "library", "name": "PyYAML", "version": "6.0.2", "purl": "pkg:pypi/pyyaml@6.0.2"}]}
            """
        try clean.write(toFile: dir("clean.json"), atomically: true, encoding: .utf8)
        let passed = try Self.distill(["scan", dir("clean.json"), "--db", db, "--exit-code", "4"])
        #expect(passed.status == 0)
        #expect(passed.stdout.contains("Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0)"))

        let sarif = try Self.distill(["scan", dir("app.json"), "--db", db, "--format", "sarif", "--output", dir("out.sarif")])
        #expect(sarif.status == 0)
        let log = try JSONDecoder().decode(SARIFLog.self, from: Data(contentsOf: dir.path("out.sarif")))
        #expect(log.version == "2.1.0" && !log.runs[0].results.isEmpty)
    }

    @Test func errorsAreOneLine() throws {
        let dir = try TemporaryDirectory("cli")
        try ReportTests.sbom.write(toFile: dir("app.json"), atomically: true, encoding: .utf8)
        let missing = try Self.distill(["scan", dir("app.json"), "--db", dir("nothing.db")])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: no vulnerability database at \(dir("nothing.db"))"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let badImport = try Self.distill(["db", "import", dir("absent"), "--db", dir("v.db")])
        #expect(badImport.status == 1 && badImport.stderr.hasPrefix("error: "))
    }

    @Test func statusShowsSourcesAndCounts() throws {
        let status = try Self.distill(["db", "status", "--db", VulnFixtures.shared.path])
        #expect(status.status == 0)
        #expect(status.stdout.contains("records  2136"))
        #expect(status.stdout.contains("Debian:12") && status.stdout.contains("PyPI"))
        #expect(status.stdout.contains(VulnFixtures.osvFolder))
    }

    @Test func defaultDatabaseIsInTheCache() {
        #expect(VulnerabilityStore.defaultPath(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/distill/vuln.db")
        #expect(VulnerabilityStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.cache/distill/vuln.db")
    }

    /// `distill build --scan` prints the scan after the build, from the default database, and
    /// `--scan-exit-code` fails the build's exit status when something is found.
    @Test func buildScanPrintsTheTableAndGates() throws {
        let dir = try TemporaryDirectory("cli-build")
        let cache = dir.path("cache/distill")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let server = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        defer { server.stop() }
        try "base: base\ndistro: debian12\narchs: [amd64]\nmirror: \(server.baseURL)\nsuites: [bookworm]\n"
            .write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CACHE_HOME": dir("cache")]
        let withoutDB = try Self.distill(["build", "--scan", "--output", "oci:\(dir("out"))"], environment: environment, cwd: dir.path)
        #expect(withoutDB.status == 0, "\(withoutDB.stderr)")
        #expect(withoutDB.stderr.contains("no vulnerability database"))

        try FileManager.default.copyItem(atPath: VulnFixtures.shared.path, toPath: cache.path + "/vuln.db")
        let gated = try Self.distill(
            ["build", "--scan", "--scan-exit-code", "3", "--output", "oci:\(dir("out"))"], environment: environment, cwd: dir.path)
        #expect(gated.status == 3, "\(gated.stderr)")
        #expect(gated.stdout.contains("digest"))
        #expect(gated.stdout.contains("│ libssl3 "))
        #expect(gated.stdout.contains("Total: 12 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 12)"))
    }
}

@Suite struct ScanOptionTests {
    @Test func severityListsAreValidated() throws {
        #expect(try ScanSession.severities("critical, HIGH") == [.critical, .high])
        #expect(throws: VulnerabilityError.self) { try ScanSession.severities("CRITICAL,SEVERE") }
    }
}
