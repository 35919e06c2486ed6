import Foundation
import TestSupport

/// A mirror on 127.0.0.1 that lies: it serves `directory`, except that chosen paths answer with a
/// Content-Length of 10 GiB (`.hugeLength`) or a body without a length that does not end until the client
/// hangs up (`.endless`: text generated as it is sent, stopped at 16 GiB). It logs how many body bytes it
/// managed to send on each of those.
final class HostileMirror {
    enum Lie: String {
        case hugeLength = "huge-length"
        case endless
    }

    let baseURL: String
    private let server: ScriptServer
    private let log: URL

    init(serving directory: URL, lies: [String: Lie]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("distill-hostile-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        server = try ScriptServer(
            "the hostile mirror", script: Self.script,
            arguments: [String(getpid()), directory.path, log.path] + lies.map { "\($0.key)=\($0.value.rawValue)" })
        baseURL = "http://127.0.0.1:\(server.port)"
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: log)
    }

    /// Body bytes sent for `path` once the client hung up, waiting up to `timeout` seconds; nil if still sending.
    func bytesSent(_ path: String, timeout: Double = 20) -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
            if let line = lines.last(where: { $0.hasPrefix(path + " ") }) { return Int(line.split(separator: " ").last ?? "") }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }

    private static let script = #"""
        import functools, http.server, os, signal, sys, threading, time
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        parent, root, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        lies = dict(arg.split("=", 1) for arg in sys.argv[4:])
        def watch_parent():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()
        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def do_GET(self):
                lie = lies.get(self.path)
                if lie is None:
                    return super().do_GET()
                sent = 0
                total = 10 * 1024**3 if lie == "huge-length" else 16 * 1024**3
                chunk = (b"\0" if lie == "huge-length" else b"Junk: x\n") * 8192
                try:
                    self.send_response(200)
                    if lie == "huge-length":
                        self.send_header("Content-Length", str(total))
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    while sent < total:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                except OSError:
                    pass
                finally:
                    self.close_connection = True
                    with open(log, "a") as f:
                        f.write("%s %d\n" % (self.path, sent))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
