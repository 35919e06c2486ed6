import Archive
import Foundation

/// What every module that talks HTTP depends on: ``HTTPSession`` in production, ``FakeHTTPClient`` in tests.
public protocol HTTPClient: Sendable {
    /// Sends `request`, following redirects and retrying transient failures, and returns the final response.
    ///
    /// A 2xx body is streamed into `sink` (or its start kept in ``HTTPResponse/bodyExcerpt`` when `sink` is nil);
    /// more than `limit` bytes is ``HTTPError/tooLarge(url:limit:size:)``; `progress` gets the byte count so far.
    /// Any other final status is returned, not thrown: callers decide (``HTTPResponse/requireSuccess(_:also:)``).
    func send(
        _ request: HTTPRequest, into sink: (any ByteSink)?, limit: Int64?, progress: (@Sendable (Int64) -> Void)?
    ) async throws(HTTPError) -> HTTPResponse
}

extension HTTPClient {
    /// Streams the body of `url` into `sink`; anything but 2xx is an ``HTTPError``.
    @discardableResult
    public func get(
        _ url: String, headers: HTTPHeaders = [:], into sink: any ByteSink, limit: Int64? = nil,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(HTTPError) -> HTTPResponse {
        try await send(HTTPRequest(.get, url, headers: headers), into: sink, limit: limit, progress: progress).requireSuccess(.get)
    }

    /// A small body (an index, a token, a manifest) in memory, at most `limit` bytes; anything but 2xx is an ``HTTPError``.
    public func data(_ request: HTTPRequest, limit: Int64 = 16 << 20) async throws(HTTPError) -> (HTTPResponse, Data) {
        let sink = DataSink()
        let response = try await send(request, into: sink, limit: limit, progress: nil).requireSuccess(request.method)
        return (response, sink.data)
    }

    /// The head of `url` with any status (a 404 answers "not there"); redirects and retries as for GET.
    public func head(_ url: String, headers: HTTPHeaders = [:]) async throws(HTTPError) -> HTTPResponse {
        try await send(HTTPRequest(.head, url, headers: headers), into: nil, limit: nil, progress: nil)
    }

    /// Sends `body` (a file is streamed from disk) with PUT, POST or PATCH; anything but 2xx is an ``HTTPError``.
    @discardableResult
    public func upload(
        _ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody, into sink: (any ByteSink)? = nil,
        limit: Int64? = nil
    ) async throws(HTTPError) -> HTTPResponse {
        try await send(HTTPRequest(method, url, headers: headers, body: body), into: sink, limit: limit, progress: nil).requireSuccess(method)
    }

    /// PUT `body` to `url`.
    @discardableResult
    public func put(_ url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody) async throws(HTTPError) -> HTTPResponse {
        try await upload(.put, url, headers: headers, body: body)
    }

    /// POST `body` to `url`.
    @discardableResult
    public func post(_ url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody) async throws(HTTPError) -> HTTPResponse {
        try await upload(.post, url, headers: headers, body: body)
    }

    /// PATCH `body` to `url`.
    @discardableResult
    public func patch(_ url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody) async throws(HTTPError) -> HTTPResponse {
        try await upload(.patch, url, headers: headers, body: body)
    }
}
