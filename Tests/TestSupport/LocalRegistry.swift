import Foundation

/// Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 at a free port, for tests: plain http, or https with
/// a CA made for the test plus htpasswd (bcrypt) accounts. Its files (config, storage, certificates, log) live in a
/// private temporary directory; ``stop()`` (or the test process ending) stops it.
///
/// Its access log is kept, so a test can count what was uploaded (``requests(_:pathContaining:)``).
public final class LocalRegistry: @unchecked Sendable {
    /// How the registry is reached.
    public enum Mode: Sendable {
        /// Plain http, no auth.
        case plain
        /// https with a certificate for 127.0.0.1 signed by a fresh CA, and Basic auth against these accounts.
        case tls(users: [String: String])
    }

    /// `127.0.0.1:PORT`.
    public let host: String
    public let port: Int
    /// The PEM file of the CA that signed the registry's certificate (TLS mode only).
    public let caCertificate: String?
    /// The private directory holding config, storage and log.
    public let directory: String
    private let process: Process
    private let logPath: String
    private let lock = NSLock()
    private var stopped = false

    /// Starts a registry in `mode` and waits until it accepts connections (at most 20 s).
    public init(_ mode: Mode) throws {
        guard let registry = ["/usr/bin/docker-registry", "/usr/sbin/docker-registry"].first(where: FileManager.default.isExecutableFile) else {
            throw FixtureError("docker-registry is not installed; run scripts/install-deps.sh test")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("distill-registry-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        directory = dir
        logPath = dir + "/registry.log"
        var tlsConfig = ""
        var authConfig = ""
        if case .tls(let users) = mode {
            try Self.makeCertificates(in: dir)
            caCertificate = dir + "/ca.crt"
            var lines = ""
            for (user, password) in users.sorted(by: { $0.key < $1.key }) {
                lines += try Tool.check(["htpasswd", "-nbB", user, password]).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: dir + "/htpasswd"))
            tlsConfig = "\n  tls:\n    certificate: \(dir)/server.crt\n    key: \(dir)/server.key"
            authConfig = "auth:\n  htpasswd:\n    realm: distill-test\n    path: \(dir)/htpasswd\n"
        } else {
            caCertificate = nil
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = try Self.freePort()
            let config = """
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: false
                storage:
                  filesystem:
                    rootdirectory: \(dir)/storage
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:\(port)
                  secret: distill-test-secret\(tlsConfig)
                \(authConfig)
                """
            try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/config.yml"))
            FileManager.default.createFile(atPath: logPath, contents: nil)
            // A python3 parent that stops the registry when told to or when the test process goes away. It clears the
            // signal mask first: Foundation's Process passes on the test thread's, which blocks SIGTERM and SIGCHLD.
            let watcher = Process()
            watcher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            watcher.arguments = [
                "python3", "-c", Self.watcherScript, registry, dir + "/config.yml", logPath, String(ProcessInfo.processInfo.processIdentifier),
            ]
            watcher.standardInput = FileHandle.nullDevice
            watcher.standardOutput = FileHandle.nullDevice
            watcher.standardError = FileHandle.nullDevice
            try watcher.run()
            if Self.waitForListener(port: port, process: watcher, seconds: 20) {
                process = watcher
                self.port = port
                host = "127.0.0.1:\(port)"
                return
            }
            watcher.terminate()
            watcher.waitUntilExit()
            lastError = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if !lastError.contains("address already in use") { break }
        }
        try? FileManager.default.removeItem(atPath: dir)
        throw FixtureError("docker-registry did not start: \(lastError.suffix(2000))")
    }

    deinit { stop() }

    private static let watcherScript = """
        import os, signal, subprocess, sys, time
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        registry, config, log, parent = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        out = open(log, "ab", buffering=0)
        child = subprocess.Popen([registry, "serve", config], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        # The handler only asks: waiting on the child inside it deadlocks when the signal lands while the loop
        # below is in child.poll(), which holds the lock Popen.wait() needs (it hung a full test run).
        stopping = False
        def ask_to_stop(*_):
            global stopping
            stopping = True
        signal.signal(signal.SIGTERM, ask_to_stop)
        while not stopping and child.poll() is None:
            try:
                os.kill(parent, 0)
            except OSError:
                break
            time.sleep(0.3)
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        """

    /// Stops the registry and removes its files.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Everything the registry logged so far (its access log included).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Access-log request lines (`METHOD /path HTTP/1.1`) with `method` whose path contains `fragment`, in order.
    public func requests(_ method: String, pathContaining fragment: String = "") -> [String] {
        log.split(separator: "\n").compactMap { line -> String? in
            // 127.0.0.1 - - [date] "PATCH /v2/app/blobs/uploads/… HTTP/1.1" 202 0 "" "distill"
            guard let open = line.firstIndex(of: "\""), line.contains("] \"") else { return nil }
            let rest = line[line.index(after: open)...]
            guard let close = rest.firstIndex(of: "\"") else { return nil }
            let request = String(rest[..<close])
            guard request.hasPrefix(method + " "), request.contains(fragment) else { return nil }
            return request
        }
    }

    /// Requests that carried blob bytes into repositories under `prefix` (`app`, `team/`): PATCH to an upload session,
    /// and PUT closing one (a monolithic upload's PUT carries the blob).
    public func blobUploadRequests(_ prefix: String = "") -> [String] {
        let fragment = "/v2/\(prefix)"
        return (requests("PATCH", pathContaining: "/blobs/uploads/") + requests("PUT", pathContaining: "/blobs/uploads/")).filter {
            $0.split(separator: " ").dropFirst().first?.hasPrefix(fragment) ?? false
        }
    }

    private static func makeCertificates(in dir: String) throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Tool.check(
            ["openssl", "req", "-x509"] + ec + [
                "-keyout", dir + "/ca.key", "-out", dir + "/ca.crt", "-days", "2", "-subj", "/CN=distill test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try Tool.check(["openssl", "req"] + ec + ["-keyout", dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=127.0.0.1"])
        let extensions = "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: dir + "/server.ext"))
        try Tool.check([
            "openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.crt", "-CAkey", dir + "/ca.key", "-CAcreateserial",
            "-out", dir + "/server.crt", "-days", "2", "-extfile", dir + "/server.ext",
        ])
    }

    /// A port nothing listens on right now (the kernel's pick for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError("bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` within `seconds`, while `process` runs.
    static func waitForListener(port: Int, process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && process.isRunning {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}

extension LocalRegistry {
    /// The registry of the running suite (set by the test target's suite trait, which starts one per suite).
    @TaskLocal public static var current: LocalRegistry?

    /// ``current``, or an error telling how the suite should be declared.
    public static func require() throws -> LocalRegistry {
        guard let current else { throw FixtureError("no local registry: declare the suite with the .localRegistry(…) trait") }
        return current
    }
}
