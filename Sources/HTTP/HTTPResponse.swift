import Foundation

/// The final answer to a request, after redirects and retries.
public struct HTTPResponse: Sendable, Equatable {
    /// The URL that was asked for.
    public var requestURL: String
    /// The URL that answered (differs from ``requestURL`` after a redirect).
    public var url: String
    /// The final status code.
    public var status: Int
    /// The final response's header fields.
    public var headers: HTTPHeaders
    /// Bytes of a 2xx body written to the sink.
    public var bodyBytes: Int64
    /// The start of a body that went to no sink (any non-2xx body, e.g. a registry's JSON error), at most ``HTTPSession/excerptLimit`` bytes.
    public var bodyExcerpt: Data
    /// How many times the request was sent (1 when no retry was needed).
    public var attempts: Int

    /// A response as a transport or a test builds it.
    public init(
        requestURL: String, url: String, status: Int, headers: HTTPHeaders, bodyBytes: Int64 = 0, bodyExcerpt: Data = Data(), attempts: Int = 1
    ) {
        self.requestURL = requestURL
        self.url = url
        self.status = status
        self.headers = headers
        self.bodyBytes = bodyBytes
        self.bodyExcerpt = bodyExcerpt
        self.attempts = attempts
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Returns self when the status is 2xx (or listed in `also`), else throws ``HTTPError/status(method:url:status:attempts:body:)``.
    @discardableResult
    public func requireSuccess(_ method: HTTPMethod, also accepted: Set<Int> = []) throws(HTTPError) -> HTTPResponse {
        if isSuccess || accepted.contains(status) { return self }
        let excerpt = String(decoding: bodyExcerpt.prefix(300), as: UTF8.self)
        throw .status(method: method, url: requestURL, status: status, attempts: attempts, body: excerpt)
    }
}
