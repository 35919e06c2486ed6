import Archive
import Foundation
import ImageFormat
import SystemSupport

/// Where an image is written. Nothing is visible at the destination until ``commit(root:)`` succeeds.
///
/// A copy stores several blobs at once, so destinations are `Sendable` and ``putBlob(_:writing:)`` and
/// ``putBlob(_:file:)`` are safe to call from several tasks at once (for different digests).
public protocol ImageDestination: AnyObject, Sendable {
    /// The reference this destination was opened for, for messages.
    var reference: ImageReference { get }
    /// Whether the destination can hold a multi-platform index (docker-archive cannot).
    var supportsIndex: Bool { get }
    /// Whether a blob is already present (so a copy can skip it).
    func hasBlob(_ digest: Digest) async throws -> Bool
    /// Stores a blob whose bytes `write` puts into the sink it is given, verified against `descriptor`
    /// (size and digest) before it is kept; `write` must not finish the sink.
    func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws
    /// Stores a blob already written to a local file, moving it if possible; verifies size and digest.
    func putBlob(_ descriptor: Descriptor, file path: String) async throws
    /// Makes the blob present without sending its bytes, when `source` lets this destination take it over
    /// directly (a registry mounting a blob from another repository of the same registry). False: copy it.
    func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool
    /// Makes the image visible: `root` is the top-level manifest or index, whose blob is already stored.
    func commit(root: Descriptor) async throws
    /// Discards everything written; the destination is unusable afterwards.
    func abort() async
}

extension ImageDestination {
    public func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool { false }

    /// Stores a blob streamed from `source`, verifying it against `descriptor`.
    public func putBlob(_ descriptor: Descriptor, from source: any ByteSource) async throws {
        try await putBlob(descriptor) { sink in try source.copy(to: sink) }
    }

    /// Stores small bytes (a manifest, a config) as a blob.
    public func putBlob(_ descriptor: Descriptor, data: Data) async throws {
        try await putBlob(descriptor) { sink in try sink.write(data) }
    }

    /// Encodes `value` canonically, stores it, and returns its descriptor.
    @discardableResult
    public func putJSON<T: Encodable>(_ value: T, mediaType: String, platform: Platform? = nil) async throws -> Descriptor {
        let data = try CanonicalJSON.encode(value)
        let descriptor = Descriptor(
            mediaType: mediaType, digest: .sha256(of: data), size: Int64(data.count), platform: platform)
        try await putBlob(descriptor, data: data)
        return descriptor
    }
}

/// Writes a blob to a local file under a temporary name, checking size and digest, and renames it to `path`
/// only if both match: what a file-based destination does for ``ImageDestination/putBlob(_:writing:)``.
enum BlobFile {
    static func write(
        _ descriptor: Descriptor, to path: String, image: String, _ write: (any ByteSink) async throws -> Void
    ) async throws {
        try await AtomicWrite.produce(path) { temp in
            let verifying = VerifyingSink(inner: try FileSink(path: temp), expected: descriptor, what: "\(image): blob \(descriptor.digest)")
            try await write(verifying)
            try verifying.verify()
            try verifying.finish()
        }
    }
}
