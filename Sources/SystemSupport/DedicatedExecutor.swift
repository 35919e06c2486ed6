import Foundation

/// A task executor with a thread of its own, for async work that must keep moving while the cooperative
/// pool is busy: network transfers whose bodies are consumed by a task.
///
/// On a 2-core machine the pool has two threads; synchronous work on it (compression, a child process
/// waited for) can hold both for a minute, and an HTTP body nobody consumes then trips the idle timeout.
/// Tasks that prefer this executor (`withTaskExecutorPreference`) run their jobs here instead.
public final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor network transfers run on.
    public static let network = DedicatedExecutor(name: "distill.network")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts the executor's thread (it lives as long as the process).
    public init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
