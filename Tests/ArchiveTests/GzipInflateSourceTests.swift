import Archive
import Foundation
import TestSupport
import Testing

/// ISA-L inflate against gzip(1): the same bytes, several members, any header gzip allows, and damage refused;
/// with and without the CRC check, fed in any piece size, copied or lent.
struct GzipInflateSourceTests {
    /// Compressible but not trivial content.
    static func sample(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var data = Data(capacity: count)
        let words = ["usr/lib/", "python3", ".so", "status", "\n", "Package: ", "libc6", " ", "0123456789"]
        while data.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            data.append(contentsOf: words[Int(state >> 59) % words.count].utf8)
            if state & 0xF == 0 { data.append(UInt8(truncatingIfNeeded: state >> 24)) }
        }
        return data.prefix(count)
    }

    /// How the compressed bytes reach the inflater.
    enum Feed: CaseIterable, Sendable {
        case whole, bytes, sevens, lentSevens, lent4K

        func source(_ data: Data) -> ByteSource {
            switch self {
            case .whole: DataSource(data)
            case .bytes: DataSource(data, piece: 1)
            case .sevens: DataSource(data, piece: 7)
            case .lentSevens: PrefetchingSource(DataSource(data), chunkSize: 7, depth: 3)
            case .lent4K: PrefetchingSource(DataSource(data), chunkSize: 4096)
            }
        }
    }

    private func gzip(_ data: Data, in dir: TemporaryDirectory, name: String, keepName: Bool = false) throws -> Data {
        try data.write(to: dir.path(name))
        try Tool.check(["gzip", keepName ? "-N" : "-n", "-6", "-f", dir(name)])
        return try Data(contentsOf: dir.path(name + ".gz"))
    }

    private func inflate(_ data: Data, chunk: Int = 1 << 16, feed: Feed = .whole, verifying: Bool = true) throws -> Data {
        let source = GzipInflateSource(feed.source(data), name: "test.gz", verifyingChecksums: verifying)
        var result = Data()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { return result }
            result.append(contentsOf: buffer[0..<n])
        }
    }

    /// CRC-32 (the gzip polynomial), for the header CRC of a hand-made header.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test(arguments: [1, 4096, 1 << 20], [true, false])
    func inflatesWhatGzipWrote(_ chunk: Int, _ verifying: Bool) throws {
        let dir = try TemporaryDirectory("isal")
        let original = Self.sample(3 << 20, seed: 7)
        #expect(try inflate(try gzip(original, in: dir, name: "a"), chunk: chunk, verifying: verifying) == original)
    }

    @Test(arguments: Feed.allCases, [true, false])
    func readsConcatenatedMembersAndIgnoresTrailingZeros(_ feed: Feed, _ verifying: Bool) throws {
        let dir = try TemporaryDirectory("isal-members")
        let first = Self.sample(100_000, seed: 1), second = Self.sample(50_000, seed: 2), empty = Data()
        let joined = try gzip(first, in: dir, name: "a", keepName: true) + gzip(empty, in: dir, name: "e")
            + gzip(second, in: dir, name: "b") + Data(count: 512)
        #expect(try inflate(joined, feed: feed, verifying: verifying) == first + second)
    }

    /// Every optional header field (RFC 1952: FEXTRA, FNAME, FCOMMENT, FHCRC) before gzip's own deflate data.
    @Test(arguments: [true, false])
    func skipsEveryOptionalHeaderField(_ verifying: Bool) throws {
        let dir = try TemporaryDirectory("isal-header")
        let original = Self.sample(70_000, seed: 5)
        let plain = try gzip(original, in: dir, name: "a")
        var header: [UInt8] = [0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 1, 2, 3, 4, 0, 3]
        header += [5, 0, 0x41, 0x42, 3, 0, 0xFF]  // FEXTRA: XLEN 5, one subfield
        header += Array("layer.tar".utf8) + [0] + Array("a comment".utf8) + [0]
        let headerCRC = Self.crc32(header)
        header += [UInt8(truncatingIfNeeded: headerCRC), UInt8(truncatingIfNeeded: headerCRC >> 8)]
        let full = Data(header) + plain.dropFirst(10)
        for feed in Feed.allCases {
            #expect(try inflate(full, feed: feed, verifying: verifying) == original, "\(feed)")
        }
    }

    @Test(arguments: [true, false])
    func refusesAWrongLengthATruncatedStreamAndNonGzip(_ verifying: Bool) throws {
        let dir = try TemporaryDirectory("isal-damage")
        let compressed = try gzip(Self.sample(200_000, seed: 3), in: dir, name: "a")
        var wrongLength = compressed
        wrongLength[wrongLength.count - 3] ^= 0x01
        #expect(throws: ArchiveError.self) { try inflate(wrongLength, verifying: verifying) }
        for cut in [compressed.count / 2, compressed.count - 1, compressed.count - 8] {
            #expect(throws: ArchiveError.self, "cut at \(cut)") { try inflate(compressed.prefix(cut), feed: .sevens, verifying: verifying) }
        }
        var notGzip = compressed
        notGzip[1] = 0x8C
        #expect(throws: ArchiveError.self) { try inflate(notGzip, verifying: verifying) }
    }

    /// The CRC is what the check adds: a damaged one is refused with it and, by design, not noticed without it
    /// (callers that turn it off verify the compressed bytes by digest).
    @Test func aDamagedCRCIsCaughtOnlyWhenChecked() throws {
        let dir = try TemporaryDirectory("isal-crc")
        let original = Self.sample(200_000, seed: 3)
        var damaged = try gzip(original, in: dir, name: "a")
        damaged[damaged.count - 6] ^= 0xFF
        #expect(throws: ArchiveError.self) { try inflate(damaged) }
        #expect(try inflate(damaged, verifying: false) == original)
    }
}
