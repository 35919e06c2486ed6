import Archive
import Foundation
import ImageFormat

/// Where an image is written. Nothing is visible at the destination until ``commit(root:)`` succeeds.
public protocol ImageDestination: AnyObject {
    /// The reference this destination was opened for, for messages.
    var reference: ImageReference { get }
    /// Whether the destination can hold a multi-platform index (docker-archive cannot).
    var supportsIndex: Bool { get }
    /// Whether a blob is already present (so a copy can skip it).
    func hasBlob(_ digest: Digest) -> Bool
    /// Stores a blob streamed from `source`, verifying it against `descriptor`.
    func putBlob(_ descriptor: Descriptor, from source: ByteSource) throws
    /// Stores a blob already written to a local file, moving it if possible; verifies size and digest.
    func putBlob(_ descriptor: Descriptor, file path: String) throws
    /// Makes the image visible: `root` is the top-level manifest or index, whose blob is already stored.
    func commit(root: Descriptor) throws
    /// Discards everything written; the destination is unusable afterwards.
    func abort()
}

extension ImageDestination {
    /// Stores small bytes (a manifest, a config) as a blob.
    public func putBlob(_ descriptor: Descriptor, data: Data) throws {
        try putBlob(descriptor, from: DataSource(data))
    }

    /// Encodes `value` canonically, stores it, and returns its descriptor.
    @discardableResult
    public func putJSON<T: Encodable>(_ value: T, mediaType: String, platform: Platform? = nil) throws -> Descriptor {
        let data = try CanonicalJSON.encode(value)
        let descriptor = Descriptor(
            mediaType: mediaType, digest: .sha256(of: data), size: Int64(data.count), platform: platform)
        try putBlob(descriptor, data: data)
        return descriptor
    }
}
