import Foundation

/// The proxies to use, read from the environment as curl (and so the URLSession the Debian client used before) reads them.
///
/// `http_proxy` (lower case only, as curl: `HTTP_PROXY` can be set by a CGI request header), `https_proxy` or
/// `HTTPS_PROXY`, and `no_proxy` or `NO_PROXY` (comma-separated hosts or domain suffixes; `*` means none).
/// A proxy without a port is on 1080, as in curl; `user:password@` becomes basic proxy authorization.
public struct HTTPProxySettings: Sendable, Equatable {
    /// One proxy server.
    public struct Endpoint: Sendable, Hashable {
        public var host: String
        public var port: Int
        /// `user:password` for basic proxy authorization.
        public var credentials: String?

        public init(host: String, port: Int, credentials: String? = nil) {
            self.host = host
            self.port = port
            self.credentials = credentials
        }
    }

    /// The proxy for http:// URLs.
    public var http: Endpoint?
    /// The proxy for https:// URLs (tunnelled with CONNECT).
    public var https: Endpoint?
    /// Hosts reached directly: exact names or addresses, or domain suffixes; `*` for all.
    public var noProxy: [String]

    public init(http: Endpoint? = nil, https: Endpoint? = nil, noProxy: [String] = []) {
        self.http = http
        self.https = https
        self.noProxy = noProxy
    }

    /// No proxy at all.
    public static let none = HTTPProxySettings()

    /// The settings in `environment` (the process's by default); a malformed value is ignored, as curl does.
    public static func environment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPProxySettings {
        func value(_ names: String...) -> String? { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }
        let noProxy = (value("no_proxy", "NO_PROXY") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return HTTPProxySettings(
            http: value("http_proxy").flatMap(endpoint), https: value("https_proxy", "HTTPS_PROXY").flatMap(endpoint),
            noProxy: noProxy.filter { !$0.isEmpty })
    }

    /// `http://user:pw@host:port/`, `host:port` or `host`.
    static func endpoint(_ text: String) -> Endpoint? {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URLComponents(string: withScheme), let host = url.host, !host.isEmpty,
            ["http", "https"].contains(url.scheme?.lowercased() ?? "")
        else { return nil }
        let credentials = url.user.map { user in url.password.map { "\(user):\($0)" } ?? user }
        return Endpoint(host: host, port: url.port ?? 1080, credentials: credentials?.removingPercentEncoding ?? credentials)
    }

    /// The proxy that `url` goes through, or nil to connect directly.
    public func proxy(for url: URL) -> Endpoint? {
        let host = (url.host ?? "").lowercased()
        for entry in noProxy {
            var name = entry.lowercased()
            if name == "*" { return nil }
            if name.hasPrefix(".") { name.removeFirst() }
            if let colon = name.lastIndex(of: ":"), !name.contains("]"), name.filter({ $0 == ":" }).count == 1 {
                name = String(name[..<colon])
            }
            if host == name || host.hasSuffix("." + name) { return nil }
        }
        return url.scheme?.lowercased() == "https" ? https : http
    }
}
