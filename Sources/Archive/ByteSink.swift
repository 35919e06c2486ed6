import Foundation
import ImageFormat
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something that consumes a byte stream: a file, a hasher, a compressor feeding another sink.
public protocol ByteSink: AnyObject {
    /// Consumes `bytes`; the buffer is only valid during the call.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes and closes; no writes follow.
    func finish() throws
}

extension ByteSink {
    /// Consumes the bytes of `data`.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }
}

/// Passes bytes on while computing their sha256 digest and count.
public final class HashingSink: ByteSink {
    private let downstream: ByteSink?
    private var hasher = SHA256Hasher()
    /// Bytes seen so far.
    public private(set) var count: Int64 = 0

    /// Hashes and forwards to `downstream`, or only hashes when it is nil.
    public init(_ downstream: ByteSink?) { self.downstream = downstream }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        count += Int64(bytes.count)
        try downstream?.write(bytes)
    }

    public func finish() throws { try downstream?.finish() }

    /// The digest of everything written.
    public var digest: Digest { hasher.finalize() }
}

/// Writes to a file descriptor through a buffer; `finish` flushes and, for durable files, fsyncs.
public final class FileSink: ByteSink {
    private let fd: Int32
    private let path: String
    private let durable: Bool
    private let buffer = ByteBlock(capacity: 1 << 20)
    private var finished = false
    /// Bytes written so far.
    public private(set) var count: Int64 = 0

    /// Creates `path` afresh for writing (an existing file there is unlinked, not truncated). Scratch files rebuilt after a crash
    /// anyway pass `durable: false` and skip the fsync.
    public init(path: String, durable: Bool = true) throws(ArchiveError) {
        self.path = path
        self.durable = durable
        // Always a new file: writing through an existing name would change every hard link to it (cache blobs are
        // linked into outputs) or whatever a symlink there points to.
        if unlink(path) != 0 && errno != ENOENT { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { if !finished && fd >= 0 { close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += Int64(bytes.count)
        if buffer.count + bytes.count > buffer.capacity { try flush() }
        if bytes.count >= buffer.capacity {
            try writeFully(bytes)
        } else if bytes.count > 0 {
            _ = buffer.fill(from: bytes)
        }
    }

    private func flush() throws {
        if buffer.count == 0 { return }
        try writeFully(buffer.bytes)
        buffer.reset()
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    public func finish() throws {
        if finished { return }
        try flush()
        finished = true
        if durable && fsync(fd) != 0 && errno != EINVAL {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ArchiveError.writeFailed(path: path, reason: reason)
        }
        if close(fd) != 0 { throw ArchiveError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
    }
}

/// Discards everything (for hashing-only passes).
public final class NullSink: ByteSink {
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws {}
    public func finish() throws {}
}

/// Collects bytes in memory; for small objects and tests only.
public final class DataSink: ByteSink {
    /// Everything written so far.
    public private(set) var data = Data()
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { data.append(contentsOf: bytes) }
    public func finish() throws {}
}

/// A byte allowance shared by concurrent workers, e.g. how much staged content may stay in memory.
public final class MemoryBudget: Sendable {
    private let remaining: Mutex<Int64>

    /// Allows `bytes` in all.
    public init(bytes: Int64) { remaining = Mutex(bytes) }

    /// Takes `bytes` from the allowance if that many are left.
    public func take(_ bytes: Int64) -> Bool {
        remaining.withLock { remaining in
            guard bytes <= remaining else { return false }
            remaining -= bytes
            return true
        }
    }
}
