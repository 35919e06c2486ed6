import Crypto
import Foundation

/// A content digest such as `sha256:0123…`, validated on creation.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The hash algorithm, e.g. `sha256`.
    public let algorithm: String
    /// The lowercase hex encoding of the hash.
    public let encoded: String

    /// Parses `algorithm:hex`; throws if the algorithm is unknown or the hex is malformed.
    public init(_ string: String) throws(ImageFormatError) {
        guard let colon = string.firstIndex(of: ":") else { throw .invalidDigest(string) }
        let algorithm = String(string[..<colon])
        let encoded = String(string[string.index(after: colon)...])
        let expectedLength: Int
        switch algorithm {
        case "sha256": expectedLength = 64
        case "sha512": expectedLength = 128
        default: throw .invalidDigest(string)
        }
        guard encoded.utf8.count == expectedLength,
            encoded.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { throw .invalidDigest(string) }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// A digest whose parts are known to be well formed (the hex of a hash just computed here).
    fileprivate init(trustedAlgorithm algorithm: String, encoded: String) {
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// A sha256 digest from its 64 hex characters.
    public init(sha256Hex hex: String) throws(ImageFormatError) {
        try self.init("sha256:" + hex)
    }

    /// The sha256 digest of `bytes`.
    public static func sha256<Bytes: DataProtocol>(of bytes: Bytes) -> Digest {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public var description: String { "\(algorithm):\(encoded)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }
}

extension Digest: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(string)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid digest '\(string)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Incremental sha256 that yields a ``Digest``.
public struct SHA256Hasher {
    private var inner = SHA256()

    public init() {}

    /// Feeds more bytes.
    public mutating func update<Bytes: DataProtocol>(_ bytes: Bytes) { inner.update(data: bytes) }

    /// Feeds bytes from a raw buffer without copying.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) { inner.update(bufferPointer: buffer) }

    /// The digest of everything fed so far.
    public func finalize() -> Digest {
        let hex = inner.finalize().map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        // SHA-256 always gives 32 bytes, so this is 64 lowercase hex characters.
        return Digest(trustedAlgorithm: "sha256", encoded: hex)
    }
}
