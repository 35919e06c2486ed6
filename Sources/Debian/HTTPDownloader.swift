import Archive
import HTTP

/// Streams mirror files into a ``ByteSink`` through the injected ``HTTPClient``, in ``DebianError`` terms.
public struct HTTPDownloader: Sendable {
    /// The client every download of one repository goes through (one connection pool).
    public let client: any HTTPClient

    public init(client: any HTTPClient = HTTPSession.shared) { self.client = client }

    /// Downloads `url` into `sink`; calls `progress` with the byte count so far. Returns the number of bytes received.
    ///
    /// Stops with an error as soon as the body exceeds `limit` bytes (a promised size), on an HTTP status other
    /// than 2xx (after the client's retries), or when the connection breaks before the announced length arrived.
    public func download(
        _ url: String, into sink: ByteSink, limit: Int64? = nil, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(DebianError) -> Int64 {
        do throws(HTTPError) {
            return try await client.get(url, into: sink, limit: limit, progress: progress).bodyBytes
        } catch {
            throw Self.debianError(error, url: url)
        }
    }

    /// The same failure in the terms the Debian client has always reported, naming `url`.
    static func debianError(_ error: HTTPError, url: String) -> DebianError {
        switch error {
        case .status(_, _, let status, _, _): return .httpStatus(url: url, status: status)
        case .tooLarge(_, let limit, let size): return .sizeMismatch(file: url, expected: limit, actual: size)
        case .truncated(_, let received, let expected):
            return .downloadFailed(url: url, reason: "connection closed after \(received) of \(expected) bytes")
        case .sinkFailed(_, let reason): return .io(path: url, reason: "cannot store the download: \(reason)")
        case .invalidURL(_, let reason): return .downloadFailed(url: url, reason: reason)
        case .cancelled: return .downloadFailed(url: url, reason: "cancelled")
        case .connection, .timedOut, .tooManyRedirects, .badRedirect, .bodyUnreadable:
            return .downloadFailed(url: url, reason: Self.reason(error))
        }
    }

    /// The part of the HTTP error message after the URL.
    private static func reason(_ error: HTTPError) -> String {
        switch error {
        case .connection(_, _, let reason, let attempts): return attempts > 1 ? "\(reason) (after \(attempts) attempts)" : reason
        default: return error.description
        }
    }
}
