import ArgumentParser
import Foundation
import ImageBuild
import ImageTransport
import SystemSupport

/// `distill push IMAGE REF`: an image to a registry.
struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image (oci:, oci-archive:, docker-archive:, dir:, another registry) to a registry.",
        discussion: """
            Blobs the registry has are not sent again; the tag moves only once every blob and manifest is in place. \
            Credentials: --username/--password-stdin, else $REGISTRY_AUTH_FILE or podman's auth.json, else ~/.docker/config.json. \
            An image distill built goes with its SPDX and CycloneDX documents (<name>-<arch>.spdx.json and .cdx.json beside it), \
            pushed as OCI artifacts referring to each architecture's manifest; --sbom makes them for any other image, --no-sbom leaves them out.
            """)

    @Argument(help: "The image to push, e.g. oci:build/app.")
    var image: String

    @Argument(help: "The registry reference, e.g. 127.0.0.1:5000/app:1.0 or docker://ghcr.io/org/app:1.")
    var reference: String

    @Option(help: "Push only this architecture of a multi-platform image (amd64, arm64).")
    var arch: String?

    @Flag(inversion: .prefixedNo, help: "Attach SBOMs (OCI referrers): --sbom also for an image distill did not build (cataloged now); --no-sbom never. Default: when the build left them beside the image.")
    var sbom: Bool?

    @OptionGroup var registry: RegistryFlags

    func run() async throws {
        InterruptCleanup.install()
        let from = try ImageReference(parsing: image)
        let to = try ImageReference(parsing: reference)
        guard to.isRegistry else { throw ValidationError("'\(reference)' is not a registry reference (HOST[:PORT]/REPO[:TAG]); to write elsewhere use distill copy") }
        try registry.install(credentialsFor: to)
        let root = try await ImageCopy.run(from: from, to: to, arch: arch)
        let mode: SBOMAttachment.Mode = sbom.map { $0 ? .always : .never } ?? .whenBuilt
        try await SBOMAttachment.attachAfterPush(
            source: from, target: to, root: root, mode: mode, log: { FileHandle.standardError.write(Data("sbom: \($0)\n".utf8)) })
    }
}
