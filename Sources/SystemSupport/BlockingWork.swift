import Foundation

/// Runs synchronous work that waits on other threads (a parallel compressor's workers, a decompressing child
/// process) on a thread of its own, so the task that awaits it leaves the cooperative pool free.
///
/// The pool has one thread per core: on a 2-core machine two such waits would stall every other task,
/// among them the HTTP transfers and signal handlers that must keep moving. CPU work that does not wait
/// belongs on the pool; this is for work that blocks.
public enum BlockingWork {
    /// Runs `body` on a new thread and returns its result (or rethrows its error) to the awaiting task.
    public static func run<T: Sendable>(name: String = "distill.blocking", _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
