import Archive
import Foundation
import Synchronization

/// An in-memory ``HTTPClient`` for tests of other modules: scripted answers per URL, files served from a folder,
/// every request on the "wire" recorded. Redirects, retries and size bounds run through the real ``HTTPSession``
/// logic; only the wire is fake, and retry waits are recorded instead of slept.
///
/// It lives in the library (like `MemoryImage`) so every test target that imports HTTP can use it without
/// making TestSupport, which every test target links, depend on the network stack.
public final class FakeHTTPClient: HTTPClient {
    /// A request as the fake server received it, body included.
    public struct Received: Sendable, Equatable {
        /// The method it was sent with.
        public var method: HTTPMethod
        /// The URL it was sent to (after redirects, the new one).
        public var url: String
        /// The fields it carried.
        public var headers: HTTPHeaders
        /// The body it carried (a file body is read whole: tests only).
        public var body: Data
    }

    private let state: FakeServer
    private let session: HTTPSession

    /// A fake whose retries follow `retry` (its `sleep` is replaced: waits are recorded in ``waits``).
    public init(retry: RetryPolicy = RetryPolicy(), maxRedirects: Int = 10) {
        let state = FakeServer()
        var retry = retry
        retry.sleep = { duration in state.recordWait(duration) }
        self.state = state
        session = HTTPSession(transport: FakeTransport(server: state), options: HTTPOptions(maxRedirects: maxRedirects, retry: retry))
    }

    /// Answers requests for `url` with `replies` in turn; the last one answers every later request.
    public func respond(to url: String, with replies: [FakeReply]) {
        state.script(url, replies)
    }

    /// Answers GET and HEAD for `baseURL/PATH` with the file `directory/PATH` (404 when it is missing).
    public func serveFiles(at baseURL: String, from directory: URL) {
        state.addRoot(baseURL, directory)
    }

    /// Every request received so far, retries and redirects included, in order.
    public var received: [Received] { state.received }

    /// Waits the retry policy asked for, in order.
    public var waits: [Duration] { state.waits }

    public func send(
        _ request: HTTPRequest, into sink: (any ByteSink)?, limit: Int64?, progress: (@Sendable (Int64) -> Void)?
    ) async throws(HTTPError) -> HTTPResponse {
        try await session.send(request, into: sink, limit: limit, progress: progress)
    }
}

/// One scripted answer of a ``FakeHTTPClient``.
public struct FakeReply: Sendable {
    enum Body: Sendable {
        case data(Data)
        case file(String)
        /// Announces `announced` bytes, sends `data`, then loses the connection.
        case cut(Data, announced: Int64)
    }

    var status: Int
    var headers: HTTPHeaders
    var body: Body
    /// Fails before any answer instead.
    var failure: HTTPTransportError?

    /// 200 with `data`.
    public static func ok(_ data: Data, headers: HTTPHeaders = [:]) -> FakeReply {
        FakeReply(status: 200, headers: headers, body: .data(data))
    }

    /// 200 with the file at `path`, streamed.
    public static func file(_ path: String, headers: HTTPHeaders = [:]) -> FakeReply {
        FakeReply(status: 200, headers: headers, body: .file(path))
    }

    /// `code` with a short text body.
    public static func status(_ code: Int, _ text: String = "", headers: HTTPHeaders = [:]) -> FakeReply {
        FakeReply(status: code, headers: headers, body: .data(Data(text.utf8)))
    }

    /// A redirect (`code` 301/302/303/307/308) to `location`.
    public static func redirect(to location: String, status code: Int = 302) -> FakeReply {
        FakeReply(status: code, headers: ["Location": location], body: .data(Data()))
    }

    /// 200 announcing `announced` bytes that sends only `data`, then drops the connection.
    public static func truncated(_ data: Data, announced: Int64) -> FakeReply {
        FakeReply(status: 200, headers: [:], body: .cut(data, announced: announced))
    }

    /// The connection is reset before any answer.
    public static let connectionReset = FakeReply(
        status: 0, headers: [:], body: .data(Data()), failure: HTTPTransportError(.connectionLost, "connection reset by peer"))

    /// Nothing listens.
    public static let unreachable = FakeReply(
        status: 0, headers: [:], body: .data(Data()), failure: HTTPTransportError(.unreachable, "connection refused"))
}

/// The fake server's state, shared by the client and its transport.
final class FakeServer: Sendable {
    private struct State {
        var scripts: [String: [FakeReply]] = [:]
        var roots: [(base: String, directory: URL)] = []
        var received: [FakeHTTPClient.Received] = []
        var waits: [Duration] = []
    }

    private let state = Mutex(State())

