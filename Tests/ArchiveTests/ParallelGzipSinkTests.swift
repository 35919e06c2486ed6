import Archive
import Foundation
import ImageFormat
import Testing
import TestSupport

@Suite("ParallelGzipSink")
struct ParallelGzipSinkTests {
    static let sizes = [0, 1, 1000, 32 << 10, (64 << 10) - 1, 64 << 10, (64 << 10) * 5 + 12345]

    @Test("gunzip, python's zlib and gzip -t read exactly the input", arguments: availableEngines, sizes)
    func decompressesToInput(engine: GzipEngine, size: Int) throws {
        let dir = try TemporaryDirectory("gzip")
        let input = sampleBytes(size, seed: UInt64(size) + 7)
        let compressed = try gzipBytes(input, engine: engine)
        try compressed.write(to: URL(fileURLWithPath: dir("x.gz")))
        try Tool.check(["gzip", "-t", dir("x.gz")])
        try Tool.check(["sh", "-c", "gzip -dc '\(dir("x.gz"))' > '\(dir("x"))'"])
        let roundTrip = try Data(contentsOf: URL(fileURLWithPath: dir("x")))
        #expect(roundTrip == Data(input))
        #expect(try pythonSingleMemberDigest(dir("x.gz")) == Digest.sha256(of: input).encoded)
        // Header as `gzip -n` writes it: no name, no time, OS unix.
        #expect(Array(compressed.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
    }

    @Test("output does not depend on the thread count or on how writes are cut", arguments: availableEngines)
    func deterministicAcrossThreads(engine: GzipEngine) throws {
        let input = sampleBytes(3 << 20, seed: 42)
        let reference = try gzipBytes(input, engine: engine, threads: 1)
        for threads in [2, 8] {
            #expect(try gzipBytes(input, engine: engine, threads: threads) == reference, "threads: \(threads)")
        }
        #expect(try gzipBytes(input, engine: engine, threads: 2, chunk: 4093) == reference)
        #expect(try gzipBytes(Array(input.prefix(200_000)), engine: engine, threads: 3, chunk: 1)
            == gzipBytes(Array(input.prefix(200_000)), engine: engine, threads: 1))
    }

    @Test("zlib blocks primed with the previous window compress like gzip -6")
    func sizeCloseToGzip() throws {
        let dir = try TemporaryDirectory("gzip-size")
        let input = sampleBytes(4 << 20, seed: 9)
        try Data(input).write(to: URL(fileURLWithPath: dir("x")))
        let reference = try Tool.check(["sh", "-c", "gzip -6 -n -c '\(dir("x"))' | wc -c"])
        let ours = try gzipBytes(input, engine: .zlib, blockSize: ParallelGzipSink.defaultBlockSize)
        let ratio = Double(ours.count) / Double(Int(reference.trimmingCharacters(in: .whitespacesAndNewlines))!)
        #expect(ratio <= 1.005, "ours \(ours.count) vs gzip -6 \(reference)")
    }

    @Test("a level outside 1–9 is refused")
    func refusesBadLevel() {
        #expect(throws: ArchiveError.self) {
            _ = try ParallelGzipSink(downstream: DataSink(), level: 0, engine: .zlib)
        }
    }
}
