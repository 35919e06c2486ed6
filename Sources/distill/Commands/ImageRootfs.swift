import Foundation
import ImageTransport

/// Unpacks an image reference into a private temporary root filesystem for the duration of `body`.
enum ImageRootfs {
    static func with<T>(_ reference: String, _ body: (RootfsUnpacker.Unpacked) async throws -> T) async throws -> T {
        let source = try ImageReference(parsing: reference).openSource()
        defer { source.close() }
        let unpacked = try await RootfsUnpacker.unpack(source)
        defer { try? unpacked.remove() }
        return try await body(unpacked)
    }
}
