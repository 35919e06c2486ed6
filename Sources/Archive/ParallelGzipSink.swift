import CZlib
import Dispatch
import Foundation

/// Gzip compression on all cores with byte-identical output on every machine and run.
///
/// The input is cut into fixed blocks; each block is deflated on its own thread, primed with the
/// last 32 KiB of the block before it as a preset dictionary, and ended with a sync flush, so the
/// concatenation is one ordinary deflate stream inside one gzip member (the approach of pigz).
/// The header carries no name and no time. Output depends only on the input, the level and the
/// block size, never on thread timing.
public final class ParallelGzipSink: ByteSink {
    /// Uncompressed bytes per block.
    public static let defaultBlockSize = 512 << 10
    private static let window = 32 << 10

    private let downstream: ByteSink
    private let level: Int32
    private let blockSize: Int
    private let maxInFlight: Int
    private var block: [UInt8] = []
    private var dictionary: [UInt8] = []
    private var crc: UInt = crc32(0, nil, 0)
    private var totalIn: UInt64 = 0
    private var inFlight: [BlockJob] = []
    private var headerWritten = false
    private let pool = DeflaterPool()
    private let queue = DispatchQueue(label: "distill.gzip", attributes: .concurrent)

    /// Compresses into `downstream` at `level` (zlib levels 1–9; 6 is gzip's default).
    public init(
        downstream: ByteSink, level: Int = 6, blockSize: Int = ParallelGzipSink.defaultBlockSize,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.downstream = downstream
        self.level = Int32(level)
        self.blockSize = blockSize
        self.maxInFlight = max(2, threads * 2)
        block.reserveCapacity(blockSize)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if !headerWritten { try writeHeader() }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        crc = crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
        totalIn &+= UInt64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            let take = min(blockSize - block.count, bytes.count - offset)
            block.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if block.count == blockSize { try submit(last: false) }
        }
    }

    public func finish() throws {
        if !headerWritten { try writeHeader() }
        try submit(last: true)
        while !inFlight.isEmpty { try drainOne() }
        var trailer = [UInt8](repeating: 0, count: 8)
        let crc32Value = UInt32(truncatingIfNeeded: crc)
        let size = UInt32(truncatingIfNeeded: totalIn)
        for i in 0..<4 {
            trailer[i] = UInt8(truncatingIfNeeded: crc32Value >> (8 * UInt32(i)))
            trailer[4 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(i)))
        }
        try trailer.withUnsafeBytes { try downstream.write($0) }
        try downstream.finish()
    }

    private func writeHeader() throws {
        headerWritten = true
        // Magic, deflate, no flags, mtime 0, no extra flags, OS unix — what `gzip -n` writes.
        let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
        try header.withUnsafeBytes { try downstream.write($0) }
    }

    private func submit(last: Bool) throws {
        let job = BlockJob(input: block, dictionary: dictionary, last: last, level: level)
        if block.count >= Self.window {
            dictionary = Array(block[(block.count - Self.window)...])
        } else {
            dictionary = Array((dictionary + block).suffix(Self.window))
        }
        block = []
        block.reserveCapacity(blockSize)
        while inFlight.count >= maxInFlight { try drainOne() }
        inFlight.append(job)
        let pool = self.pool
        queue.async { job.run(pool: pool) }
    }

    private func drainOne() throws {
        let job = inFlight.removeFirst()
        job.done.wait()
        if let error = job.error { throw error }
        try job.output.withUnsafeBytes { try downstream.write($0) }
    }
}

/// One block's work and result; `done` is signalled once `output` or `error` is set.
private final class BlockJob: @unchecked Sendable {
    let input: [UInt8]
    let dictionary: [UInt8]
    let last: Bool
    let level: Int32
    let done = DispatchSemaphore(value: 0)
    var output: [UInt8] = []
    var error: ArchiveError?

    init(input: [UInt8], dictionary: [UInt8], last: Bool, level: Int32) {
        self.input = input
        self.dictionary = dictionary
        self.last = last
        self.level = level
    }

    func run(pool: DeflaterPool) {
        let deflater = pool.take(level: level)
        do {
            output = try deflater.compress(input, dictionary: dictionary, last: last)
        } catch {
            self.error = error
        }
        pool.give(deflater)
        done.signal()
    }
}

/// Reuses zlib streams across blocks: allocating one costs more than compressing a small block.
private final class DeflaterPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Deflater] = []

    func take(level: Int32) -> Deflater {
        lock.lock()
        defer { lock.unlock() }
        if let d = free.popLast(), d.level == level { return d }
        return Deflater(level: level)
    }

    func give(_ d: Deflater) {
        lock.lock()
        free.append(d)
        lock.unlock()
    }
}

/// A raw-deflate zlib stream.
private final class Deflater {
    let level: Int32
    private var stream = z_stream()

    init(level: Int32) {
        self.level = level
        deflateInit2_(
            &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }

    deinit { deflateEnd(&stream) }

    func compress(_ input: [UInt8], dictionary: [UInt8], last: Bool) throws(ArchiveError) -> [UInt8] {
        deflateReset(&stream)
        if !dictionary.isEmpty {
            _ = dictionary.withUnsafeBufferPointer {
                deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count))
            }
        }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        var produced = 0
        let status: Int32 = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let result = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                produced = outBuf.count - Int(stream.avail_out)
                return result
            }
        }
        let ok = last ? status == Z_STREAM_END : (status == Z_OK || status == Z_BUF_ERROR)
        if !ok || stream.avail_in != 0 {
            throw .encodingFailed(what: "gzip", reason: "deflate returned \(status)")
        }
        output.removeSubrange(produced...)
        return output
    }
}
