import Archive
import Foundation
import TestSupport
import Testing

/// ISA-L inflate against gzip(1): the same bytes, several members, and damage refused.
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

    private func gzip(_ data: Data, in dir: TemporaryDirectory, name: String) throws -> Data {
        try data.write(to: dir.path(name))
        try Tool.check(["gzip", "-n", "-6", "-f", dir(name)])
        return try Data(contentsOf: dir.path(name + ".gz"))
    }

    private func inflate(_ data: Data, chunk: Int = 1 << 16) throws -> Data {
        let source = GzipInflateSource(DataSource(data), name: "test.gz")
        var result = Data()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { return result }
            result.append(contentsOf: buffer[0..<n])
        }
    }

    @Test(arguments: [1, 4096, 1 << 20])
    func inflatesWhatGzipWrote(_ chunk: Int) throws {
        let dir = try TemporaryDirectory("isal")
        let original = Self.sample(3 << 20, seed: 7)
        #expect(try inflate(try gzip(original, in: dir, name: "a"), chunk: chunk) == original)
    }

    @Test func readsConcatenatedMembersAndIgnoresTrailingZeros() throws {
        let dir = try TemporaryDirectory("isal-members")
        let first = Self.sample(100_000, seed: 1), second = Self.sample(50_000, seed: 2)
        let joined = try gzip(first, in: dir, name: "a") + gzip(second, in: dir, name: "b") + Data(count: 512)
        #expect(try inflate(joined) == first + second)
    }

    @Test func refusesABadChecksumAndATruncatedStream() throws {
        let dir = try TemporaryDirectory("isal-damage")
        var damaged = try gzip(Self.sample(200_000, seed: 3), in: dir, name: "a")
        let compressed = damaged
        damaged[damaged.count - 6] ^= 0xFF
        #expect(throws: ArchiveError.self) { try inflate(damaged) }
        #expect(throws: ArchiveError.self) { try inflate(compressed.prefix(compressed.count / 2)) }
    }
}
