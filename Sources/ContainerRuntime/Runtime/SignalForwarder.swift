import Dispatch

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
    private var sources: [DispatchSourceSignal] = []

    init(forwardingTo process: Subprocess, onStop: @escaping @Sendable (Int32) -> Void) {
        let terminalDeliversInterrupt = isatty(STDIN_FILENO) != 0 && tcgetpgrp(STDIN_FILENO) == getpgrp()
        for signo in Self.ignored + Self.stopSignals {
            previous.append((signo, signal(signo, SIG_IGN)))
        }
        for signo in Self.stopSignals {
            let forward = !(signo == SIGINT && terminalDeliversInterrupt)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                if forward { process.send(signo) }
                onStop(signo)
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        sources.forEach { $0.cancel() }
        sources = []
        for (signo, handler) in previous {
            signal(signo, handler)
        }
        previous = []
    }
}
