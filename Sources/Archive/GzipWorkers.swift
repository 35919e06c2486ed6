import CZlib
import Dispatch
import Foundation

/// Deflates one block as the next piece of a single raw deflate stream.
protocol BlockCompressor: AnyObject {
    /// Compresses `input`; unless `last`, the result ends byte-aligned with no final-block bit, so pieces concatenate.
    /// `dictionary` is up to 32 KiB of the input just before this block (engines may ignore it).
    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool) throws(ArchiveError) -> [UInt8]
    /// The CRC-32 of `input`, combined in order by the sink for the gzip trailer.
    func checksum(_ input: UnsafeRawBufferPointer) -> UInt
}

/// A fixed-capacity byte buffer filled with memcpy; blocks are recycled, so a stream allocates a handful.
final class ByteBlock: @unchecked Sendable {
    let capacity: Int
    private let storage: UnsafeMutableRawPointer
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 64)
    }

    deinit { storage.deallocate() }

    var isFull: Bool { count == capacity }

    /// Copies as much of `bytes` as fits; returns how many bytes were taken.
    func fill(from bytes: UnsafeRawBufferPointer) -> Int {
        let take = min(capacity - count, bytes.count)
        if take > 0 { (storage + count).copyMemory(from: bytes.baseAddress!, byteCount: take) }
        count += take
        return take
    }

    func reset() { count = 0 }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// The last `length` bytes (fewer if the block is shorter).
    func tail(_ length: Int) -> UnsafeRawBufferPointer {
        let n = min(length, count)
        return UnsafeRawBufferPointer(start: storage + (count - n), count: n)
    }
}

/// One block's work and result; `done` is signalled once `output` and `crc`, or `error`, are set.
final class GzipBlockJob: @unchecked Sendable {
    let input: ByteBlock
    /// The block before this one, whose last 32 KiB prime the compressor; kept unchanged until this job is done.
    let previous: ByteBlock?
    let last: Bool
    let done = DispatchSemaphore(value: 0)
    private(set) var output: [UInt8] = []

    /// Frees the compressed bytes once they are written.
    func releaseOutput() { output = [] }
    private(set) var crc: UInt = 0
    private(set) var error: ArchiveError?

    init(input: ByteBlock, previous: ByteBlock?, last: Bool) {
        self.input = input
        self.previous = previous
        self.last = last
    }

    func run(_ compressor: BlockCompressor) {
        let dictionary = previous?.tail(DeflateWindow.size) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        do throws(ArchiveError) {
            output = try compressor.compress(input.bytes, dictionary: dictionary, last: last)
            crc = compressor.checksum(input.bytes)
        } catch {
            self.error = error
        }
        done.signal()
    }
}

/// A fixed number of threads, each with its own compressor, taking blocks in submission order.
///
/// Own threads rather than a Dispatch queue so the `threads` setting is exact; output order does not
/// depend on which thread finishes first, because the sink drains blocks in submission order.
final class GzipWorkers: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [GzipBlockJob] = []
    private var stopping = false

    init(threads: Int, makeCompressor: @escaping @Sendable () -> BlockCompressor) {
        for index in 0..<threads {
            let thread = Thread { [self] in self.loop(makeCompressor()) }
            thread.name = "distill.gzip.\(index)"
            // Deflate state lives on the heap; a modest stack is plenty.
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func submit(_ job: GzipBlockJob) {
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish queued work and exit; idempotent.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop(_ compressor: BlockCompressor) {
        while let job = next() { job.run(compressor) }
    }

    private func next() -> GzipBlockJob? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        // At most a few jobs wait here, so removing from the front is cheap; holding on to finished
        // jobs would hold their outputs too.
        return queue.isEmpty ? nil : queue.removeFirst()
    }
}

/// A raw-deflate zlib stream, reset and primed with the dictionary for every block.
final class ZlibBlockCompressor: BlockCompressor {
    private var stream = z_stream()
    private let ready: Bool

    init(level: Int32) {
        ready =
            deflateInit2_(
                &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            == Z_OK
    }

    deinit { if ready { deflateEnd(&stream) } }

    func checksum(_ input: UnsafeRawBufferPointer) -> UInt {
        guard let base = input.baseAddress, input.count > 0 else { return UInt(crc32(0, nil, 0)) }
        return UInt(crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(input.count)))
    }

    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool) throws(ArchiveError) -> [UInt8] {
        guard ready else { throw .encodingFailed(what: "gzip", reason: "zlib could not allocate a compressor") }
        deflateReset(&stream)
        if let base = dictionary.baseAddress, dictionary.count > 0 {
            deflateSetDictionary(&stream, base.assumingMemoryBound(to: Bytef.self), uInt(dictionary.count))
        }
        // deflateBound covers a finished stream; a sync flush adds at most a few bytes more, and the
        // loop below grows the buffer should that ever be short.
        var capacity = Int(deflateBound(&stream, uLong(input.count))) + 64
        let flush = last ? Z_FINISH : Z_SYNC_FLUSH
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        var pieces: [[UInt8]] = []
        while true {
            var status: Int32 = Z_OK
            let piece = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(capacity)
                status = deflate(&stream, flush)
                count = capacity - Int(stream.avail_out)
            }
            pieces.append(piece)
            let complete = last ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0)
            if complete { return pieces.count == 1 ? pieces[0] : Array(pieces.joined()) }
            if status != Z_OK && status != Z_BUF_ERROR {
                throw .encodingFailed(what: "gzip", reason: "zlib deflate returned \(status)")
            }
            capacity = max(capacity, 1 << 16)
        }
    }
}
