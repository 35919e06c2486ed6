import Foundation
import TestSupport

/// A static server on 127.0.0.1 that answers like a cloud bucket: an ETag (the file's MD5) on every 200,
/// 304 for a matching If-None-Match, and no Last-Modified. Logs `METHOD path status` lines.
final class ETagServer {
    let baseURL: String
    private let server: ScriptServer
    private let log: URL

    init(serving directory: URL) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("distill-etag-\(UUID().uuidString).log")
        server = try ScriptServer("the ETag server", script: Self.script, arguments: [directory.path, log.path, String(getpid())])
        baseURL = "http://127.0.0.1:\(server.port)"
    }

    deinit { stop() }

    func stop() { server.stop() }

    /// `path status` of every request so far.
    var requests: [String] { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }

    private static let script = #"""
        import hashlib, http.server, os, signal, sys, threading, time
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        root, log, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def answer(self, status, body=b"", etag=None):
                with open(log, "a") as f:
                    f.write("%s %d\n" % (self.path, status))
                self.send_response(status)
                if etag: self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                path = os.path.join(root, self.path.lstrip("/"))
                if not os.path.isfile(path):
                    return self.answer(404)
                data = open(path, "rb").read()
                etag = '"%s"' % hashlib.md5(data).hexdigest()
                if self.headers.get("If-None-Match") == etag:
                    return self.answer(304, etag=etag)
                self.answer(200, data, etag)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
