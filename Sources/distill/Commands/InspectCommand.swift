import Audit
import ArgumentParser
import Foundation
import ImageFormat
import ImageTransport

/// `distill inspect IMAGE`: configuration, layers, largest files and efficiency of any image.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's configuration, layers (sizes, what made them), largest files and wasted bytes.",
        discussion: "Efficiency and wasted bytes are computed the way dive computes them (files rewritten or deleted by later layers).")

    @Argument(help: "The image, e.g. oci:build/app or docker-archive:app.tar.")
    var image: String

    @OptionGroup var registry: RegistryFlags

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "The architecture to read from a multi-platform image (default: the host's).")
    var arch: String?

    @Option(help: "How many of the largest files to list.")
    var top = 10

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: image))
        let source = try ImageReference(parsing: image).openSource()
        defer { source.close() }
        let inspection = try await Inspector.inspect(source, platform: arch.map { Platform(debianArchitecture: $0) }, largest: top)
        if json {
            FileHandle.standardOutput.write(try inspection.json())
        } else {
            print(inspection.text)
        }
    }
}
