import Foundation

/// Where a `Location` header (an upload session, a created manifest) may send the next request.
///
/// Relative locations are resolved against the URL that answered (RFC 9110 §10.2.2). An absolute one on the registry's own scheme, host and
/// port is followed with our credentials. One on another host is followed only over https and without credentials:
/// registries behind a CDN or object store hand out such upload URLs with their authority in the query (a signed
/// URL), and what goes there is the blob we are sending anyway, whose digest the registry checks at the end. Plain
/// http to another host is refused unless that host is named insecure too, and https → http is always refused.
struct RegistryLocation: Sendable, Equatable {
    /// The absolute URL.
    var url: String
    /// Whether it is on the registry's origin (credentials may be sent).
    var sameOrigin: Bool

    static func resolve(
        _ location: String?, answering requestURL: String, base: String, registry: String, repository: String, options: RegistryOptions
    ) throws(RegistryError) -> RegistryLocation {
        guard let location, !location.isEmpty else {
            throw .invalidResponse(registry: registry, repository: repository, reason: "an upload answer has no Location header")
        }
        func refuse(_ reason: String) -> RegistryError {
            .unsafeLocation(registry: registry, repository: repository, location: String(location.prefix(300)), reason: reason)
        }
        guard location.utf8.count <= 8192, !location.contains(where: { $0.isNewline || $0 == " " }) else { throw refuse("it is not a URL") }
        guard let baseURL = URL(string: base), let answering = URL(string: requestURL),
            let resolved = URL(string: location, relativeTo: answering)?.absoluteURL,
            let scheme = resolved.scheme?.lowercased(), let host = resolved.host, !host.isEmpty
        else { throw refuse("it is not a URL") }
        guard scheme == "http" || scheme == "https" else { throw refuse("it is not http(s)") }
        let baseScheme = baseURL.scheme?.lowercased() ?? "https"
        let same = origin(baseURL) == origin(resolved)
        if !same {
            if baseScheme == "https" && scheme == "http" { throw refuse("it leaves https for plain http") }
            if scheme == "http" {
                let hostPort = resolved.port.map { "\(host):\($0)" } ?? host
                guard options.isInsecure(hostPort) else {
                    throw refuse("it is plain http on another host; name that host with --insecure-registry if it is trusted")
                }
            }
        }
        return RegistryLocation(url: resolved.absoluteString, sameOrigin: same)
    }

    /// Scheme, host and port (a missing port is the scheme's default).
    static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(url.port ?? (scheme == "https" ? 443 : 80))"
    }

    /// `url` with `name=value` added to its query (after any the registry put there, like distribution's `_state`).
    static func addingQuery(_ url: String, _ name: String, _ value: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
        let (head, fragment) = url.firstIndex(of: "#").map { (String(url[..<$0]), String(url[$0...])) } ?? (url, "")
        let separator = head.contains("?") ? (head.hasSuffix("?") || head.hasSuffix("&") ? "" : "&") : "?"
        return head + separator + name + "=" + encoded + fragment
    }
}
