import Archive
import Foundation
import ImageFormat

/// Where an image is read from. Every transport implements it; blobs are streamed and verified.
///
/// Sources are shared by the concurrent tasks of a copy, so they are `Sendable` and safe to call from
/// several tasks at once.
public protocol ImageSource: AnyObject, Sendable {
    /// The reference this source was opened from, for messages.
    var reference: ImageReference { get }
    /// The descriptor of the selected top-level manifest or index (for a layout: the tagged entry).
    func rootDescriptor() async throws -> Descriptor
    /// Opens a blob (manifest, config or layer) by digest, unverified; use ``openVerifiedBlob(_:)``.
    ///
    /// The returned source is read synchronously, so a transport whose bytes come over the network fetches
    /// the blob into private scratch space first rather than block a thread on the network while it is read.
    func openBlob(_ digest: Digest) async throws -> any ByteSource
    /// Streams `descriptor`'s blob into `sink`, failing unless size and digest match; `sink` is not finished.
    ///
    /// The default reads ``openVerifiedBlob(_:)``; a network transport streams straight into `sink`.
    func copyBlob(_ descriptor: Descriptor, into sink: any ByteSink) async throws
    /// Releases temporary files; the source is unusable afterwards.
    func close()
}

extension ImageSource {
    /// Opens a blob that checks its size and digest as it is read, failing at the end if either is wrong.
    public func openVerifiedBlob(_ descriptor: Descriptor) async throws -> any ByteSource {
        VerifyingSource(
            inner: try await openBlob(descriptor.digest), expected: descriptor,
            what: "\(reference): blob \(descriptor.digest)")
    }

    public func copyBlob(_ descriptor: Descriptor, into sink: any ByteSink) async throws {
        try await openVerifiedBlob(descriptor).copy(to: sink)
    }

    /// Reads a small blob (manifest, config) whole, verified.
    public func readBlob(_ descriptor: Descriptor, limit: Int = 16 << 20) async throws -> Data {
        if descriptor.size > Int64(limit) {
            throw ImageTransportError.notAnImage(
                image: reference.description, reason: "\(descriptor.mediaType) \(descriptor.digest) is \(descriptor.size) bytes, too large for JSON")
        }
        let data = try await openBlob(descriptor.digest).readAll(limit: limit, what: "\(reference) blob \(descriptor.digest)")
        do {
            try descriptor.verify(data, what: "\(descriptor.mediaType) \(descriptor.digest)")
        } catch {
            throw ImageTransportError.corrupt(image: reference.description, underlying: error)
        }
        return data
    }

    public func close() {}
}

/// Hashes a blob while it is read and throws at its end unless size and digest match.
public final class VerifyingSource: ByteSource {
    private let inner: ByteSource
    private let digest: Digest
    private let size: Int64?
    private let what: String
    private var hasher = SHA256Hasher()
    private var count: Int64 = 0
    private var verified = false

    /// Verifies against a descriptor's size and digest.
    public convenience init(inner: ByteSource, expected: Descriptor, what: String) {
        self.init(inner: inner, digest: expected.digest, size: expected.size, what: what)
    }

    /// Verifies against `digest`, and against `size` when one is known (a diff_id has none).
    public init(inner: ByteSource, digest: Digest, size: Int64?, what: String) {
        self.inner = inner
        self.digest = digest
        self.size = size
        self.what = what
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            count += Int64(n)
            if let size, count > size {
                throw ImageFormatError.sizeMismatch(what: what, expected: size, actual: count)
            }
            return n
        }
        if !verified {
            if let size, count != size {
                throw ImageFormatError.sizeMismatch(what: what, expected: size, actual: count)
            }
            let actual = hasher.finalize()
            if actual != digest {
                throw ImageFormatError.digestMismatch(what: what, expected: digest, actual: actual)
            }
            verified = true
        }
        return 0
    }
}

/// Hashes a blob while it is written, failing as soon as it grows past its size; ``verify()`` checks the end.
public final class VerifyingSink: ByteSink {
    private let inner: any ByteSink
    private let expected: Descriptor
    private let what: String
    private var hasher = SHA256Hasher()
    private var count: Int64 = 0

    /// Verifies what passes on to `inner` against `expected`'s size and digest.
    public init(inner: any ByteSink, expected: Descriptor, what: String) {
        self.inner = inner
        self.expected = expected
        self.what = what
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += Int64(bytes.count)
        if count > expected.size {
            throw ImageFormatError.sizeMismatch(what: what, expected: expected.size, actual: count)
        }
        hasher.update(bytes)
        try inner.write(bytes)
    }

    public func finish() throws { try inner.finish() }

    /// Throws unless exactly the expected bytes were written.
    public func verify() throws(ImageFormatError) {
        if count != expected.size { throw .sizeMismatch(what: what, expected: expected.size, actual: count) }
        let actual = hasher.finalize()
        if actual != expected.digest { throw .digestMismatch(what: what, expected: expected.digest, actual: actual) }
    }
}
