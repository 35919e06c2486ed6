/// Everything that can go wrong with an HTTP exchange; every message names the URL.
public enum HTTPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The URL is not an absolute http(s) URL with a host.
    case invalidURL(url: String, reason: String)
    /// The server's final answer was not a success (after any retries); `body` is the start of what it said.
    case status(method: HTTPMethod, url: String, status: Int, attempts: Int, body: String)
    /// The body is bigger than the caller allows; `size` is its Content-Length, or the bytes seen when there is none.
    case tooLarge(url: String, limit: Int64, size: Int64)
    /// The connection closed before the announced Content-Length arrived.
    case truncated(url: String, received: Int64, expected: Int64)
    /// No answer: refused, reset, closed, name not resolved (after any retries).
    case connection(method: HTTPMethod, url: String, reason: String, attempts: Int)
    /// Connecting took longer than the connect timeout, or no byte arrived for the idle timeout.
    case timedOut(method: HTTPMethod, url: String, seconds: Double, attempts: Int)
    /// More redirects than allowed, starting from `url`.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect without a usable Location, or one that would leave https for http.
    case badRedirect(url: String, location: String, reason: String)
    /// The file to upload cannot be read.
    case bodyUnreadable(url: String, path: String, reason: String)
    /// The sink refused the bytes (a full disk, a closed file).
    case sinkFailed(url: String, reason: String)
    /// The task was cancelled.
    case cancelled(url: String)

    /// The URL the error is about.
    public var url: String {
        switch self {
        case .invalidURL(let url, _), .status(_, let url, _, _, _), .tooLarge(let url, _, _), .truncated(let url, _, _),
            .connection(_, let url, _, _), .timedOut(_, let url, _, _), .tooManyRedirects(let url, _), .badRedirect(let url, _, _),
            .bodyUnreadable(let url, _, _), .sinkFailed(let url, _), .cancelled(let url):
            return url
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "'\(url)' cannot be fetched: \(reason); use an absolute http:// or https:// URL"
        case .status(let method, let url, let status, let attempts, let body):
            let detail = body.isEmpty ? "" : ": \(body.split(whereSeparator: \.isNewline).joined(separator: " "))"
            return "\(method.rawValue) \(url) failed with HTTP \(status)\(Self.tries(attempts))\(detail)"
        case .tooLarge(let url, let limit, let size):
            return "GET \(url) has at least \(size) bytes, more than the \(limit) allowed; the server sends the wrong file, nothing was kept"
        case .truncated(let url, let received, let expected):
            return "GET \(url): the connection closed after \(received) of \(expected) bytes; try again, nothing was kept"
        case .connection(let method, let url, let reason, let attempts):
            return "\(method.rawValue) \(url) failed: \(reason)\(Self.tries(attempts)); check the network and the URL"
        case .timedOut(let method, let url, let seconds, let attempts):
            return "\(method.rawValue) \(url): no answer within \(Self.format(seconds)) s\(Self.tries(attempts)); check the network and the URL"
        case .tooManyRedirects(let url, let limit):
            return "\(url) redirects more than \(limit) times; check the URL"
        case .badRedirect(let url, let location, let reason):
            return "\(url) redirects to '\(location)', which is refused: \(reason)"
        case .bodyUnreadable(let url, let path, let reason):
            return "cannot send \(path) to \(url): \(reason)"
        case .sinkFailed(let url, let reason):
            return "cannot store the body of \(url): \(reason)"
        case .cancelled(let url):
            return "the transfer of \(url) was cancelled"
        }
    }

    private static func tries(_ attempts: Int) -> String { attempts > 1 ? " (after \(attempts) attempts)" : "" }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
