/// Why a transport got no (complete) answer; the session decides from `kind` whether to retry.
public struct HTTPTransportError: Error, Sendable, Equatable {
    /// What kind of failure it was.
    public enum Kind: Sendable, Equatable {
        /// Nothing listens there, or the name does not resolve: retrying will not help.
        case unreachable
        /// The connection was reset or closed before the answer was complete: worth a retry.
        case connectionLost
        /// Connecting, or waiting for the next byte, took longer than allowed: worth a retry.
        case timedOut(seconds: Double)
        /// The task was cancelled.
        case cancelled
        /// The file to upload could not be read.
        case bodyUnreadable(path: String)
        /// Anything else (a TLS failure, a malformed response).
        case other
    }

    /// Whether and how it may be retried.
    public var kind: Kind
    /// What happened, for the error message.
    public var reason: String

    /// A failure of `kind`, explained by `reason`.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// Whether sending the request again may succeed.
    var isTransient: Bool {
        switch kind {
        case .connectionLost, .timedOut: return true
        case .unreachable, .cancelled, .bodyUnreadable, .other: return false
        }
    }
}

/// The body of a response, read chunk by chunk.
public protocol HTTPBodyReader {
    /// Hands the next chunk to `consume` (the buffer is valid only during the call); returns false at the end of the body.
    mutating func next(_ consume: (UnsafeRawBufferPointer) -> Void) async throws(HTTPTransportError) -> Bool
}

/// A response head and its unread body.
public struct HTTPTransportResponse {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body, not read yet.
    public var body: any HTTPBodyReader

    /// A head with its unread body.
    public init(status: Int, headers: HTTPHeaders, body: any HTTPBodyReader) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// One request on the wire, nothing more: no redirects, no retries (``HTTPSession`` adds those).
///
/// The real one is ``AsyncHTTPTransport``; ``FakeHTTPClient`` answers from memory through the same session logic.
public protocol HTTPTransport: Sendable {
    /// Sends `request` (its body streamed) and returns once the response head has arrived.
    func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPTransportResponse
    /// Closes idle connections; no request follows.
    func shutdown() async
}
