import Foundation

/// The request to send after a 301/302/303/307/308, following RFC 9110 §15.4 and what browsers do.
enum Redirect {
    static let statuses: Set<Int> = [301, 302, 303, 307, 308]

    /// The follow-up to `request` answered by `status` with `location`.
    ///
    /// 303 (and 301/302 after a POST) becomes a GET without body; 307/308 repeat method and body. Credentials
    /// (`Authorization`, `Cookie`, `Proxy-Authorization`) are dropped when scheme, host or port change: a registry
    /// that redirects a blob to a storage host must not receive the registry token there. https → http is refused.
    static func follow(_ request: HTTPRequest, status: Int, location: String?) throws(HTTPError) -> HTTPRequest {
        guard let location, !location.isEmpty else {
            throw .badRedirect(url: request.url, location: "", reason: "HTTP \(status) without a Location header")
        }
        let current = try request.validatedURL()
        guard let target = URL(string: location, relativeTo: current)?.absoluteURL else {
            throw .badRedirect(url: request.url, location: location, reason: "not a URL")
        }
        var next = request
        next.url = target.absoluteString
        let nextURL: URL
        do throws(HTTPError) {
            nextURL = try next.validatedURL()
        } catch {
            throw .badRedirect(url: request.url, location: location, reason: "not an absolute http(s) URL")
        }
        if current.scheme?.lowercased() == "https" && nextURL.scheme?.lowercased() == "http" {
            throw .badRedirect(url: request.url, location: location, reason: "it leaves https for plain http")
        }
        if status == 303 && request.method != .head || (status == 301 || status == 302) && request.method == .post {
            next.method = .get
            next.body = .none
            next.headers.remove("Content-Type")
            next.headers.remove("Content-Length")
        }
        if !sameOrigin(current, nextURL) {
            for name in ["Authorization", "Proxy-Authorization", "Cookie"] { next.headers.remove(name) }
        }
        return next
    }

    /// Scheme, host and port equal (a missing port is the scheme's default).
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func origin(_ url: URL) -> (String, String, Int) {
            let scheme = url.scheme?.lowercased() ?? ""
            return (scheme, url.host?.lowercased() ?? "", url.port ?? (scheme == "https" ? 443 : 80))
        }
        return origin(a) == origin(b)
    }
}
