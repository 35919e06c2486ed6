import Foundation
import ImageTransport
import TestSupport
import Testing

/// Outputs named by a one-character relative path (`oci:x`) used to crash in Foundation's path splitting.
@Test(arguments: ["oci:x", "oci-archive:y", "docker-archive:z"])
func convertWritesToAOneCharacterRelativePath(_ destination: String) async throws {
    let dir = try TemporaryDirectory("short-path")
    try DistillCLI.makeRootfs(at: dir("root"))
    let result = try DistillCLI.run(["convert", "rootfs:root", destination], in: dir.path)
    #expect(result.status == 0, "\(result.stderr)")
    let written = String(destination.split(separator: ":")[1])
    #expect(FileManager.default.fileExists(atPath: dir(written)), "\(result.stderr)")
    // And it reads back as an image with the one layer.
    let reference = try ImageReference(parsing: destination.replacingOccurrences(of: ":" + written, with: ":" + dir(written)))
    let source = try reference.openSource()
    defer { source.close() }
    await #expect(try await source.images()[0].manifest.layers.count == 1)
}