    func script(_ url: String, _ replies: [FakeReply]) { state.withLock { $0.scripts[url] = replies } }
    func addRoot(_ base: String, _ directory: URL) { state.withLock { $0.roots.append((Self.trimmed(base), directory)) } }
    func recordWait(_ duration: Duration) { state.withLock { $0.waits.append(duration) } }
    var received: [FakeHTTPClient.Received] { state.withLock { $0.received } }
    var waits: [Duration] { state.withLock { $0.waits } }

    /// Records `request` and picks its answer.
    func answer(_ request: HTTPRequest, body: Data) -> FakeReply {
        state.withLock { state in
            state.received.append(.init(method: request.method, url: request.url, headers: request.headers, body: body))
            if var replies = state.scripts[request.url], let first = replies.first {
                if replies.count > 1 {
                    replies.removeFirst()
                    state.scripts[request.url] = replies
                }
                return first
            }
            for root in state.roots where request.url.hasPrefix(root.base + "/") {
                let relative = request.url.dropFirst(root.base.count).split(separator: "/").map(String.init)
                guard !relative.isEmpty, !relative.contains(".."), !relative.contains(".") else { return .status(400, "bad path") }
                let path = relative.reduce(root.directory) { $0.appendingPathComponent($1) }.path
                var info = stat()
                if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { return .file(path) }
            }
            return .status(404, "not found")
        }
    }

    private static func trimmed(_ base: String) -> String {
        base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}

/// Answers from a ``FakeServer`` instead of the network.
struct FakeTransport: HTTPTransport {
    let server: FakeServer

    func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPTransportResponse {
        let body: Data
        switch request.body {
        case .none: body = Data()
        case .data(let data): body = data
        case .file(let path):
            do {
                body = try FileSource(path: path).readAll(limit: 1 << 30, what: path)
            } catch {
                throw HTTPTransportError(.bodyUnreadable(path: path), "\(error)")
            }
        case .fileRange(let path, let offset, let length):
            do {
                let whole = try FileSource(path: path).readAll(limit: 1 << 30, what: path)
                guard offset >= 0, length >= 0, offset + length <= Int64(whole.count) else {
                    throw HTTPTransportError(.bodyUnreadable(path: path), "range outside the file")
                }
                body = whole.subdata(in: Int(offset)..<Int(offset + length))
            } catch let error as HTTPTransportError {
                throw error
            } catch {
                throw HTTPTransportError(.bodyUnreadable(path: path), "\(error)")
            }
        }
        let reply = server.answer(request, body: body)
        if let failure = reply.failure { throw failure }
        var headers = reply.headers
        let reader: FakeBodyReader
        switch reply.body {
        case .data(let data):
            reader = FakeBodyReader(chunks: Self.chunks(data), failure: nil)
            headers["Content-Length"] = String(data.count)
        case .cut(let data, let announced):
            reader = FakeBodyReader(chunks: Self.chunks(data), failure: HTTPTransportError(.connectionLost, "connection closed"))
            headers["Content-Length"] = String(announced)
        case .file(let path):
            do {
                let size = try HTTPRequestBody.file(path: path).length(url: request.url)
                reader = FakeBodyReader(chunks: [], failure: nil, file: try FileSource(path: path))
                headers["Content-Length"] = String(size)
            } catch {
                return HTTPTransportResponse(status: 500, headers: [:], body: FakeBodyReader(chunks: [], failure: nil))
            }
        }
        if request.method == .head { return HTTPTransportResponse(status: reply.status, headers: headers, body: FakeBodyReader(chunks: [], failure: nil)) }
        return HTTPTransportResponse(status: reply.status, headers: headers, body: reader)
    }

    func shutdown() async {}

    private static func chunks(_ data: Data) -> [Data] {
        stride(from: 0, to: data.count, by: 64 << 10).map { data.subdata(in: $0..<min($0 + (64 << 10), data.count)) }
    }
}

/// Hands out prepared chunks (or a file's), then ends or fails.
private struct FakeBodyReader: HTTPBodyReader {
    var chunks: [Data]
    var failure: HTTPTransportError?
    var file: FileSource?

    mutating func next(_ consume: (UnsafeRawBufferPointer) -> Void) async throws(HTTPTransportError) -> Bool {
        if let file {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
            defer { buffer.deallocate() }
            let n: Int
            do {
                n = try file.read(into: buffer)
            } catch {
                throw HTTPTransportError(.connectionLost, "\(error)")
            }
            if n == 0 { return false }
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return true
        }
        if chunks.isEmpty {
            if let failure { throw failure }
            return false
        }
        chunks.removeFirst().withUnsafeBytes { consume($0) }
        return true
    }
}
