import Foundation
import ImageFormat

#if canImport(Glibc)
    import Glibc
#endif

/// Something a byte stream can be read from: a file, an archive member, a network body.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A source that holds its bytes in memory already and can lend them instead of copying them out.
public protocol BorrowingByteSource: ByteSource {
    /// The next bytes, valid until the next call on this source; empty at the end of the stream.
    func borrow() throws -> UnsafeRawBufferPointer
}

extension ByteSource {
    /// Streams the rest of this source into `sink` without holding it in memory.
    public func copy(to sink: ByteSink, chunkSize: Int = 1 << 20) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(into: buffer)
            if n == 0 { return }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Reads everything; for small members (control files, manifests) only.
    public func readAll(limit: Int = 64 << 20, what: String) throws -> Data {
        let sink = DataSink()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(into: buffer)
            if n == 0 { return sink.data }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if sink.data.count > limit {
                throw ArchiveError.readFailed(path: what, reason: "larger than \(limit) bytes")
            }
        }
    }
}

extension Digest {
    /// The sha256 of the file at `path`, streamed.
    public static func sha256(ofFile path: String) throws -> Digest {
        let hasher = HashingSink(nil)
        try FileSource(path: path).copy(to: hasher)
        return hasher.digest
    }
}

/// Reads a file through its descriptor.
public final class FileSource: ByteSource {
    private let fd: Int32
    private let path: String

    /// Opens `path` for reading.
    public init(path: String) throws(ArchiveError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { close(fd) }

    /// Up to `count` bytes from the start of the file, read without moving the position ``read(into:)`` reads from.
    public func head(_ count: Int) -> Data {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return Data(bytes.prefix(max(0, n)))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ArchiveError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Reads from an in-memory buffer.
public final class DataSource: ByteSource {
    private let data: Data
    private let piece: Int
    private var offset = 0

    /// Reads `data`, at most `piece` bytes per read (a network's short reads, for tests and fuzzing).
    public init(_ data: Data, piece: Int = .max) {
        self.data = data
        self.piece = max(1, piece)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, piece, data.count - offset)
        if n <= 0 { return 0 }
        data.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
