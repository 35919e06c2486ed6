import Foundation
import HTTP
import ImageFormat

/// What a request needs on one repository: `pull`, or `pull,push`.
public struct RegistryScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The repository.
    public var repository: String
    /// Whether pushing is needed (pulling always is).
    public var push: Bool

    /// A scope on `repository`.
    public init(_ repository: String, push: Bool) {
        self.repository = repository
        self.push = push
    }

    /// `repository:NAME:pull` or `repository:NAME:pull,push`, as the token service expects it.
    public var description: String { "repository:\(repository):" + (push ? "pull,push" : "pull") }

    public static func < (a: RegistryScope, b: RegistryScope) -> Bool { a.description < b.description }
}

/// How a registry wants to be authenticated, learnt from `/v2/` (or from a 401), and the tokens it handed out.
///
/// Bearer tokens are cached per set of scopes until shortly before they expire; concurrent requests for the same
/// scopes share one token request. Credentials are looked up once per repository.
actor RegistryAuthenticator {
    private enum Scheme {
        case none
        case basic
        case bearer(realm: String, service: String?)
    }

    private let registry: String
    private let baseURL: String
    private let http: any HTTPClient
    private let options: RegistryOptions
    private var scheme: Scheme?
    private var tokens: [String: (token: String, expires: ContinuousClock.Instant)] = [:]
    private var pending: [String: Task<TokenFetcher.Token, any Error>] = [:]
    private var found: [String: RegistryCredentials?] = [:]
    /// The `/v2/` request in flight: blobs pushed concurrently all wait for one, instead of each sending its own.
    private var pinging: Task<RegistryError?, Never>?
    /// The credentials last used per scope key, for the 401 message.
    private(set) var lastSource: String?

    init(registry: String, baseURL: String, http: any HTTPClient, options: RegistryOptions) {
        self.registry = registry
        self.baseURL = baseURL
        self.http = http
        self.options = options
    }

    /// The `Authorization` value for a request needing `scopes` (nil: none is needed or none is possible).
    func authorization(for scopes: [RegistryScope]) async throws(RegistryError) -> String? {
        if scheme == nil { try await learnScheme(repository: scopes.first?.repository ?? "") }
        switch scheme {
        case .none?, nil: return nil
        case .basic?:
            guard let credentials = try await credentials(for: scopes.first?.repository ?? ""), credentials.kind == .password else { return nil }
            return Self.basic(credentials)
        case .bearer(let realm, let service)?:
            return "Bearer " + (try await token(realm: realm, service: service, scopes: scopes))
        }
    }

    /// After a 401 that answered `challenges`: forgets the token for `scopes` and learns the scheme again, so the
    /// caller can retry once. Returns false when retrying cannot help (the same credentials were just refused).
    func refresh(after challenges: [AuthChallenge], scopes: [RegistryScope]) -> Bool {
        let key = Self.key(scopes)
        tokens[key] = nil
        let previous = scheme
        learn(challenges)
        switch (previous, scheme) {
        case (.bearer?, .bearer?): return true  // the token may have expired early or lacked a scope
        case (.basic?, .basic?): return false  // the same header (or none) would be sent again
        default: return true
        }
    }

    /// Where the credentials for `repository` came from, if any were found.
    func credentialSource(for repository: String) async -> String? {
        (try? await credentials(for: repository))??.source
    }

    /// Pings `/v2/` once however many requests ask at the same time; a failed ping is tried again by the next request.
    private func learnScheme(repository: String) async throws(RegistryError) {
        let task: Task<RegistryError?, Never>
        if let running = pinging {
            task = running
        } else {
            task = Task {
                do throws(RegistryError) {
                    try await self.ping(repository: repository)
                    return nil
                } catch {
                    return error
                }
            }
            pinging = task
        }
        let failure = await task.value
        if pinging == task { pinging = nil }
        if let failure { throw failure }
    }

    private func ping(repository: String) async throws(RegistryError) {
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(.get, baseURL + "/v2/"), into: nil, limit: nil, progress: nil)
        } catch {
            throw .transfer(registry: registry, repository: repository, underlying: error)
        }
        switch response.status {
        case 200..<300: scheme = Scheme.none
        case 401: learn(AuthChallenge.parse(response.headers.values("WWW-Authenticate")))
        case 404:
            throw .invalidResponse(
                registry: registry, repository: repository, reason: "\(baseURL)/v2/ answers 404, so it does not speak the registry API (check the host and port)")
        default:
            throw .status(registry: registry, repository: repository, request: "GET /v2/", status: response.status, code: nil, message: "")
        }
    }

    private func learn(_ challenges: [AuthChallenge]) {
        if let bearer = challenges.first(where: { $0.scheme == "bearer" }), let realm = bearer.realm {
            scheme = .bearer(realm: realm, service: bearer.parameters["service"])
        } else if challenges.contains(where: { $0.scheme == "basic" }) {
            scheme = .basic
        } else {
            // A 401 without a usable challenge: try Basic with whatever credentials there are.
            scheme = .basic
        }
    }

    private func credentials(for repository: String) async throws(RegistryError) -> RegistryCredentials? {
        if let cached = found[repository] { return cached }
        let result = try await options.credentials.credentials(registry: registry, repository: repository)
        found[repository] = result
        if let result { lastSource = result.source }
        return result
    }

    private func token(realm: String, service: String?, scopes: [RegistryScope]) async throws(RegistryError) -> String {
        let key = Self.key(scopes)
        if let cached = tokens[key], cached.expires > .now { return cached.token }
        let fetched: TokenFetcher.Token
        if let running = pending[key] {
            fetched = try await Self.value(of: running, registry: registry, realm: realm)
        } else {
            let credentials = try await credentials(for: scopes.first?.repository ?? "")
            if let credentials, credentials.kind == .registryToken { return credentials.secret }
            let fetcher = TokenFetcher(registry: registry, http: http, options: options)
            let task = Task<TokenFetcher.Token, any Error> {
                try await fetcher.fetch(realm: realm, service: service, scopes: scopes, credentials: credentials)
            }
            pending[key] = task
            defer { pending[key] = nil }
            fetched = try await Self.value(of: task, registry: registry, realm: realm)
        }
        // Refreshed a little early (a tenth of the lifetime, at least 5 s) so a token does not expire in flight.
        let margin = max(5, fetched.lifetime / 10)
        tokens[key] = (fetched.token, .now + .seconds(max(0, fetched.lifetime - margin)))
        return fetched.token
    }

    private static func value(of task: Task<TokenFetcher.Token, any Error>, registry: String, realm: String) async throws(RegistryError) -> TokenFetcher.Token {
        do {
            return try await task.value
        } catch {
            throw error as? RegistryError ?? .tokenFailed(registry: registry, realm: realm, reason: "\(error)")
        }
    }

    private static func key(_ scopes: [RegistryScope]) -> String { scopes.sorted().map(\.description).joined(separator: " ") }

    static func basic(_ credentials: RegistryCredentials) -> String {
        "Basic " + Data("\(credentials.username):\(credentials.secret)".utf8).base64EncodedString()
    }
}
