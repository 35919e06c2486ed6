import ArgumentParser
import Foundation
import SystemSupport
import ImageFormat
import ImageTransport

/// `distill convert SRC DST`: copy an image between any two transports.
struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an image from one reference to another (oci:, oci-archive:, docker-archive:, dir:, rootfs:).",
        discussion: "Every blob is verified against its digest on the way. A multi-platform image written to docker-archive: keeps one platform: the host's, or the one given with --arch.")

    @Argument(help: "The image to read, e.g. oci:build/app or docker-archive:app.tar.")
    var source: String

    @Argument(help: "Where to write it, e.g. oci-archive:app.tar:latest.")
    var destination: String

    @Option(help: "Keep only this architecture (amd64, arm64).")
    var arch: String?

    func run() async throws {
        // Ctrl-C removes the staging folders before distill dies of it.
        InterruptCleanup.install()
        let from = try ImageReference(parsing: source)
        let to = try ImageReference(parsing: destination)
        let input = try from.openSource()
        defer { input.close() }
        let output = try to.openDestination()
        let copier = ImageCopier(
            platform: arch.map { Platform(debianArchitecture: $0) },
            notice: { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) })
        let root = try await copier.copy(from: input, to: output)
        print("\(to): \(root.digest)")
    }
}
