import Archive
import ArgumentParser
import Foundation
import ImageFormat
import ImageTransport
import SBOM
import SystemSupport

/// `distill sbom IMAGE`: the packages in any image, as SPDX 2.3 or CycloneDX 1.6 JSON.
struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Write the software bill of materials of an image (SPDX 2.3 or CycloneDX 1.6 JSON).",
        discussion: """
            Catalogs Debian (dpkg status, status.d), Alpine (apk), Python (dist-info, egg-info) and Go binaries (build info), \
            with the layer each package came from. The same image gives the same bytes. An image cataloged before (by sbom \
            or scan; the same manifest digest) is not read again.
            """)

    @Argument(help: "The image, e.g. oci:build/app, docker-archive:app.tar, dir:rootfs.")
    var image: String

    @OptionGroup var registry: RegistryFlags

    @Option(help: "spdx-json or cyclonedx-json.")
    var format = "spdx-json"

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "The architecture to read from a multi-platform image (default: the host's).")
    var arch: String?

    @Option(help: "The image's name in the document (default: from the reference, e.g. app for oci:build/app).")
    var name: String?

    @Flag(name: .long, help: "Read the image's layers even if it was cataloged before (catalogs are otherwise kept by manifest digest in $XDG_CACHE_HOME/distill/catalogs, shared with scan).")
    var noCache = false

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: image))
        let format = try SBOMFormat(name: format)
        let reference = try ImageReference(parsing: image)
        let source = try reference.openSource()
        defer { source.close() }
        let catalog = try await ImageCatalog.read(
            source, platform: arch.map { Platform(debianArchitecture: $0) }, name: name ?? ImageName.of(reference),
            cache: noCache ? nil : CatalogCache.standard())
        let data = try format.encode(catalog, tool: SBOMTool(name: "distill", version: DistillVersion.current))
        if let output {
            try AtomicWrite.write(data, to: output)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
