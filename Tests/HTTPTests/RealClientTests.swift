import Archive
import Foundation
import HTTP
import ImageFormat
import Testing
import TestSupport

/// Waits requested by a retry policy, slept for real and recorded.
final class RecordedWaits: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Duration] = []
    var values: [Duration] { lock.withLock { list } }

    /// A policy with short backoff whose waits are recorded.
    func policy(maxAttempts: Int = 4) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(50)) { [self] wait in
            lock.withLock { list.append(wait) }
            try await Task.sleep(for: wait)
        }
    }
}

/// The bytes the test server's `/_/bytes/N` route sends.
private func pattern(_ count: Int) -> Data { Data((0..<count).map { UInt8(truncatingIfNeeded: $0 * 7) }) }

/// The real client (async-http-client) against the local python server on 127.0.0.1.
@Suite("HTTP session against a local server")
struct RealClientTests {
    let server: LocalHTTPServer
    let waits = RecordedWaits()
    let session: HTTPSession
    let scratch: TemporaryDirectory

    init() throws {
        scratch = try TemporaryDirectory("http")
        server = try LocalHTTPServer(serving: scratch.url)
        session = HTTPSession(options: HTTPOptions(retry: waits.policy(), proxy: .none))
    }

    @Test("a GET streams into the sink with progress; the size bound stops it, announced or chunked")
    func streamedGetAndBound() async throws {
        let sink = HashingSink(nil)
        let counts = Counts()
        let response = try await session.get("\(server.baseURL)/_/bytes/3000000", into: sink, limit: 3_000_000) { counts.add($0) }
        #expect(response.status == 200 && response.bodyBytes == 3_000_000)
        #expect(sink.digest == Digest.sha256(of: pattern(3_000_000)))
        #expect(counts.values.last == 3_000_000 && counts.values == counts.values.sorted())

        let announced = DataSink()
        let url = "\(server.baseURL)/_/bytes/200000"
        await #expect(throws: HTTPError.tooLarge(url: url, limit: 1000, size: 200_000)) {
            try await session.get(url, into: announced, limit: 1000)
        }
        #expect(announced.data.isEmpty)

