import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Catches signals with `sigaction` and hands them to a callback on a thread of its own.
///
/// Why not a dispatch signal source: on Linux its registration completes asynchronously after `resume()`,
/// so a signal arriving just after setup (with the disposition already SIG_IGN) was lost — seen as a
/// container that never got SIGTERM on a loaded machine. Here the handler is in place when `init`
/// returns; it only writes the signal number to a pipe (async-signal-safe), and the callback runs on a
/// dedicated thread, never on a busy global queue.
public final class SignalWatcher: @unchecked Sendable {
    /// Write ends of the active watchers' pipes, by signal number (-1: none); read by the C handler.
    nonisolated(unsafe) private static let pipes: UnsafeMutablePointer<Int32> = {
        let table = UnsafeMutablePointer<Int32>.allocate(capacity: 65)
        table.initialize(repeating: -1, count: 65)
        return table
    }()
    private static let lock = NSLock()

    private let signals: [Int32]
    private var previousActions: [Int32: sigaction] = [:]
    private var previousPipes: [Int32: Int32] = [:]
    private let readEnd: Int32
    private let writeEnd: Int32
    private var stopped = false

    /// Starts delivering `signals` to `handler` (on a dedicated thread) until ``stop()``.
    public init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .call("pipe", path: "signal pipe", errno: errno) }
        readEnd = fds[0]
        writeEnd = fds[1]
        // Children (runc, helpers) must not inherit the pipe.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        self.signals = signals.filter { $0 > 0 && $0 < 65 }
        let readEnd = self.readEnd
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 || byte == 0 { break }
                handler(Int32(byte))
            }
            close(readEnd)
        }
        Self.lock.withLock {
            for signo in self.signals {
                previousPipes[signo] = Self.pipes[Int(signo)]
                Self.pipes[Int(signo)] = writeEnd
                var action = sigaction()
                action.__sigaction_handler.sa_handler = { signo in
                    let fd = SignalWatcher.pipes[Int(signo)]
                    if fd >= 0 {
                        var byte = UInt8(truncatingIfNeeded: signo)
                        _ = write(fd, &byte, 1)
                    }
                }
                action.sa_flags = SA_RESTART
                sigemptyset(&action.sa_mask)
                var previous = sigaction()
                sigaction(signo, &action, &previous)
                previousActions[signo] = previous
            }
        }
        // The handler must run even if this thread (or a parent's spawn) blocked the signal.
        var set = sigset_t()
        sigemptyset(&set)
        for signo in self.signals { sigaddset(&set, signo) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Restores the previous dispositions and ends the delivery thread; safe to call more than once.
    public func stop() {
        Self.lock.withLock {
            guard !stopped else { return }
            stopped = true
            for signo in signals {
                if var previous = previousActions[signo] { sigaction(signo, &previous, nil) }
                Self.pipes[Int(signo)] = previousPipes[signo] ?? -1
            }
            var zero: UInt8 = 0
            _ = write(writeEnd, &zero, 1)
            close(writeEnd)
        }
    }

    deinit { stop() }
}
