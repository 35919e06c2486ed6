import Archive
import Foundation
import Testing

/// Reading ahead on a second thread changes nothing about the bytes, and errors arrive after what came before them.
struct PrefetchingSourceTests {
    /// Hands out `data` in pieces of `step` bytes, then fails if asked to.
    final class Stepping: ByteSource {
        let data: Data
        let step: Int
        let failAtEnd: Bool
        var offset = 0

        init(_ data: Data, step: Int, failAtEnd: Bool = false) {
            self.data = data
            self.step = step
            self.failAtEnd = failAtEnd
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(step, buffer.count, data.count - offset)
            if count == 0 {
                if failAtEnd { throw ArchiveError.readFailed(path: "stepping", reason: "broken on purpose") }
                return 0
            }
            data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            offset += count
            return count
        }
    }

    static let data = Data((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })

    @Test(arguments: [(1 << 16, 4096), (1000, 1 << 20), (7, 100_003)])
    func deliversTheSameBytes(_ step: Int, _ chunk: Int) throws {
        let source = PrefetchingSource(Stepping(Self.data, step: step), chunkSize: chunk, depth: 3)
        #expect(try source.readAll(limit: Int.max, what: "prefetched") == Self.data)
    }

    /// Lent chunks and copied reads, mixed, give the bytes in order, and a lent chunk is not overwritten by the
    /// producer (which reuses spent chunks) before the next call.
    @Test(arguments: [1, 4096, 1 << 16])
    func lendsAndCopiesInOrder(_ chunk: Int) throws {
        let data = Self.data.prefix(chunk == 1 ? 20_000 : Self.data.count)
        let source = PrefetchingSource(Stepping(data, step: 5000), chunkSize: chunk, depth: 2)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 777, alignment: 16)
        defer { buffer.deallocate() }
        var result = Data()
        for turn in 0... {
            if turn % 3 == 0 {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                result.append(contentsOf: buffer[0..<n])
            } else {
                let lent = try source.borrow()
                if lent.isEmpty { break }
                // Held across a wait for the producer, which refills the other chunks meanwhile.
                let copy = Data(lent)
                Thread.sleep(forTimeInterval: turn % 50 == 1 ? 0.002 : 0)
                #expect(Data(lent) == copy)
                result.append(copy)
            }
        }
        #expect(result == data)
        try source.drain()
    }

    @Test func anErrorComesAfterTheBytesBeforeIt() throws {
        let source = PrefetchingSource(Stepping(Self.data, step: 1 << 16, failAtEnd: true), chunkSize: 1 << 18)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        #expect(throws: ArchiveError.self) {
            while true {
                let n = try source.read(into: buffer)
                total += n
                if n == 0 { break }
            }
        }
        #expect(total == Self.data.count)
    }

    @Test func drainReadsTheRestAndRethrows() throws {
        let inner = Stepping(Self.data, step: 1 << 16)
        let source = PrefetchingSource(inner, chunkSize: 1 << 16, depth: 2)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 16)
        defer { buffer.deallocate() }
        _ = try source.read(into: buffer)
        try source.drain()
        #expect(inner.offset == Self.data.count)
        #expect(throws: ArchiveError.self) { try PrefetchingSource(Stepping(Self.data, step: 1 << 20, failAtEnd: true)).drain() }
    }
}
