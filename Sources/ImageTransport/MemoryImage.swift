import Archive
import Foundation
import ImageFormat

/// An image held in memory: a source and a destination at once, for tests and small tools.
public final class MemoryImage: ImageSource, ImageDestination {
    public let reference: ImageReference
    public var supportsIndex: Bool
    /// Every stored blob.
    public private(set) var blobs: [Digest: Data] = [:]
    /// The committed root, if any.
    public private(set) var committedRoot: Descriptor?

    public init(name: String = "memory", supportsIndex: Bool = true) {
        reference = .registry("memory/\(name)")
        self.supportsIndex = supportsIndex
    }

    public func rootDescriptor() throws -> Descriptor {
        guard let committedRoot else { throw ImageTransportError.notFound(image: reference.description, what: "a committed image") }
        return committedRoot
    }

    public func openBlob(_ digest: Digest) throws -> ByteSource {
        guard let data = blobs[digest] else { throw ImageTransportError.blobMissing(image: reference.description, digest: digest) }
        return DataSource(data)
    }

    public func hasBlob(_ digest: Digest) -> Bool { blobs[digest] != nil }

    public func putBlob(_ descriptor: Descriptor, from source: ByteSource) throws {
        let verifying = VerifyingSource(inner: source, expected: descriptor, what: "\(reference): blob \(descriptor.digest)")
        blobs[descriptor.digest] = try verifying.readAll(limit: Int.max, what: descriptor.digest.description)
    }

    public func putBlob(_ descriptor: Descriptor, file: String) throws {
        try putBlob(descriptor, from: try FileSource(path: file))
    }

    public func commit(root: Descriptor) throws {
        guard blobs[root.digest] != nil else { throw ImageTransportError.blobMissing(image: reference.description, digest: root.digest) }
        committedRoot = root
    }

    public func abort() { blobs = [:] }

    /// Replaces a stored blob's bytes without updating any digest (to test tamper detection).
    public func tamper(_ digest: Digest, with data: Data) { blobs[digest] = data }
}
