import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A conditional HTTP GET of one `all.zip` into a file; the only network code of `db update`, kept apart so it
/// can move onto a shared HTTP client.
public struct OSVDownloader: Sendable {
    /// What the server answered.
    public enum Response: Sendable {
        /// 304: the copy we have is current.
        case notModified
        /// 200: the body is in `file`, with the validators to send next time.
        case downloaded(file: String, etag: String?, lastModified: String?)
    }

    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 120) { self.timeout = timeout }

    /// Downloads `url` to `destination` unless the server says it has not changed since `etag`/`lastModified`.
    public func fetch(_ url: String, to destination: String, etag: String?, lastModified: String?) async throws(VulnerabilityError) -> Response {
        guard let requestURL = URL(string: url), let scheme = requestURL.scheme, scheme == "http" || scheme == "https" else {
            throw .downloadFailed(url: url, reason: "not an http(s) URL")
        }
        var request = URLRequest(url: requestURL)
        request.setValue("distill", forHTTPHeaderField: "User-Agent")
        if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified { request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let temporary: URL
        let response: URLResponse
        do {
            (temporary, response) = try await session.download(for: request)
        } catch {
            throw .downloadFailed(url: url, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let http = response as? HTTPURLResponse else { throw .downloadFailed(url: url, reason: "not an HTTP response") }
        if http.statusCode == 304 { return .notModified }
        guard http.statusCode == 200 else { throw .downloadFailed(url: url, reason: "HTTP \(http.statusCode)") }
        if response.expectedContentLength >= 0,
            let size = (try? FileManager.default.attributesOfItem(atPath: temporary.path))?[.size] as? Int64 ?? nil,
            size != response.expectedContentLength
        {
            throw .downloadFailed(url: url, reason: "connection closed after \(size) of \(response.expectedContentLength) bytes")
        }
        do {
            try? FileManager.default.removeItem(atPath: destination)
            try FileManager.default.moveItem(atPath: temporary.path, toPath: destination)
        } catch {
            throw .io(path: destination, reason: "cannot keep the download (\(error.localizedDescription))")
        }
        return .downloaded(
            file: destination, etag: http.value(forHTTPHeaderField: "ETag"), lastModified: http.value(forHTTPHeaderField: "Last-Modified"))
    }
}
