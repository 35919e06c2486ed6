import Foundation

/// A static-file HTTP server on 127.0.0.1 for tests (python3's http.server), stopped on ``stop()`` or deinit.
///
/// It logs every requested path, can cut chosen files short (sends the full Content-Length, then half the
/// body, then closes: a truncated download), and picks a free port itself.
public final class LocalHTTPServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    public let baseURL: String
    public let port: Int
    private let process: Process
    private let logURL: URL
    private let lock = NSLock()
    private var stopped = false

    /// Serves `directory`; requests for any path in `truncating` (e.g. `/pool/main/x.deb`) are cut short.
    public init(serving directory: URL, truncating: [String] = []) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("distill-http-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", Self.script, String(ProcessInfo.processInfo.processIdentifier), directory.path, logURL.path] + truncating
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw LocalHTTPServerError.didNotStart(output: text)
        }
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    /// Stops the server process and waits for it to exit.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    /// Paths requested so far, in order.
    public var requestedPaths: [String] {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    private static let script = #"""
        import functools, http.server, os, signal, sys, threading, time
        # A child of a Swift test inherits the spawning thread's blocked signals; take SIGTERM back.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        parent, root, log, cut = int(sys.argv[1]), sys.argv[2], sys.argv[3], set(sys.argv[4:])
        def watch_parent():
            # Exit when the test process is gone, even if it never called stop().
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()
        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def do_GET(self):
                with open(log, "a") as f:
                    f.write(self.path + "\n")
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
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

/// Why a ``LocalHTTPServer`` could not start.
public enum LocalHTTPServerError: Error, CustomStringConvertible {
    case didNotStart(output: String)

    public var description: String {
        switch self {
        case .didNotStart(let output): return "python3 http.server did not report a port (output: '\(output)'); is python3 installed?"
        }
    }
}
