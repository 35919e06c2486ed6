import Archive
import Audit
import ArgumentParser
import Foundation
import ImageFormat
import ImageTransport
import SystemSupport

/// `distill check IMAGE`: hardening rules over any image, as a table, JSON or SARIF.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an image against hardening rules (root user, shells, setuid files, secrets…).",
        discussion: "Rules: " + CheckRule.all.map { "\($0.id) \($0.name)" }.joined(separator: ", ")
            + ". An ignore file lists accepted findings, each with a reason.")

    @Argument(help: "The image, e.g. oci:build/app or docker-archive:app.tar.")
    var image: String

    @OptionGroup var registry: RegistryFlags

    @Option(help: "table, json or sarif.")
    var format = "table"

    @Option(help: "Exit with this code when there is a finding that is not ignored.")
    var exitCode: Int32 = 0

    @Option(help: "A YAML file of accepted findings (ignore: [{id, path, reason}]).")
    var ignore: String?

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: "The architecture to read from a multi-platform image (default: the host's).")
    var arch: String?

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: image))
        let format = try CheckReportFormat(name: format)
        let ignoreList = try ignore.map { try IgnoreList(contentsOf: $0) } ?? IgnoreList()
        let source = try ImageReference(parsing: image).openSource()
        defer { source.close() }
        let report = try await HardeningCheck.run(source, platform: arch.map { Platform(debianArchitecture: $0) }, ignore: ignoreList)
        let data = try format.render(report, toolVersion: DistillVersion.current)
        if let output {
            try AtomicWrite.write(data, to: output)
        } else {
            FileHandle.standardOutput.write(data)
        }
        if !report.passed && exitCode != 0 { throw ExitCode(exitCode) }
    }
}
