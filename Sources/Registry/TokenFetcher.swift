import Archive
import Foundation
import HTTP
import ImageFormat

/// The answer of a token service (Docker's token authentication spec, and OAuth2 for refresh tokens).
public struct TokenResponse: Codable, Equatable, Sendable {
    /// The bearer token (Docker's name).
    public var token: String?
    /// The bearer token (OAuth2's name); services may send both.
    public var access_token: String?
    /// Seconds the token is valid (60 when absent).
    public var expires_in: Int?
    /// When it was issued (RFC 3339).
    public var issued_at: String?
    /// A new refresh token, when the service rotates them.
    public var refresh_token: String?

    /// A response with any of its fields.
    public init(token: String? = nil, access_token: String? = nil, expires_in: Int? = nil, issued_at: String? = nil, refresh_token: String? = nil) {
        self.token = token
        self.access_token = access_token
        self.expires_in = expires_in
        self.issued_at = issued_at
        self.refresh_token = refresh_token
    }
}

/// Asks a registry's token service (the Bearer challenge's realm) for a token covering some scopes.
struct TokenFetcher: Sendable {
    struct Token: Sendable {
        var token: String
        /// Seconds it is valid.
        var lifetime: Int
    }

    let registry: String
    let http: any HTTPClient
    let options: RegistryOptions

    /// A token for `scopes`: anonymous, Basic with a password, or an OAuth2 refresh-token grant with an identity token.
    func fetch(realm: String, service: String?, scopes: [RegistryScope], credentials: RegistryCredentials?) async throws(RegistryError) -> Token {
        let repository = scopes.first?.repository ?? ""
        let action = scopes.contains(where: \.push) ? "push" : "pull"
        guard let realmURL = URL(string: realm), let scheme = realmURL.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = realmURL.host, !host.isEmpty
        else {
            throw .tokenFailed(registry: registry, realm: realm, reason: "the realm of the Bearer challenge is not an http(s) URL")
        }
        if scheme == "http", credentials != nil, !options.isInsecure(realmURL.port.map { "\(host):\($0)" } ?? host) {
            throw .tokenFailed(
                registry: registry, realm: realm,
                reason: "the token service is plain http, so the credentials are not sent there; name its host with --insecure-registry if that is intended")
        }
        var request: HTTPRequest
        if let credentials, credentials.kind == .identityToken {
            var form = ["grant_type=refresh_token", "refresh_token=" + Self.formEncode(credentials.secret), "client_id=distill"]
            if let service { form.append("service=" + Self.formEncode(service)) }
            form.append("scope=" + Self.formEncode(scopes.sorted().map(\.description).joined(separator: " ")))
            request = HTTPRequest(
                .post, realm, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: .data(Data(form.joined(separator: "&").utf8)))
        } else {
            var url = realm
            if let service { url = RegistryLocation.addingQuery(url, "service", service) }
            for scope in scopes.sorted() { url = RegistryLocation.addingQuery(url, "scope", scope.description) }
            request = HTTPRequest(.get, url)
            if let credentials, credentials.kind == .password { request.headers["Authorization"] = RegistryAuthenticator.basic(credentials) }
        }
        let sink = DataSink()
        let response: HTTPResponse
        do {
            response = try await http.send(request, into: sink, limit: 1 << 20, progress: nil)
        } catch {
            throw .tokenFailed(registry: registry, realm: realm, reason: "\(error)")
        }
        let detail = String(decoding: response.bodyExcerpt.prefix(200), as: UTF8.self)
        switch response.status {
        case 200..<300: break
        case 401:
            throw .unauthorized(registry: registry, repository: repository, action: action, credentialSource: credentials?.source, detail: "token service: \(detail)")
        case 403:
            throw .denied(registry: registry, repository: repository, action: action, detail: "token service: \(detail)")
        default:
            throw .tokenFailed(registry: registry, realm: realm, reason: "HTTP \(response.status) \(detail)")
        }
        let decoded: TokenResponse
        do {
            decoded = try CanonicalJSON.decode(TokenResponse.self, from: sink.data, what: "the token service's answer")
        } catch {
            throw .tokenFailed(registry: registry, realm: realm, reason: "\(error)")
        }
        guard let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw .tokenFailed(registry: registry, realm: realm, reason: "the answer holds no token")
        }
        guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw .tokenFailed(registry: registry, realm: realm, reason: "the token has characters a header cannot carry")
        }
        return Token(token: token, lifetime: max(0, min(decoded.expires_in ?? 60, 24 * 3600)))
    }

    static func formEncode(_ value: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
