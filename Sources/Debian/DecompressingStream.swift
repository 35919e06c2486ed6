import Archive
import Foundation

/// Decompresses a file on a helper thread, handing out the bytes in large chunks as they come,
/// so a parser can work on one chunk while the next is being decompressed (xz is the slow half).
final class DecompressingStream: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var finished = false
    private var failure: DebianError?
    private var cancelled = false
    private let exited = DispatchSemaphore(value: 0)
    private let chunkSize: Int
    private let maxQueued = 4

    /// Opens `path` (any compression libarchive detects, or none) and starts decompressing; `name` is used in errors.
    init(path: String, name: String, chunkSize: Int = 4 << 20) throws(DebianError) {
        self.chunkSize = chunkSize
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(path: path, format: .raw, name: name)
            guard try reader.nextEntry() != nil else { throw DebianError.malformedControl(file: name, line: 0, reason: "empty file") }
        } catch let error as DebianError {
            throw error
        } catch {
            throw .malformedControl(file: name, line: 0, reason: "cannot decompress: \(error)")
        }
        let box = ReaderBox(reader, name: name)
        Thread.detachNewThread { [self] in
            produce(box)
            exited.signal()
        }
    }

    /// The next chunk, or nil at the end; rethrows a decompression failure.
    func next() throws(DebianError) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished && failure == nil { condition.wait() }
        if let failure { throw failure }
        if chunks.isEmpty { return nil }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Stops the helper thread (if still running) and waits for it; call exactly once.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }

    private func produce(_ box: ReaderBox) {
        while true {
            var chunk: [UInt8] = []
            do {
                chunk = try [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                    initialized = 0
                    while initialized < buffer.count {
                        let n = try box.reader.read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[initialized...]))
                        if n == 0 { break }
                        initialized += n
                    }
                }
            } catch {
                condition.lock()
                failure = .malformedControl(file: box.name, line: 0, reason: "cannot decompress: \(error)")
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.lock()
            while chunks.count >= maxQueued && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                return
            }
            if !chunk.isEmpty { chunks.append(chunk) }
            let atEnd = chunk.count < chunkSize
            if atEnd { finished = true }
            condition.broadcast()
            condition.unlock()
            if atEnd { return }
        }
    }
}

/// Hands the reader to the helper thread, which is its only user from then on.
private final class ReaderBox: @unchecked Sendable {
    let reader: ArchiveReader
    let name: String
    init(_ reader: ArchiveReader, name: String) {
        self.reader = reader
        self.name = name
    }
}
