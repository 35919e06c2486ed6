import ArgumentParser
import SystemSupport
import ImageTransport

/// `distill pull REF DEST`: an image from a registry.
struct Pull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into oci:, oci-archive:, docker-archive: or dir:.",
        discussion: "Every manifest and blob is verified against its digest; the destination appears whole or not at all.")

    @Argument(help: "The registry reference, e.g. 127.0.0.1:5000/app:1.0 or python:3.11-slim.")
    var reference: String

    @Argument(help: "Where to write it, e.g. oci:app or docker-archive:app.tar.")
    var destination: String

    @Option(help: "Keep only this architecture of a multi-platform image (amd64, arm64).")
    var arch: String?

    @OptionGroup var registry: RegistryFlags

    func run() async throws {
        InterruptCleanup.install()
        let from = try ImageReference(parsing: reference)
        guard from.isRegistry else { throw ValidationError("'\(reference)' is not a registry reference (HOST[:PORT]/REPO[:TAG]); to read elsewhere use distill copy") }
        let to = try ImageReference(parsing: destination)
        try registry.install(credentialsFor: from)
        try await ImageCopy.run(from: from, to: to, arch: arch)
    }
}
