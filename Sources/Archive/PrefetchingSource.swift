import Foundation

/// Reads another source ahead on its own thread, a few chunks deep, so the work behind it (reading a blob,
/// hashing, inflating) overlaps with the work of whoever reads from this one (parsing tar, cataloging).
///
/// Memory stays bounded by `depth` chunks (plus the one being filled and the one being read), and the same chunks
/// go round: fresh memory for every chunk would cost a page fault per page. Readers that can take a chunk in
/// place ``borrow()`` it rather than copy it. Errors from the inner source surface, in order, after the chunks
/// read before them. ``drain()`` reads to the end and waits for the thread, so the inner source is no longer in
/// use when it returns.
public final class PrefetchingSource: BorrowingByteSource {
    private let pipe: Pipe
    private var current: Chunk?
    private var offset = 0

    /// Starts reading `inner` ahead in chunks of up to `chunkSize` bytes, at most `depth` of them waiting.
    public init(_ inner: ByteSource, chunkSize: Int = 1 << 20, depth: Int = 4) {
        // Capped so a chunk fits the 32-bit counts of the C libraries that borrow it.
        pipe = Pipe(depth: depth, chunkSize: min(max(1, chunkSize), 1 << 30))
        let producer = Producer(inner: inner, pipe: pipe)
        let thread = Thread { producer.run() }
        thread.name = "distill-prefetch"
        thread.start()
    }

    deinit {
        releaseCurrent()
        pipe.cancel()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let chunk = try currentChunk() else { return 0 }
        let count = min(buffer.count, chunk.count - offset)
        buffer.baseAddress!.copyMemory(from: chunk.memory.baseAddress! + offset, byteCount: count)
        offset += count
        return count
    }

    public func borrow() throws -> UnsafeRawBufferPointer {
        guard let chunk = try currentChunk() else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let rest = UnsafeRawBufferPointer(rebasing: chunk.memory[offset..<chunk.count])
        offset = chunk.count
        return rest
    }

    /// The chunk with bytes left to read, taking the next one (and giving the spent one back) when needed.
    private func currentChunk() throws -> Chunk? {
        if let current, offset < current.count { return current }
        releaseCurrent()
        guard let next = try pipe.take() else { return nil }
        current = next
        offset = 0
        return next
    }

    /// Gives the chunk being read back to the pipe.
    private func releaseCurrent() {
        guard let spent = current else { return }
        current = nil
        pipe.recycle(spent.memory)
    }

    /// Reads and discards the rest, rethrowing any error of the inner source; afterwards the thread has finished.
    public func drain() throws {
        releaseCurrent()
        while let chunk = try pipe.take() { pipe.recycle(chunk.memory) }
        pipe.waitUntilDone()
    }

    /// Bytes read into memory the pipe owns.
    struct Chunk {
        var memory: UnsafeMutableRawBufferPointer
        var count: Int
    }

    /// The chunks between the two threads, and the spare memory they are read into. Owns every chunk it holds;
    /// whatever is still here when both sides are gone is freed with it.
    private final class Pipe: @unchecked Sendable {
        private let condition = NSCondition()
        private let depth: Int
        let chunkSize: Int
        private var chunks: [Chunk] = []
        private var spare: [UnsafeMutableRawBufferPointer] = []
        private var ended = false
        private var done = false
        private var failure: (any Error)?
        private var cancelled = false

        init(depth: Int, chunkSize: Int) {
            self.depth = max(1, depth)
            self.chunkSize = chunkSize
        }

        deinit {
            for chunk in chunks { chunk.memory.deallocate() }
            for memory in spare { memory.deallocate() }
        }

        /// Waits for room and returns memory to read into; nil once the reader has gone away.
        func memoryWhenRoom() -> UnsafeMutableRawBufferPointer? {
            condition.lock()
            defer { condition.unlock() }
            while chunks.count >= depth && !cancelled { condition.wait() }
            if cancelled { return nil }
            // Uninitialized memory: zero-filling every chunk would cost a full pass.
            return spare.popLast() ?? UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        }

        func put(_ chunk: Chunk) {
            condition.lock()
            chunks.append(chunk)
            condition.broadcast()
            condition.unlock()
        }

        /// Takes back memory a side has finished with.
        func recycle(_ memory: UnsafeMutableRawBufferPointer) {
            condition.lock()
            spare.append(memory)
            condition.unlock()
        }

        func end(_ error: (any Error)?) {
            condition.lock()
            ended = true
            failure = error
            done = true
            condition.broadcast()
            condition.unlock()
        }

        func take() throws -> Chunk? {
            condition.lock()
            defer { condition.unlock() }
            while chunks.isEmpty && !ended { condition.wait() }
            if !chunks.isEmpty {
                condition.broadcast()
                return chunks.removeFirst()
            }
            if let failure { throw failure }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilDone() {
            condition.lock()
            while !done { condition.wait() }
            condition.unlock()
        }
    }

    /// The reading thread's side; it alone touches the inner source until it ends.
    private final class Producer: @unchecked Sendable {
        private let inner: ByteSource
        private let pipe: Pipe

        init(inner: ByteSource, pipe: Pipe) {
            self.inner = inner
            self.pipe = pipe
        }

        func run() {
            do {
                while let memory = pipe.memoryWhenRoom() {
                    let count: Int
                    do {
                        count = try inner.read(into: memory)
                    } catch {
                        pipe.recycle(memory)
                        throw error
                    }
                    if count == 0 {
                        pipe.recycle(memory)
                        break
                    }
                    pipe.put(Chunk(memory: memory, count: count))
                }
                pipe.end(nil)
            } catch {
                pipe.end(error)
            }
        }
    }
}
