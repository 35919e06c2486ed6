import CZlib
import Dispatch
import Foundation

/// Gzip compression on all cores with byte-identical output on every run and for any thread count.
///
/// The input is cut into fixed blocks that are deflated in parallel and concatenated into one raw
/// deflate stream inside a single gzip member (the approach of pigz). How a block is deflated is
/// the ``GzipEngine``'s business; either way the output depends only on the input, the engine (and
/// its library version), the level and the block size — never on thread timing or thread count.
/// The header carries no name and no time, like `gzip -n`.
public final class ParallelGzipSink: ByteSink {
    /// Uncompressed bytes per block.
    public static let defaultBlockSize = 1 << 20
    /// Blocks may not be smaller than the deflate window: the zlib engine primes each block with it.
    public static let minimumBlockSize = DeflateWindow.size

    private let downstream: ByteSink
    private let level: Int
    private let blockSize: Int
    private let maxInFlight: Int
    private let workers: GzipWorkers
    private var block: ByteBlock
    private var previous: ByteBlock?
    /// Blocks whose jobs are written out and no longer needed as a dictionary, ready for reuse.
    private var spare: [ByteBlock] = []
    private var crc = UInt(crc32(0, nil, 0))
    private var totalIn: UInt64 = 0
    private var inFlight: [GzipBlockJob] = []
    private var headerWritten = false
    private var finished = false

    /// Compresses into `downstream` with `engine` at `level`; throws if the engine's library is missing.
    public init(
        downstream: ByteSink, level: Int = 6, blockSize: Int = ParallelGzipSink.defaultBlockSize,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, engine: GzipEngine = .zlib
    ) throws(ArchiveError) {
        guard (1...9).contains(level) || (engine == .libdeflate && (1...12).contains(level)) else {
            throw .encodingFailed(what: "gzip", reason: "compression level \(level) is out of range (1–9)")
        }
        let factory = try engine.compressorFactory(level: Int32(level))
        self.downstream = downstream
        self.level = level
        self.blockSize = max(blockSize, Self.minimumBlockSize)
        let threadCount = max(1, threads)
        // Two blocks per thread keep every worker busy while the producer fills the next block.
        self.maxInFlight = threadCount * 2
        self.workers = GzipWorkers(threads: threadCount, makeCompressor: factory)
        block = ByteBlock(capacity: self.blockSize)
    }

    deinit { workers.shutdown() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if !headerWritten { try writeHeader() }
        guard bytes.count > 0 else { return }
        totalIn &+= UInt64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            offset += block.fill(from: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            if block.isFull { try submit(last: false) }
        }
    }

    public func finish() throws {
        if finished { return }
        finished = true
        if !headerWritten { try writeHeader() }
        try submit(last: true)
        while !inFlight.isEmpty { try drainOne() }
        workers.shutdown()
        // The trailer: CRC-32 and the input size modulo 2^32, both little-endian (RFC 1952).
        var trailer = [UInt8](repeating: 0, count: 8)
        let crcValue = UInt32(truncatingIfNeeded: crc)
        let size = UInt32(truncatingIfNeeded: totalIn)
        for i in 0..<4 {
            trailer[i] = UInt8(truncatingIfNeeded: crcValue >> (8 * UInt32(i)))
            trailer[4 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(i)))
        }
        try trailer.withUnsafeBytes { try downstream.write($0) }
        try downstream.finish()
    }

    private func writeHeader() throws {
        headerWritten = true
        // Magic, deflate, no flags, mtime 0, XFL as gzip sets it for the level, OS unix: what `gzip -n` writes.
        let xfl: UInt8 = level >= 9 ? 2 : (level == 1 ? 4 : 0)
        let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]
        try header.withUnsafeBytes { try downstream.write($0) }
    }

    private func submit(last: Bool) throws {
        let job = GzipBlockJob(input: block, previous: previous, last: last)
        previous = block
        while inFlight.count >= maxInFlight { try drainOne() }
        inFlight.append(job)
        workers.submit(job)
        if let reused = spare.popLast() {
            reused.reset()
            block = reused
        } else {
            block = ByteBlock(capacity: blockSize)
        }
    }

    /// Writes the oldest block once it is done: output order is input order, whatever finished first.
    private func drainOne() throws {
        let job = inFlight.removeFirst()
        job.done.wait()
        if let error = job.error { throw error }
        crc = crc32_combine(crc, job.crc, numericCast(job.input.count))
        try job.output.withUnsafeBytes { try downstream.write($0) }
        job.releaseOutput()
        // This job's dictionary block is free now: the job after it has its own input as the next dictionary.
        if let dictionary = job.previous, dictionary !== previous { spare.append(dictionary) }
    }
}

/// How each block is deflated; both give one standard gzip member any gunzip reads.
public enum GzipEngine: Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// zlib, each block primed with the previous 32 KiB: size within a hair of `gzip -6`, output stable across zlib releases.
    case zlib
    /// libdeflate (loaded at run time from `libdeflate.so.0`, Debian's libdeflate0): about 2.5× faster than zlib
    /// and slightly smaller at the same level, but blocks are not primed and the bytes can change with its version.
    case libdeflate

    public var description: String { self == .zlib ? "zlib" : "libdeflate" }

    /// Whether this engine can be used on this machine.
    public var isAvailable: Bool { self == .zlib || Libdeflate.shared != nil }

    func compressorFactory(level: Int32) throws(ArchiveError) -> @Sendable () -> BlockCompressor {
        switch self {
        case .zlib:
            return { ZlibBlockCompressor(level: level) }
        case .libdeflate:
            guard let library = Libdeflate.shared else {
                throw .encodingFailed(
                    what: "gzip", reason: "libdeflate.so.0 is not installed; apt-get install libdeflate0, or use the zlib engine")
            }
            return { LibdeflateBlockCompressor(library: library, level: level) }
        }
    }
}

/// The deflate window a block may refer back into.
public enum DeflateWindow {
    /// 32 KiB, the largest distance deflate can express.
    public static let size = 32 << 10
}
