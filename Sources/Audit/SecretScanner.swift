import Foundation
import SBOM

/// Looks for private keys and cloud access keys in the content of small non-binary files, as they stream past.
public final class SecretScanner: LayerObserver {
    /// What was found in one file.
    public enum Kind: String, Sendable, Hashable {
        case privateKey
        case awsAccessKey
    }

    /// Files larger than this are not read (keys and credentials files are small).
    static let limit = 1 << 20
    private var found: [String: (layer: Int, kinds: Set<Kind>)] = [:]

    public init() {}

    public func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        guard entry.kind == .regular, let path = entry.path else { return nil }
        found[path] = nil
        guard entry.size > 0, entry.size <= Int64(Self.limit) else { return nil }
        return Buffer { [weak self] data in
            let kinds = SecretPatterns.kinds(in: data)
            if !kinds.isEmpty { self?.found[path] = (entry.layer, kinds) }
        }
    }

    /// The files of the final tree holding secrets, by path.
    public func secrets(in tree: FileTree) -> [String: Set<Kind>] {
        var result: [String: Set<Kind>] = [:]
        for (path, value) in found where tree.entry(at: path)?.layer == value.layer {
            result[path] = value.kinds
        }
        return result
    }

    /// Reads a file whole (it is small), giving up on ELF binaries at once.
    private final class Buffer: ContentConsumer {
        private var data = Data()
        private var binary = false
        private let done: (Data) -> Void

        init(done: @escaping (Data) -> Void) { self.done = done }

        func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
            if data.isEmpty, chunk.count >= 4, chunk[0] == 0x7F, chunk[1] == 0x45, chunk[2] == 0x4C, chunk[3] == 0x46 {
                binary = true
                return false
            }
            data.append(chunk.bindMemory(to: UInt8.self))
            return true
        }

        func finish() throws {
            if !binary { done(data) }
        }
    }
}

/// The byte patterns of secrets.
enum SecretPatterns {
    /// Which kinds of secret `data` holds.
    static func kinds(in data: Data) -> Set<SecretScanner.Kind> {
        var kinds: Set<SecretScanner.Kind> = []
        data.withUnsafeBytes { bytes in
            if hasPrivateKey(bytes) { kinds.insert(.privateKey) }
            if hasAWSAccessKey(bytes) { kinds.insert(.awsAccessKey) }
        }
        return kinds
    }

    /// A PEM block `-----BEGIN … PRIVATE KEY-----` followed by base64 content (not just the header as a string).
    static func hasPrivateKey(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let begin = Array("-----BEGIN ".utf8)
        var index = 0
        while let start = find(begin, in: bytes, from: index) {
            index = start + 1
            var position = start + begin.count
            var label: [UInt8] = []
            while position < bytes.count, bytes[position] != UInt8(ascii: "-"), label.count <= 40 {
                label.append(bytes[position])
                position += 1
            }
            let name = String(decoding: label, as: UTF8.self)
            guard name.hasSuffix("PRIVATE KEY") || name == "PGP PRIVATE KEY BLOCK",
                position + 5 <= bytes.count, bytes[position..<(position + 5)].allSatisfy({ $0 == UInt8(ascii: "-") })
            else { continue }
            position += 5
            // Skip the line end and any RFC 1421 headers (Proc-Type, DEK-Info) before the base64 body.
            var body = 0
            while position < bytes.count, body < 32 {
                let byte = bytes[position]
                if isBase64(byte) {
                    body += 1
                } else if byte == 0x0A || byte == 0x0D {
                    if body < 32 { body = 0 }
                } else if byte == UInt8(ascii: ":") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "-") {
                    body = 0
                } else {
                    break
                }
                position += 1
            }
            if body >= 32 { return true }
        }
        return false
    }

    /// An AWS access key id: `AKIA` or `ASIA` and 16 base32 capitals, standing alone.
    static func hasAWSAccessKey(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for prefix in ["AKIA", "ASIA"] {
            var index = 0
            let needle = Array(prefix.utf8)
            while let start = find(needle, in: bytes, from: index) {
                index = start + 1
                let end = start + 20
                guard end <= bytes.count else { break }
                if start > 0, isKeyCharacter(bytes[start - 1]) { continue }
                if end < bytes.count, isKeyCharacter(bytes[end]) { continue }
                if bytes[(start + 4)..<end].allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x32 && $0 <= 0x37) }) { return true }
            }
        }
        return false
    }

    /// Whether `text` (an environment value) holds an AWS key id.
    static func hasAWSAccessKey(_ text: String) -> Bool {
        Data(text.utf8).withUnsafeBytes { hasAWSAccessKey($0) }
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B
            || byte == 0x2F || byte == 0x3D
    }

    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = start
        let last = bytes.count - needle.count
        while position <= last {
            guard let base = bytes.baseAddress,
                let hit = memchr(base + position, Int32(first), last - position + 1)
            else { return nil }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            var index = 1
            while index < needle.count && bytes[offset + index] == needle[index] { index += 1 }
            if index == needle.count { return offset }
            position = offset + 1
        }
        return nil
    }
}
