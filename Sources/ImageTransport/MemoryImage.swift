import Archive
import Foundation
import ImageFormat
import Synchronization

/// An image held in memory: a source and a destination at once, for tests and small tools.
public final class MemoryImage: ImageSource, ImageDestination {
    public let reference: ImageReference
    public let supportsIndex: Bool
    private struct State {
        var blobs: [Digest: Data] = [:]
        var committedRoot: Descriptor?
    }
    private let state = Mutex(State())

    /// An empty image named `name` (`memory:NAME` in messages); `supportsIndex: false` behaves like a docker-archive.
    public init(name: String = "memory", supportsIndex: Bool = true) {
        reference = .memory(name: name)
        self.supportsIndex = supportsIndex
    }

    /// Every stored blob.
    public var blobs: [Digest: Data] { state.withLock { $0.blobs } }
    /// The committed root, if any.
    public var committedRoot: Descriptor? { state.withLock { $0.committedRoot } }

    public func rootDescriptor() async throws -> Descriptor {
        guard let root = committedRoot else { throw ImageTransportError.notFound(image: reference.description, what: "a committed image") }
        return root
    }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
        guard let data = blobs[digest] else { throw ImageTransportError.blobMissing(image: reference.description, digest: digest) }
        return DataSource(data)
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool { blobs[digest] != nil }

    public func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        let collected = DataSink()
        let verifying = VerifyingSink(inner: collected, expected: descriptor, what: "\(reference): blob \(descriptor.digest)")
        try await write(verifying)
        try verifying.verify()
        state.withLock { $0.blobs[descriptor.digest] = collected.data }
    }

    public func putBlob(_ descriptor: Descriptor, file: String) async throws {
        try await putBlob(descriptor, from: try FileSource(path: file))
    }

    public func commit(root: Descriptor) async throws {
        try state.withLock { (state) throws(ImageTransportError) in
            guard state.blobs[root.digest] != nil else { throw .blobMissing(image: reference.description, digest: root.digest) }
            state.committedRoot = root
        }
    }

    public func abort() async { state.withLock { $0 = State() } }

    /// Replaces a stored blob's bytes without updating any digest (to test tamper detection).
    public func tamper(_ digest: Digest, with data: Data) { state.withLock { $0.blobs[digest] = data } }
}
