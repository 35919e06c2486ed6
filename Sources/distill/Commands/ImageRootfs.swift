import Foundation
import ImageTransport

/// Unpacks an image reference into a temporary root filesystem for the duration of `body`.
enum ImageRootfs {
    static func with<T>(_ reference: String, _ body: (RootfsUnpacker.Unpacked) async throws -> T) async throws -> T {
        let source = try ImageReference(parsing: reference).openSource()
        defer { source.close() }
        let scratch = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/distill-run"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let unpacked = try RootfsUnpacker.unpack(source, scratch: scratch)
        defer { if unpacked.isTemporary { try? FileManager.default.removeItem(atPath: unpacked.rootfs) } }
        return try await body(unpacked)
    }
}
