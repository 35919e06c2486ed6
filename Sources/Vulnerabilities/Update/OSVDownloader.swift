import Archive
import Foundation
import HTTP

/// A conditional HTTP GET of one `all.zip` into a file, through the shared HTTP client (its retries, timeouts,
/// redirects and truncation checks); the only network code of `db update`.
public struct OSVDownloader: Sendable {
    /// What the server answered.
    public enum Response: Sendable {
        /// 304: the copy we have is current.
        case notModified
        /// 200: the body is in `file`, with the validators to send next time.
        case downloaded(file: String, etag: String?, lastModified: String?)
    }

    /// The client the download goes through.
    public var http: any HTTPClient
    /// The largest `all.zip` accepted (the whole of OSV's Debian one is under 200 MB).
    public var limit: Int64

    public init(http: any HTTPClient = HTTPSession.shared, limit: Int64 = 4 << 30) {
        self.http = http
        self.limit = limit
    }

    /// Downloads `url` to `destination` unless the server says it has not changed since `etag`/`lastModified`.
    public func fetch(_ url: String, to destination: String, etag: String?, lastModified: String?) async throws(VulnerabilityError) -> Response {
        guard let scheme = URL(string: url)?.scheme, scheme == "http" || scheme == "https" else {
            throw .downloadFailed(url: url, reason: "not an http(s) URL")
        }
        var headers: HTTPHeaders = [:]
        if let etag { headers["If-None-Match"] = etag }
        if let lastModified { headers["If-Modified-Since"] = lastModified }
        let sink: FileSink
        do {
            sink = try FileSink(path: destination, durable: false)
        } catch {
            throw .io(path: destination, reason: "cannot write the download (\(error))")
        }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(.get, url, headers: headers), into: sink, limit: limit, progress: nil)
            try sink.finish()
        } catch let error as HTTPError {
            throw .downloadFailed(url: url, reason: error.description)
        } catch {
            throw .io(path: destination, reason: "\(error)")
        }
        if response.status == 304 { return .notModified }
        guard response.status == 200 else { throw .downloadFailed(url: url, reason: "HTTP \(response.status)") }
        return .downloaded(file: destination, etag: response.headers["ETag"], lastModified: response.headers["Last-Modified"])
    }
}
