import Archive
import Foundation

/// The HTTP client: redirects, retries and size bounds over one ``HTTPTransport`` whose connections are reused.
///
/// Create one per process (``shared``) or per test; every request through it shares the connection pool.
public final class HTTPSession: HTTPClient {
    /// The process-wide session over async-http-client, never shut down (a CLI exits instead).
    public static let shared = HTTPSession()

    /// Bytes of a body without a sink kept for ``HTTPResponse/bodyExcerpt``.
    public static let excerptLimit = 64 << 10

    /// Timeouts, redirects, retries.
    public let options: HTTPOptions
    let transport: any HTTPTransport

    /// A session over async-http-client.
    public convenience init(options: HTTPOptions = HTTPOptions()) {
        self.init(transport: AsyncHTTPTransport(options: options), options: options)
    }

    /// A session over any transport (``FakeHTTPClient`` uses an in-memory one).
    public init(transport: any HTTPTransport, options: HTTPOptions = HTTPOptions()) {
        self.transport = transport
        self.options = options
    }

    /// Closes the pooled connections; call once no request is running (not needed for ``shared``).
    public func shutdown() async { await transport.shutdown() }

    public func send(
        _ request: HTTPRequest, into sink: (any ByteSink)?, limit: Int64?, progress: (@Sendable (Int64) -> Void)?
    ) async throws(HTTPError) -> HTTPResponse {
        _ = try request.validatedURL()
        var current = request
        if !current.headers.contains("User-Agent") { current.headers["User-Agent"] = options.userAgent }
        var attempts = 0
        var redirects = 0
        while true {
            if Task.isCancelled { throw .cancelled(url: request.url) }
            _ = try current.body.length(url: current.url)
            attempts += 1
            var response: HTTPTransportResponse
            do throws(HTTPTransportError) {
                response = try await transport.send(current)
            } catch {
                guard error.isTransient, options.retry.shouldRetry(current.method, status: nil),
                    let wait = options.retry.waitBeforeRetry(after: attempts, retryAfter: nil)
                else {
                    throw Self.error(error, request: current, originalURL: request.url, attempts: attempts)
                }
                try await pause(wait, url: request.url)
                continue
            }
            let status = response.status
            if Redirect.statuses.contains(status) {
                _ = await Self.excerpt(of: &response.body)
                redirects += 1
                if redirects > options.maxRedirects { throw .tooManyRedirects(url: request.url, limit: options.maxRedirects) }
                current = try Redirect.follow(current, status: status, location: response.headers["Location"])
                attempts -= 1  // a redirect is not a failed attempt
                continue
            }
            if options.retry.shouldRetry(current.method, status: status),
                let wait = options.retry.waitBeforeRetry(after: attempts, retryAfter: response.headers["Retry-After"])
            {
                _ = await Self.excerpt(of: &response.body)
                try await pause(wait, url: request.url)
                continue
            }
            var result = HTTPResponse(
                requestURL: request.url, url: current.url, status: status, headers: response.headers, attempts: attempts)
            if current.method == .head { return result }
            guard let sink, (200..<300).contains(status) else {
                result.bodyExcerpt = await Self.excerpt(of: &response.body)
                return result
            }
            result.bodyBytes = try await stream(&response, of: current, originalURL: request.url, into: sink, limit: limit, progress: progress)
            return result
        }
    }

    /// Writes a 2xx body into `sink`, bounded by `limit` and checked against Content-Length.
    private func stream(
        _ response: inout HTTPTransportResponse, of request: HTTPRequest, originalURL: String, into sink: any ByteSink, limit: Int64?,
        progress: (@Sendable (Int64) -> Void)?
    ) async throws(HTTPError) -> Int64 {
        let announced = response.headers["Content-Length"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        if let limit, let announced, announced > limit { throw .tooLarge(url: originalURL, limit: limit, size: announced) }
        var received: Int64 = 0
        var sinkError: (any Error)?
        var overflow = false
        while true {
            let more: Bool
            do throws(HTTPTransportError) {
                more = try await response.body.next { chunk in
                    guard sinkError == nil, !overflow else { return }
                    if let limit, received + Int64(chunk.count) > limit {
                        overflow = true
                        received += Int64(chunk.count)
                        return
                    }
                    do {
                        try sink.write(chunk)
                        received += Int64(chunk.count)
                    } catch {
                        sinkError = error
                    }
                }
            } catch {
                if error.kind == .cancelled { throw .cancelled(url: originalURL) }
                if let announced, error.kind == .connectionLost { throw .truncated(url: originalURL, received: received, expected: announced) }
                throw Self.error(error, request: request, originalURL: originalURL, attempts: 1)
            }
            if let sinkError { throw .sinkFailed(url: originalURL, reason: "\(sinkError)") }
            if overflow, let limit { throw .tooLarge(url: originalURL, limit: limit, size: announced ?? received) }
            if !more { break }
            progress?(received)
        }
        if let announced, received != announced { throw .truncated(url: originalURL, received: received, expected: announced) }
        return received
    }

    private func pause(_ wait: Duration, url: String) async throws(HTTPError) {
        do {
            try await options.retry.sleep(wait)
        } catch {
            throw .cancelled(url: url)
        }
    }

    /// Reads the start of a body that goes to no sink; a long one is left unread (its connection is then closed).
    private static func excerpt(of body: inout any HTTPBodyReader) async -> Data {
        var data = Data()
        do {
            while data.count < excerptLimit {
                let more = try await body.next { chunk in data.append(contentsOf: chunk.prefix(excerptLimit - data.count)) }
                if !more { break }
            }
        } catch {}
        return data
    }

    private static func error(_ error: HTTPTransportError, request: HTTPRequest, originalURL: String, attempts: Int) -> HTTPError {
        switch error.kind {
        case .timedOut(let seconds): return .timedOut(method: request.method, url: originalURL, seconds: seconds, attempts: attempts)
        case .cancelled: return .cancelled(url: originalURL)
        case .bodyUnreadable(let path): return .bodyUnreadable(url: originalURL, path: path, reason: error.reason)
        case .unreachable, .connectionLost, .other:
            return .connection(method: request.method, url: originalURL, reason: error.reason, attempts: attempts)
        }
    }
}
