import ArgumentParser
import SystemSupport
import ImageTransport

/// `distill copy SRC DST` (also `convert`): copy an image between any two references, registries included.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image from one reference to another (oci:, oci-archive:, docker-archive:, dir:, rootfs:, a registry).",
        discussion: """
            Every blob is verified against its digest on the way. A multi-platform image written to docker-archive: keeps one platform: \
            the host's, or the one given with --arch. Within one registry, blobs are mounted instead of sent again.
            """,
        aliases: ["convert"])

    @Argument(help: "The image to read, e.g. oci:build/app, docker-archive:app.tar or ghcr.io/org/app:1.")
    var source: String

    @Argument(help: "Where to write it, e.g. oci-archive:app.tar:latest or 127.0.0.1:5000/app:1.")
    var destination: String

    @Option(help: "Keep only this architecture (amd64, arm64).")
    var arch: String?

    @OptionGroup var registry: RegistryFlags

    func run() async throws {
        // Ctrl-C removes the staging folders before distill dies of it.
        InterruptCleanup.install()
        let from = try ImageReference(parsing: source)
        let to = try ImageReference(parsing: destination)
        try registry.install(credentialsFor: to.isRegistry ? to : from)
        try await ImageCopy.run(from: from, to: to, arch: arch)
    }
}
