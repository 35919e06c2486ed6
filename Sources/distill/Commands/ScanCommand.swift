import ArgumentParser
import Foundation
import ImageTransport
import Vulnerabilities

/// `distill scan IMAGE|SBOM`: known vulnerabilities from the offline OSV database.
struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan an image (any reference) or a CycloneDX/SPDX JSON file against the offline vulnerability database.")

    @Argument(help: "An image reference (oci:DIR, docker-archive:FILE, dir:DIR…) or an SBOM file.")
    var target: String

    @OptionGroup var registry: RegistryFlags

    @OptionGroup var location: DB.Location

    @Option(name: .long, help: "table, json (Trivy's report shape) or sarif.")
    var format: String = "table"

    @Option(name: .long, help: "Only these severities, e.g. CRITICAL,HIGH.")
    var severity: String?

    @Flag(name: .long, help: "Leave out vulnerabilities that have no fixed version.")
    var ignoreUnfixed = false

    @Option(name: .long, help: "Exit with this code when any vulnerability is reported (default 0).")
    var exitCode: Int32 = 0

    @Option(name: [.customLong("ignore-file"), .customLong("ignore")], help: "An ignore file: YAML (ignore: [{id, package, expires, reason}]) or lines 'ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]'.")
    var ignoreFile: String?

    @Flag(name: .long, help: "Also list the findings the ignore file hides, with their reasons.")
    var showSuppressed = false

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "Read the image's layers even if it was scanned before (its package catalog is otherwise kept by manifest digest in $XDG_CACHE_HOME/distill/catalogs).")
    var noCache = false

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: target))
        guard let format = ScanFormat(rawValue: format) else { throw ValidationError("--format must be table, json or sarif") }
        var session = ScanSession(databasePath: location.path)
        session.format = format
        session.severities = try severity.map { try ScanSession.severities($0) } ?? []
        session.ignoreUnfixed = ignoreUnfixed
        session.ignoreFilePath = ignoreFile
        session.showSuppressed = showSuppressed
        session.toolVersion = DistillVersion.current
        session.catalogCache = noCache ? nil : ScanSession.defaultCatalogCache()
        let report = try await session.report(for: target)
        let text = try session.render(report)
        if let output {
            try ReportFile.write(text, to: output)
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
        if exitCode != 0 && !report.findings.isEmpty { throw ExitCode(exitCode) }
    }
}
