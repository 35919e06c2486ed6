import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Removes registered scratch folders when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP), then
/// dies of the same signal, so an interrupted build leaves nothing behind and its caller sees why it ended.
///
/// Commands that stage large outputs (build, convert) call ``install()``; every ``PrivateDirectory``
/// registers itself while it exists. Without `install()` nothing changes: the signal's default action applies
/// and the next run's sweep removes what is left (its owner's pid is gone).
public enum InterruptCleanup {
    private struct State {
        var cleanups: [ObjectIdentifier: @Sendable () -> Void] = [:]
        var watcher: SignalWatcher?
    }
    private static let state = Mutex(State())

    /// Starts watching SIGINT, SIGTERM and SIGHUP (once per process).
    public static func install() {
        state.withLock { state in
            guard state.watcher == nil else { return }
            state.watcher = try? SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { signo in interrupted(by: signo) }
        }
    }

    /// Registers `cleanup` under `owner` until ``unregister(_:)``.
    static func register(_ owner: ObjectIdentifier, _ cleanup: @escaping @Sendable () -> Void) {
        state.withLock { $0.cleanups[owner] = cleanup }
    }

    static func unregister(_ owner: ObjectIdentifier) {
        _ = state.withLock { $0.cleanups.removeValue(forKey: owner) }
    }

    private static func interrupted(by signo: Int32) {
        let pending = state.withLock { Array($0.cleanups.values) }
        for cleanup in pending { cleanup() }
        // Die of the same signal, so the caller sees why distill ended (130 for Ctrl-C in a shell).
        signal(signo, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signo)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signo)
    }
}
