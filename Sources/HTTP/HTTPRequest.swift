import Foundation

/// The request methods distill sends.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case put = "PUT"
    case post = "POST"
    case patch = "PATCH"
    case delete = "DELETE"
}

/// What a request sends: nothing, a few bytes held in memory, or a file streamed from disk.
public enum HTTPRequestBody: Sendable, Equatable {
    /// No body.
    case none
    /// A small body (a manifest, a token form); large content goes through ``file(path:)``.
    case data(Data)
    /// The whole file at `path`, read in chunks while it is sent; it can be sent again on a retry or a 307/308.
    case file(path: String)
    /// `length` bytes of the file at `path` from `offset` (a registry's chunked upload), streamed like ``file(path:)``.
    case fileRange(path: String, offset: Int64, length: Int64)

    /// The number of bytes the body has (a file's size at the time of the call).
    func length(url: String) throws(HTTPError) -> Int64 {
        switch self {
        case .none: return 0
        case .data(let data): return Int64(data.count)
        case .file(let path):
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw .bodyUnreadable(url: url, path: path, reason: String(cString: strerror(errno)))
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw .bodyUnreadable(url: url, path: path, reason: "not a regular file")
            }
            return Int64(info.st_size)
        case .fileRange(let path, let offset, let length):
            let size = try HTTPRequestBody.file(path: path).length(url: url)
            guard offset >= 0, length >= 0, offset + length <= size else {
                throw .bodyUnreadable(url: url, path: path, reason: "bytes \(offset)..<\(offset + length) are outside its \(size) bytes")
            }
            return length
        }
    }

    /// The file the body is read from, if any.
    var filePath: String? {
        switch self {
        case .none, .data: return nil
        case .file(let path), .fileRange(let path, _, _): return path
        }
    }
}

/// One HTTP request: method, absolute http(s) URL, header fields and body.
public struct HTTPRequest: Sendable, Equatable {
    /// GET, HEAD, PUT, POST, PATCH or DELETE.
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Fields to send; `User-Agent` is added when missing.
    public var headers: HTTPHeaders
    /// What to send after the head.
    public var body: HTTPRequestBody

    /// A request; by default a GET without headers or body.
    public init(_ method: HTTPMethod = .get, _ url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The parsed URL, refused unless it is absolute http(s) with a host.
    func validatedURL() throws(HTTPError) -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw .invalidURL(url: url, reason: "not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw .invalidURL(url: url, reason: "not an http(s) URL") }
        guard let host = parsed.host, !host.isEmpty else { throw .invalidURL(url: url, reason: "no host") }
        return parsed
    }
}