        let chunked = DataSink()
        await #expect {
            try await session.get("\(server.baseURL)/_/bytes/200000?chunked=1", into: chunked, limit: 100_000)
        } throws: { error in
            guard case .tooLarge(let url, 100_000, let size)? = error as? HTTPError else { return false }
            return url.hasSuffix("/_/bytes/200000?chunked=1") && size > 100_000
        }
        #expect(chunked.data.count <= 100_000)
        await session.shutdown()
    }

    @Test("a redirect to another host (127.0.0.1 → localhost) drops Authorization; one on the same host keeps it")
    func redirectDropsAuthorization() async throws {
        let secret: HTTPHeaders = ["Authorization": "Bearer s3cret"]
        func seen(_ target: String) async throws -> [String: String] {
            let redirect = "\(server.baseURL)/_/redirect?to=\(target)"
            let (response, data) = try await session.data(HTTPRequest(.get, redirect, headers: secret))
            #expect(response.url == target && response.requestURL == redirect)
            return try JSONDecoder().decode([String: String].self, from: data)
        }
        let cross = try await seen("\(server.localhostURL)/_/headers")
        #expect(cross["authorization"] == nil)
        #expect(cross["host"] == "localhost:\(server.port)")
        let same = try await seen("\(server.baseURL)/_/headers")
        #expect(same["authorization"] == "Bearer s3cret")
        #expect(server.requests.filter { $0.hasPrefix("GET /_/headers") }.count == 2)
        await session.shutdown()
    }

    @Test("a 429 with Retry-After: 1 is retried after exactly that wait; a reset connection after the backoff")
    func retriesHonourRetryAfter() async throws {
        let (response, data) = try await session.data(HTTPRequest(.get, "\(server.baseURL)/_/flaky/a?fail=1&status=429&retry-after=1"))
        #expect(String(decoding: data, as: UTF8.self) == "ok a")
        #expect(response.attempts == 2)
        #expect(waits.values == [.seconds(1)])
        #expect(server.requests.filter { $0.hasPrefix("GET /_/flaky/a") }.count == 2)

        let reset = try await session.data(HTTPRequest(.get, "\(server.baseURL)/_/reset/b?fail=1"))
        #expect(reset.0.attempts == 2)
        #expect(waits.values == [.seconds(1), .milliseconds(50)])

        let url = "\(server.baseURL)/_/flaky/c?fail=9&status=503"
        await #expect(throws: HTTPError.status(method: .get, url: url, status: 503, attempts: 4, body: "try again")) {
            try await session.get(url, into: DataSink())
        }
        #expect(waits.values.dropFirst(2) == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
        await session.shutdown()
    }

    @Test("PUT streams a file: the server receives its exact bytes", arguments: [HTTPMethod.put, .post, .patch])
    func uploadFromFile(method: HTTPMethod) async throws {
        let path = scratch.path("upload.bin").path
        var generator = SystemRandomNumberGenerator()
        let content = Data((0..<(5 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try content.write(to: URL(fileURLWithPath: path))
        let sink = DataSink()
        let response = try await session.upload(
            method, "\(server.baseURL)/_/echo", headers: ["Content-Type": "application/octet-stream"], body: .file(path: path), into: sink,
            limit: 1 << 20)
        #expect(response.status == 201)
        let echo = try JSONSerialization.jsonObject(with: sink.data) as? [String: Any]
        #expect(echo?["method"] as? String == method.rawValue)
        #expect(echo?["size"] as? Int == content.count)
        #expect(echo?["sha256"] as? String == Digest.sha256(of: content).encoded)
        #expect((echo?["headers"] as? [String: String])?["content-length"] == String(content.count))

        let small = try await session.data(HTTPRequest(method, "\(server.baseURL)/_/echo", body: .data(Data("{}".utf8))))
        #expect((try JSONSerialization.jsonObject(with: small.1) as? [String: Any])?["size"] as? Int == 2)
        await session.shutdown()
    }

    @Test("sequential requests reuse one connection")
    func connectionReuse() async throws {
        for i in 0..<8 {
            let sink = DataSink()
            try await session.get("\(server.baseURL)/_/bytes/\(1000 + i)", into: sink)
            #expect(sink.data.count == 1000 + i)
        }
        _ = try await session.head("\(server.baseURL)/_/headers")
        #expect(server.requests.count == 9)
        #expect(server.connectionCount == 1)
        await session.shutdown()
    }

    @Test("http_proxy tunnels requests through the proxy; no_proxy hosts go direct")
    func proxy() async throws {
        let environment = ["http_proxy": "http://127.0.0.1:\(server.port)", "no_proxy": "localhost,.internal"]
        let proxied = HTTPSession(options: HTTPOptions(retry: .never, proxy: .environment(environment)))
        let (_, data) = try await proxied.data(HTTPRequest(.get, "http://mirror.test:\(server.port)/_/headers"))
        #expect(try JSONDecoder().decode([String: String].self, from: data)["host"] == "mirror.test:\(server.port)")
        _ = try await proxied.data(HTTPRequest(.get, "\(server.localhostURL)/_/bytes/3"))
        #expect(server.proxiedURLs == ["CONNECT mirror.test:\(server.port)"])
        #expect(server.requests == ["GET /_/headers", "GET /_/bytes/3"])
        await proxied.shutdown()
        await session.shutdown()
    }

    @Test("a server that stays silent longer than the idle timeout is abandoned, naming the URL")
    func idleTimeout() async throws {
        let impatient = HTTPSession(options: HTTPOptions(idleTimeout: .milliseconds(300), retry: .never, proxy: .none))
        let url = "\(server.baseURL)/_/stall?seconds=3"
        await #expect(throws: HTTPError.timedOut(method: .get, url: url, seconds: 0.3, attempts: 1)) {
            try await impatient.get(url, into: DataSink())
        }
        await impatient.shutdown()
        await session.shutdown()
    }

    @Test("a body cut short, a 404 and a refused connection are errors naming the URL")
    func failures() async throws {
        try Data(count: 100_000).write(to: scratch.path("cut.bin"))
        let truncating = try LocalHTTPServer(serving: scratch.url, truncating: ["/cut.bin"])
        defer { truncating.stop() }
        let cut = "\(truncating.baseURL)/cut.bin"
        // The server sends half, then closes; bytes still in flight when the close is seen may not be counted.
        await #expect {
            try await session.get(cut, into: DataSink())
        } throws: { error in
            guard case .truncated(cut, let received, 100_000)? = error as? HTTPError else { return false }
            return received <= 50_000
        }
        let missing = "\(server.baseURL)/missing.deb"
        await #expect {
            try await session.get(missing, into: DataSink())
        } throws: { error in
            guard case .status(.get, missing, 404, 1, _)? = error as? HTTPError else { return false }
            return "\(error)".contains(missing)
        }
        let refused = "http://127.0.0.1:9/x"
        await #expect {
            try await session.get(refused, into: DataSink())
        } throws: { error in
            guard case .connection(.get, refused, _, 1)? = error as? HTTPError else { return false }
            return "\(error)".contains(refused)
        }
        await #expect(throws: HTTPError.invalidURL(url: "ftp://x/y", reason: "not an http(s) URL")) {
            try await session.get("ftp://x/y", into: DataSink())
        }
        await session.shutdown()
    }
}
