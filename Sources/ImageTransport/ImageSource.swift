import Archive
import Foundation
import ImageFormat

/// Where an image is read from. Every transport implements it; blobs are streamed and verified.
public protocol ImageSource: AnyObject {
    /// The reference this source was opened from, for messages.
    var reference: ImageReference { get }
    /// The descriptor of the selected top-level manifest or index (for a layout: the tagged entry).
    func rootDescriptor() throws -> Descriptor
    /// Opens a blob (manifest, config or layer) by digest, unverified; use ``openVerifiedBlob(_:)``.
    func openBlob(_ digest: Digest) throws -> ByteSource
    /// Releases temporary files; the source is unusable afterwards.
    func close()
}

extension ImageSource {
    /// Opens a blob that checks its size and digest as it is read, failing at the end if either is wrong.
    public func openVerifiedBlob(_ descriptor: Descriptor) throws -> ByteSource {
        VerifyingSource(
            inner: try openBlob(descriptor.digest), expected: descriptor,
            what: "\(reference): blob \(descriptor.digest)")
    }

    /// Reads a small blob (manifest, config) whole, verified.
    public func readBlob(_ descriptor: Descriptor, limit: Int = 16 << 20) throws -> Data {
        if descriptor.size > Int64(limit) {
            throw ImageTransportError.notAnImage(
                image: reference.description, reason: "\(descriptor.mediaType) \(descriptor.digest) is \(descriptor.size) bytes, too large for JSON")
        }
        let data = try openBlob(descriptor.digest).readAll(limit: limit, what: "\(reference) blob \(descriptor.digest)")
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
