import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// While a foreground container runs, distill stays alive to clean up and lets runc handle signals.
///
/// Ctrl-C and Ctrl-\ reach runc directly (it is in the terminal's foreground process group) and runc
/// passes them to the container, so distill only ignores them; SIGTERM and SIGHUP, which are usually
/// sent to distill alone, are forwarded to runc. Everything is restored by `stop()`.
final class SignalForwarder: @unchecked Sendable {
    private static let ignored: [Int32] = [SIGINT, SIGQUIT]
    private static let forwarded: [Int32] = [SIGTERM, SIGHUP]
    private var previous: [(Int32, sighandler_t?)] = []
    private var sources: [DispatchSourceSignal] = []

    init(forwardingTo process: Subprocess) {
        for signo in Self.ignored + Self.forwarded {
            previous.append((signo, signal(signo, SIG_IGN)))
        }
        for signo in Self.forwarded {
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { process.send(signo) }
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
