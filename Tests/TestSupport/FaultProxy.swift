import Foundation

/// A small HTTP/1.1 proxy on 127.0.0.1 in front of a server (a ``LocalRegistry``) that breaks chosen requests, for
/// fault tests: it answers a status instead (500, 429 with Retry-After), cuts the connection in the middle of a
/// body, or flips a byte of a body, each rule a given number of times; everything else is relayed untouched.
///
/// Every connection carries one request (the proxy asks the server for `Connection: close`), so a rule sees each
/// request on its own. It runs as a python3 script (plain sockets, a thread per connection) and stops with the test.
public final class FaultProxy: @unchecked Sendable {
    /// What to do to a request that matches.
    public enum Fault: Sendable {
        /// Answer `status` (with `Retry-After: retryAfter` when given) without asking the server.
        case status(Int, retryAfter: Int? = nil)
        /// Relay the answer's head and `bytes` of its body, then close the connection.
        case dropResponse(afterBytes: Int)
        /// Send `bytes` of the request body on to the server, then close both connections.
        case dropRequest(afterBytes: Int)
        /// Flip every bit of the answer body's byte at `offset`.
        case flipResponse(offset: Int)
        /// Flip every bit of the request body's byte at `offset` on its way to the server.
        case flipRequest(offset: Int)
    }

    /// A fault for requests whose method is `method` and whose path contains `path`, at most `times` times.
    public struct Rule: Sendable {
        public var method: String
        public var path: String
        public var fault: Fault
        public var times: Int

        public init(_ method: String, _ path: String, _ fault: Fault, times: Int = 1) {
            self.method = method
            self.path = path
            self.fault = fault
            self.times = times
        }

        var json: [String: Any] {
            var object: [String: Any] = ["method": method, "path": path, "times": times]
            switch fault {
            case .status(let status, let retryAfter):
                object["kind"] = "status"
                object["status"] = status
                if let retryAfter { object["retry_after"] = retryAfter }
            case .dropResponse(let bytes): object["kind"] = "drop_response"; object["bytes"] = bytes
            case .dropRequest(let bytes): object["kind"] = "drop_request"; object["bytes"] = bytes
            case .flipResponse(let offset): object["kind"] = "flip_response"; object["offset"] = offset
            case .flipRequest(let offset): object["kind"] = "flip_request"; object["offset"] = offset
            }
            return object
        }
    }

    /// `127.0.0.1:PORT`, to be used instead of the server's address.
    public let host: String
    public let port: Int
    private let server: ScriptServer
    private let logPath: String

    /// A proxy to `127.0.0.1:targetPort` applying `rules` in order (the first matching rule with uses left wins).
    public init(to targetPort: Int, rules: [Rule]) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("distill-proxy-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let rulesJSON = String(decoding: try JSONSerialization.data(withJSONObject: rules.map(\.json)), as: UTF8.self)
        let port = try LocalRegistry.freePort()
        server = try ScriptServer(
            "the fault proxy", script: Self.script, arguments: [String(port), String(targetPort), rulesJSON, logPath, String(getpid())],
            listeningOn: port)
        self.port = port
        host = "127.0.0.1:\(port)"
    }

    deinit { stop() }

    /// Stops the proxy.
    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Every fault applied so far, as `kind METHOD path`.
    public var applied: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private static let script = #"""
        import json, os, signal, socket, sys, threading, time
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        port, target, rules, log, parent = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        lock = threading.Lock()

        def note(text):
            with lock, open(log, "a") as f:
                f.write(text + "\n")

        def pick(method, path):
            with lock:
                for rule in rules:
                    if rule["times"] > 0 and rule["method"] == method and rule["path"] in path:
                        rule["times"] -= 1
                        return dict(rule)
            return None

        def read_head(sock, buffered=b""):
            data = buffered
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return None, b""
                data += chunk
            head, rest = data.split(b"\r\n\r\n", 1)
            return head, rest

        def content_length(head):
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    return int(value.strip())
            return 0

        def with_close(head):
            lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"connection:")]
            return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n"

        def relay_body(source, sink, rest, length, rule, kind):
            sent = 0
            data = rest
            while True:
                if data:
                    if rule and rule["kind"] == "flip_" + kind and sent <= rule["offset"] < sent + len(data):
                        i = rule["offset"] - sent
                        data = data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]
                    if rule and rule["kind"] == "drop_" + kind and sent + len(data) >= rule["bytes"]:
                        sink.sendall(data[: rule["bytes"] - sent])
                        return False
                    sink.sendall(data)
                    sent += len(data)
                if length is not None and sent >= length:
                    return True
                data = source.recv(65536)
                if not data:
                    return True

        def handle(client):
            upstream = None
            try:
                head, rest = read_head(client)
                if head is None:
                    return
                method, path = head.split(b"\r\n")[0].decode().split(" ")[:2]
                rule = pick(method, path)
                if rule:
                    note(rule["kind"] + " " + method + " " + path)
                if rule and rule["kind"] == "status":
                    length = content_length(head)
                    remaining = length - len(rest)
                    while remaining > 0:
                        chunk = client.recv(min(65536, remaining))
                        if not chunk:
                            break
                        remaining -= len(chunk)
                    extra = "Retry-After: %d\r\n" % rule["retry_after"] if "retry_after" in rule else ""
                    body = b'{"errors":[{"code":"UNKNOWN","message":"injected by the test proxy"}]}'
                    client.sendall(("HTTP/1.1 %d Injected\r\n%sContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                                    % (rule["status"], extra, len(body))).encode() + body)
                    return
                upstream = socket.create_connection(("127.0.0.1", target))
                upstream.sendall(with_close(head))
                if not relay_body(client, upstream, rest, content_length(head), rule, "request"):
                    return
                response_head, response_rest = read_head(upstream)
                if response_head is None:
                    return
                client.sendall(response_head + b"\r\n\r\n")
                if method != "HEAD":
                    relay_body(upstream, client, response_rest, None, rule, "response")
            except OSError:
                pass
            finally:
                for s in (client, upstream):
                    if s:
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        s.close()

        def watch():
            while True:
                try:
                    os.kill(parent, 0)
                except OSError:
                    os._exit(0)
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(64)
        while True:
            connection, _ = server.accept()
            threading.Thread(target=handle, args=(connection,), daemon=True).start()
        """#
}
