import Foundation

/// Reads another source ahead on its own thread, a few chunks deep, so the work behind it (reading a blob,
/// hashing, inflating) overlaps with the work of whoever reads from this one (parsing tar, cataloging).
///
/// Memory stays bounded by `depth` chunks. Errors from the inner source surface, in order, after the
/// chunks read before them. ``drain()`` reads to the end and waits for the thread, so the inner source
/// is no longer in use when it returns.
public final class PrefetchingSource: ByteSource {
    private let pipe: Pipe
    private var current = Data()
    private var offset = 0

    /// Starts reading `inner` ahead in chunks of up to `chunkSize` bytes, at most `depth` of them waiting.
    public init(_ inner: ByteSource, chunkSize: Int = 1 << 20, depth: Int = 4) {
        pipe = Pipe(depth: depth)
        let producer = Producer(inner: inner, pipe: pipe, chunkSize: chunkSize)
        let thread = Thread { producer.run() }
        thread.name = "distill-prefetch"
        thread.start()
    }

    deinit { pipe.cancel() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset == current.count {
            guard let next = try pipe.take() else { return 0 }
            current = next
            offset = 0
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// Reads and discards the rest, rethrowing any error of the inner source; afterwards the thread has finished.
    public func drain() throws {
        current = Data()
        offset = 0
        while try pipe.take() != nil {}
        pipe.waitUntilDone()
    }

    /// The chunks between the two threads.
    private final class Pipe: @unchecked Sendable {
        private let condition = NSCondition()
        private let depth: Int
        private var chunks: [Data] = []
        private var ended = false
        private var done = false
        private var failure: (any Error)?
        private var cancelled = false

        init(depth: Int) { self.depth = max(1, depth) }

        /// Waits for room; false once the reader has gone away.
        func waitForRoom() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while chunks.count >= depth && !cancelled { condition.wait() }
            return !cancelled
        }

        func put(_ chunk: Data) {
            condition.lock()
            chunks.append(chunk)
            condition.broadcast()
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

        func take() throws -> Data? {
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
        private let chunkSize: Int

        init(inner: ByteSource, pipe: Pipe, chunkSize: Int) {
            self.inner = inner
            self.pipe = pipe
            self.chunkSize = chunkSize
        }

        func run() {
            do {
                while pipe.waitForRoom() {
                    // Uninitialized memory handed to Data as is: zero-filling every chunk would cost a full pass.
                    let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
                    let count: Int
                    do {
                        count = try inner.read(into: memory)
                    } catch {
                        memory.deallocate()
                        throw error
                    }
                    if count == 0 {
                        memory.deallocate()
                        break
                    }
                    pipe.put(Data(bytesNoCopy: memory.baseAddress!, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() }))
                }
                pipe.end(nil)
            } catch {
                pipe.end(error)
            }
        }
    }
}
