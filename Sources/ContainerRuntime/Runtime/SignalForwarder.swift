import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// While a foreground container runs, distill stays alive to clean up and passes stop signals on.
///
/// SIGTERM and SIGHUP, usually sent to distill alone, are forwarded to runc (which passes them to the
/// container). SIGINT is forwarded too unless distill is in its terminal's foreground process group,
/// where Ctrl-C already reached runc directly. SIGQUIT is ignored (the terminal sends it to runc).
/// Each stop signal calls `onStop`, which gives the container a grace period before it is killed —
/// a PID 1 without a handler (Python, most programs) ignores SIGTERM. Everything is restored by `stop()`.
final class SignalForwarder: @unchecked Sendable {
    private static let ignored: [Int32] = [SIGQUIT]
    private static let stopSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT]
    private var previous: [(Int32, sighandler_t?)] = []
    private let watcher: SignalWatcher?

    init(forwardingTo process: Subprocess, onStop: @escaping @Sendable (Int32) -> Void) {
        let terminalDeliversInterrupt = isatty(STDIN_FILENO) != 0 && tcgetpgrp(STDIN_FILENO) == getpgrp()
        for signo in Self.ignored {
            previous.append((signo, signal(signo, SIG_IGN)))
        }
        watcher = try? SignalWatcher(signals: Self.stopSignals) { signo in
            if !(signo == SIGINT && terminalDeliversInterrupt) { process.send(signo) }
            onStop(signo)
        }
    }

    func stop() {
        watcher?.stop()
        for (signo, handler) in previous {
            signal(signo, handler)
        }
        previous = []
    }
}
