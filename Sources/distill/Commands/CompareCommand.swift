import ArgumentParser
import Foundation
import ImageFormat
import ImageTransport
import Report
import SystemSupport

/// `distill compare IMAGE…`: several images side by side, each against the first, and which one to ship.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare images: size, layers, packages, OS and runtimes, vulnerabilities, hardening, build time, and which to ship.",
        discussion: """
            Every figure is what inspect, sbom, scan and check say of the image. Vulnerabilities are counted when a database \
            exists (distill db update). The verdict: fewest CRITICAL, then fewest HIGH, then the smallest; debug images are \
            never chosen. Formats: table (terminal), markdown (README, pull request), json (scripts), html (one page with charts).
            """)

    @Argument(help: "Image references, e.g. oci:build/py311 oci:build/py313 docker-archive:old.tar; the first is the baseline.")
    var images: [String]

    @Option(help: "Names for the images, in order, separated by commas (default: from each reference).")
    var names: String?

    @Option(help: "table, json, markdown or html.")
    var format = "table"

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: "Also write the HTML page to this file (the spec's `--html report.html`), whatever --format prints.")
    var html: String?

    @OptionGroup var location: DB.Location

    @OptionGroup var registry: RegistryFlags

    @Option(help: "The architecture to read from multi-platform images (default: the host's).")
    var arch: String?

    func run() async throws {
        let format = try ComparisonFormat(name: format)
        let references = try images.map { try ImageReference(parsing: $0) }
        try registry.install(credentialsFor: references.first(where: \.isRegistry))
        let names = try Comparer.names(names, for: references)
        let comparer = Comparer(
            databasePath: location.path, platform: arch.map { Platform(debianArchitecture: $0) }, tool: "distill \(DistillVersion.current)")
        let report = try await comparer.compare(Array(zip(references, names)).map { (reference: $0.0, name: $0.1) })
        let data = try format.render(report)
        if let html { try AtomicWrite.write(try ComparisonFormat.html.render(report), to: html) }
        if let output {
            try AtomicWrite.write(data, to: output)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
