import Foundation

/// A static-file HTTP server on 127.0.0.1 for tests (python3's http.server), stopped on ``stop()`` or deinit.
///
/// It logs every requested path and every accepted connection, can cut chosen files short (sends the full
/// Content-Length, then half the body, then closes: a truncated download), and picks a free port itself.
///
/// Test routes under `/_/` (for the HTTP client's tests):
/// - `bytes/N[?chunked=1]`: N bytes; `headers`: the request headers as JSON; `redirect?to=URL&status=302`;
/// - `flaky/KEY?fail=N&status=503&retry-after=S`: N failures, then 200; `reset/KEY?fail=N`: N connections reset
///   before any answer, then 200; `stall?seconds=S`: answers after S seconds;
/// - PUT/POST/PATCH `echo`: answers method, size and sha256 of the body it read, as JSON.
/// As an HTTP proxy it tunnels CONNECT to the asked port on 127.0.0.1 (any host name), logged in ``proxiedURLs``.
public final class LocalHTTPServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    public let baseURL: String
    public let port: Int
    private let server: ScriptServer
    private let logURL: URL

    /// Serves `directory`; requests for any path in `truncating` (e.g. `/pool/main/x.deb`) are cut short.
    public init(serving directory: URL, truncating: [String] = []) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("distill-http-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        server = try ScriptServer(
            "python3 http.server", script: Self.script,
            arguments: [String(ProcessInfo.processInfo.processIdentifier), directory.path, logURL.path] + truncating)
        port = server.port
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    /// Stops the server process and waits for it to exit.
    public func stop() {
        server.stop()
        for suffix in ["", ".all", ".connections", ".proxied"] { try? FileManager.default.removeItem(atPath: logURL.path + suffix) }
    }

    /// Paths requested with GET so far, in order.
    public var requestedPaths: [String] { lines(of: logURL) }

    /// Every request so far as `METHOD path`, in order.
    public var requests: [String] { lines(of: URL(fileURLWithPath: logURL.path + ".all")) }

    /// How many TCP connections the server has accepted.
    public var connectionCount: Int { lines(of: URL(fileURLWithPath: logURL.path + ".connections")).count }

    /// `CONNECT host:port` for each tunnel asked of the server as a proxy, in order.
    public var proxiedURLs: [String] { lines(of: URL(fileURLWithPath: logURL.path + ".proxied")) }

    /// `http://localhost:PORT`: the same server under another host name (for cross-host redirects).
    public var localhostURL: String { "http://localhost:\(port)" }

    private func lines(of url: URL) -> [String] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    private static let script = #"""
        import functools, hashlib, http.server, json, os, select, signal, socket, struct, sys, threading, time, urllib.parse
        # A child of a Swift test inherits the spawning thread's blocked signals; take SIGTERM back.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        parent, root, log, cut = int(sys.argv[1]), sys.argv[2], sys.argv[3], set(sys.argv[4:])
        lock = threading.Lock()
        counts = {}
        def watch_parent():
            # Exit when the test process is gone, even if it never called stop().
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()
        def append(path, line):
            with lock, open(path, "a") as f:
                f.write(line + "\n")
        def nth(key):
            with lock:
                counts[key] = counts.get(key, 0) + 1
                return counts[key]
        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def do_CONNECT(self):
                # As an HTTP proxy: tunnel to the asked port on 127.0.0.1, whatever the host name.
                append(log + ".proxied", "CONNECT " + self.path)
                upstream = socket.create_connection(("127.0.0.1", int(self.path.rsplit(":", 1)[1])))
                self.send_response(200, "Connection established")
                self.end_headers()
                self.wfile.flush()
                sockets = [self.connection, upstream]
                while True:
                    readable, _, _ = select.select(sockets, [], [], 30)
                    if not readable:
                        break
                    source = readable[0]
                    data = source.recv(65536)
                    if not data:
                        break
                    (upstream if source is self.connection else self.connection).sendall(data)
                upstream.close()
                self.close_connection = True
            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            def read_body(self):
                digest, size = hashlib.sha256(), 0
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    while True:
                        n = int(self.rfile.readline().split(b";")[0], 16)
                        if n == 0:
                            self.rfile.readline()
                            break
                        data = self.rfile.read(n)
                        digest.update(data)
                        size += len(data)
                        self.rfile.readline()
                else:
                    left = int(self.headers.get("Content-Length", "0"))
                    while left > 0:
                        data = self.rfile.read(min(left, 1 << 20))
                        if not data:
                            break
                        digest.update(data)
                        size += len(data)
                        left -= len(data)
                return size, digest.hexdigest()
            def dynamic(self):
                # Test routes under /_/: status codes, redirects, Retry-After, resets, echo of headers and uploads.
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                parts = url.path.split("/")[2:]
                route = parts[0] if parts else ""
                if route == "bytes":
                    n = int(parts[1])
                    body = bytes((i * 7) & 0xFF for i in range(n))
                    if query.get("chunked"):
                        self.send_response(200)
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for i in range(0, n, 65536):
                            chunk = body[i:i + 65536]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.reply(200, body)
                elif route == "headers":
                    received = {k.lower(): v for k, v in self.headers.items()}
                    self.reply(200, json.dumps(received, sort_keys=True).encode(), [("Content-Type", "application/json")])
                elif route == "redirect":
                    self.reply(int(query.get("status", "302")), b"", [("Location", query["to"])])
                elif route == "flaky":
                    if nth("flaky/" + parts[1]) <= int(query.get("fail", "1")):
                        extra = [("Retry-After", query["retry-after"])] if "retry-after" in query else []
                        self.reply(int(query.get("status", "503")), b"try again", extra)
                    else:
                        self.reply(200, ("ok " + parts[1]).encode())
                elif route == "reset":
                    if nth("reset/" + parts[1]) <= int(query.get("fail", "1")):
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        self.connection.close()
                        self.close_connection = True
                    else:
                        self.reply(200, ("ok " + parts[1]).encode())
                elif route == "stall":
                    time.sleep(float(query.get("seconds", "3")))
                    self.reply(200, b"late")
                elif route == "echo":
                    size, digest = self.read_body()
                    answer = {"method": self.command, "size": size, "sha256": digest,
                              "headers": {k.lower(): v for k, v in self.headers.items()}}
                    self.reply(int(query.get("status", "201")), json.dumps(answer, sort_keys=True).encode(),
                               [("Content-Type", "application/json")])
                else:
                    self.reply(404, b"no such test route")
            def handle_one(self):
                append(log + ".all", self.command + " " + self.path)
                if self.path.startswith("/_/"):
                    self.dynamic()
                    return True
                return False
            def do_GET(self):
                with lock, open(log, "a") as f:
                    f.write(self.path + "\n")
                if self.handle_one():
                    return
                if self.path in cut:
                    with open(os.path.join(root, self.path.lstrip("/")), "rb") as f:
                        data = f.read()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                super().do_GET()
            def do_HEAD(self):
                if not self.handle_one():
                    super().do_HEAD()
            def do_PUT(self):
                if not self.handle_one():
                    self.reply(405)
            do_POST = do_PUT
            do_PATCH = do_PUT
        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            def verify_request(self, request, client_address):
                append(log + ".connections", str(client_address[1]))
                return True
        server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

/// Why a ``LocalHTTPServer`` could not start.
