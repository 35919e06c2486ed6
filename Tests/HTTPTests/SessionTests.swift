import Archive
import Foundation
import HTTP
import Testing

/// The session's redirect, retry and bound logic, driven through the in-memory fake (no server).
@Suite("HTTP session logic through the fake client")
struct SessionTests {
    let base = "http://mirror.test"

    @Test("a 500 then a success is retried once, after the base delay")
    func retriesServerError() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/a", with: [.status(500, "boom"), .ok(Data("hello".utf8))])
        let (response, data) = try await fake.data(HTTPRequest(.get, "\(base)/a"))
        #expect(String(decoding: data, as: UTF8.self) == "hello")
        #expect(response.attempts == 2)
        #expect(fake.received.count == 2)
        #expect(fake.waits == [.milliseconds(500)])
    }

    @Test("retries are bounded and back off exponentially; the error names URL, status and attempts")
    func retriesBounded() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/down", with: [.status(503, "maintenance")])
        await #expect(throws: HTTPError.status(method: .get, url: "\(base)/down", status: 503, attempts: 4, body: "maintenance")) {
            try await fake.get("\(base)/down", into: DataSink())
        }
        #expect(fake.received.count == 4)
        #expect(fake.waits == [.milliseconds(500), .seconds(1), .seconds(2)])
        let error = HTTPError.status(method: .get, url: "\(base)/down", status: 503, attempts: 4, body: "maintenance")
        #expect(error.description == "GET \(base)/down failed with HTTP 503 (after 4 attempts): maintenance")
    }

    @Test("Retry-After is honoured in seconds and as a date; one beyond the bound is not waited for")
    func retryAfter() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/busy", with: [.status(429, headers: ["Retry-After": "7"]), .ok(Data("ok".utf8))])
        _ = try await fake.data(HTTPRequest(.get, "\(base)/busy"))
        #expect(fake.waits == [.seconds(7)])

        fake.respond(to: "\(base)/later", with: [.status(503, headers: ["Retry-After": "3600"])])
        await #expect(throws: HTTPError.self) { try await fake.get("\(base)/later", into: DataSink()) }
        #expect(fake.received.filter { $0.url == "\(base)/later" }.count == 1)
        #expect(fake.waits == [.seconds(7)])
    }

    @Test(
        "Retry-After values",
        arguments: [
            ("45", Duration.seconds(45)), ("0", .seconds(0)), ("Sun, 06 Nov 1994 08:49:37 GMT", .milliseconds(4_000)),
            ("Sun, 06 Nov 1994 08:49:30 GMT", .seconds(0)), ("soon", nil), ("-5", nil),
        ])
    func retryAfterValues(value: String, expected: Duration?) {
        let now = Date(timeIntervalSince1970: 784_111_773)  // Sun, 06 Nov 1994 08:49:33 GMT
        let policy = RetryPolicy()
        #expect(policy.waitBeforeRetry(after: 1, retryAfter: value, now: now) == expected ?? .milliseconds(500))
    }

    @Test("POST and PATCH are sent again only when the server says it did not act")
    func nonIdempotent() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/uploads", with: [.status(500), .status(202)])
        await #expect(throws: HTTPError.self) { try await fake.post("\(base)/uploads", body: .data(Data("x".utf8))) }
        fake.respond(to: "\(base)/chunk", with: [.connectionReset, .status(202)])
        await #expect(throws: HTTPError.self) { try await fake.patch("\(base)/chunk", body: .data(Data("x".utf8))) }
        fake.respond(to: "\(base)/later", with: [.status(503), .status(202)])
        #expect(try await fake.post("\(base)/later", body: .none).attempts == 2)
        fake.respond(to: "\(base)/put", with: [.status(500), .status(201)])
        #expect(try await fake.put("\(base)/put", body: .data(Data("x".utf8))).attempts == 2)
        #expect(fake.received.map(\.url).map { $0.dropFirst(base.count) } == ["/uploads", "/chunk", "/later", "/later", "/put", "/put"])
    }

    @Test(
        "proxy settings from the environment, as curl reads them",
        arguments: [
            (["http_proxy": "http://u:p%40ss@proxy:3128/"], "http://a.test/x", "proxy:3128 u:p@ss"),
            (["http_proxy": "proxy"], "http://a.test/x", "proxy:1080 -"),
            (["HTTP_PROXY": "http://proxy:3128"], "http://a.test/x", "direct"),
            (["HTTPS_PROXY": "proxy:8443"], "https://a.test/x", "proxy:8443 -"),
            (["HTTPS_PROXY": "proxy:8443"], "http://a.test/x", "direct"),
            (["http_proxy": "proxy:3128", "no_proxy": "b.test, .a.test"], "http://x.a.test/y", "direct"),
            (["http_proxy": "proxy:3128", "NO_PROXY": "a.test:80"], "http://a.test/y", "direct"),
            (["http_proxy": "proxy:3128", "no_proxy": "a.test"], "http://ba.test/y", "proxy:3128 -"),
            (["http_proxy": "proxy:3128", "no_proxy": "*"], "http://a.test/y", "direct"),
            (["http_proxy": "ftp://proxy"], "http://a.test/x", "direct"),
        ])
    func proxySettings(environment: [String: String], url: String, expected: String) throws {
        let endpoint = HTTPProxySettings.environment(environment).proxy(for: try #require(URL(string: url)))
        #expect(endpoint.map { "\($0.host):\($0.port) \($0.credentials ?? "-")" } ?? "direct" == expected)
    }

    @Test("a 404 is not retried, and HEAD reports it instead of throwing")
    func notFound() async throws {
        let fake = FakeHTTPClient()
        let head = try await fake.head("\(base)/missing")
        #expect(head.status == 404)
        await #expect(throws: HTTPError.status(method: .get, url: "\(base)/missing", status: 404, attempts: 1, body: "not found")) {
            try await fake.get("\(base)/missing", into: DataSink())
        }
        #expect(fake.received.map(\.method) == [.head, .get])
    }

    @Test("a reset connection is retried; a refused one is not")
    func connectionFailures() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/reset", with: [.connectionReset, .ok(Data("ok".utf8))])
        #expect(try await fake.data(HTTPRequest(.get, "\(base)/reset")).0.attempts == 2)
        fake.respond(to: "\(base)/refused", with: [.unreachable])
        await #expect(throws: HTTPError.connection(method: .get, url: "\(base)/refused", reason: "connection refused", attempts: 1)) {
            try await fake.get("\(base)/refused", into: DataSink())
        }
    }

    @Test("redirects keep credentials on the same origin and drop them on another host or port")
    func redirectsAndCredentials() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/same", with: [.redirect(to: "/elsewhere/file")])
        fake.respond(to: "\(base)/elsewhere/file", with: [.ok(Data("same".utf8))])
        fake.respond(to: "\(base)/cross", with: [.redirect(to: "http://storage.test/blob?sig=1", status: 307)])
        fake.respond(to: "http://storage.test/blob?sig=1", with: [.ok(Data("cross".utf8))])
        fake.respond(to: "\(base)/port", with: [.redirect(to: "http://mirror.test:8080/x", status: 301)])
        fake.respond(to: "http://mirror.test:8080/x", with: [.ok(Data("port".utf8))])
        let secret: HTTPHeaders = ["Authorization": "Bearer secret", "Cookie": "c=1"]
        for path in ["same", "cross", "port"] {
            let (response, data) = try await fake.data(HTTPRequest(.get, "\(base)/\(path)", headers: secret))
            #expect(response.requestURL == "\(base)/\(path)")
            #expect(response.url != response.requestURL)
            #expect(response.attempts == 1)
            #expect(!data.isEmpty)
        }
        let followed = fake.received.filter { !$0.url.hasPrefix("\(base)/same") && !$0.url.hasPrefix("\(base)/cross") && !$0.url.hasPrefix("\(base)/port") }
        #expect(followed.map(\.url) == ["\(base)/elsewhere/file", "http://storage.test/blob?sig=1", "http://mirror.test:8080/x"])
        #expect(followed.map { $0.headers["Authorization"] } == ["Bearer secret", nil, nil])
        #expect(followed.map { $0.headers["Cookie"] } == ["c=1", nil, nil])
    }

    @Test("303 turns a POST into a GET without body; 307 repeats a PUT with its body")
    func redirectMethods() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/post", with: [.redirect(to: "\(base)/result", status: 303)])
        fake.respond(to: "\(base)/result", with: [.ok(Data())])
        fake.respond(to: "\(base)/put", with: [.redirect(to: "\(base)/put2", status: 307)])
        fake.respond(to: "\(base)/put2", with: [.status(201)])
        let body = Data("payload".utf8)
        try await fake.post("\(base)/post", headers: ["Content-Type": "text/plain"], body: .data(body))
        try await fake.put("\(base)/put", body: .data(body))
        let seen = fake.received.map { "\($0.method.rawValue) \($0.url) \($0.body.count) \($0.headers["Content-Type"] ?? "-")" }
        #expect(seen == ["POST \(base)/post 7 text/plain", "GET \(base)/result 0 -", "PUT \(base)/put 7 -", "PUT \(base)/put2 7 -"])
    }

    @Test("redirect loops, https-to-http and a missing Location are refused, naming the URL")
    func badRedirects() async throws {
        let fake = FakeHTTPClient(maxRedirects: 3)
        fake.respond(to: "\(base)/loop", with: [.redirect(to: "\(base)/loop")])
        await #expect(throws: HTTPError.tooManyRedirects(url: "\(base)/loop", limit: 3)) { try await fake.get("\(base)/loop", into: DataSink()) }
        fake.respond(to: "https://secure.test/x", with: [.redirect(to: "http://secure.test/x")])
        await #expect {
            try await fake.get("https://secure.test/x", into: DataSink())
        } throws: { error in
            guard case .badRedirect(let url, _, let reason)? = error as? HTTPError else { return false }
            return url == "https://secure.test/x" && reason.contains("https")
        }
        fake.respond(to: "\(base)/nowhere", with: [.status(302)])
        await #expect {
            try await fake.get("\(base)/nowhere", into: DataSink())
        } throws: { error in
            guard case .badRedirect(let url, _, _)? = error as? HTTPError else { return false }
            return url == "\(base)/nowhere"
        }
    }

    @Test("a body over the bound is refused before the first byte when announced, and while streaming otherwise")
    func sizeBound() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/big", with: [.ok(Data(count: 200_000))])
        let sink = DataSink()
        await #expect(throws: HTTPError.tooLarge(url: "\(base)/big", limit: 1000, size: 200_000)) {
            try await fake.get("\(base)/big", into: sink, limit: 1000)
        }
        #expect(sink.data.isEmpty)
    }

    @Test("a body cut short is an error naming the URL, and is not retried")
    func truncated() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: "\(base)/cut", with: [.truncated(Data(count: 70_000), announced: 100_000)])
        await #expect(throws: HTTPError.truncated(url: "\(base)/cut", received: 70_000, expected: 100_000)) {
            try await fake.get("\(base)/cut", into: DataSink())
        }
        #expect(fake.received.count == 1)
    }

    @Test("files are served from a folder, progress counts up to the size, and uploads are recorded")
    func filesAndUploads() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("distill-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("pool"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 * 31) })
        try content.write(to: directory.appendingPathComponent("pool/x.deb"))
        let fake = FakeHTTPClient()
        fake.serveFiles(at: "\(base)/debian/", from: directory)
        let sink = HashingSink(nil)
        let counts = Counts()
        let response = try await fake.get("\(base)/debian/pool/x.deb", into: sink, progress: { counts.add($0) })
        #expect(response.bodyBytes == 150_000 && sink.count == 150_000)
        #expect(counts.values.last == 150_000 && counts.values == counts.values.sorted())
        #expect(try await fake.head("\(base)/debian/pool/y.deb").status == 404)
        #expect(try await fake.head("\(base)/debian/../etc/passwd").status == 400)

        fake.respond(to: "\(base)/upload", with: [.status(201)])
        try await fake.patch("\(base)/upload", body: .file(path: directory.appendingPathComponent("pool/x.deb").path))
        #expect(fake.received.last?.body == content)
        await #expect(throws: HTTPError.self) { try await fake.put("\(base)/upload", body: .file(path: directory.appendingPathComponent("nope").path)) }
    }
}

/// Progress values seen from concurrent callbacks.
final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int64] = []
    func add(_ value: Int64) { lock.withLock { list.append(value) } }
    var values: [Int64] { lock.withLock { list } }
}
