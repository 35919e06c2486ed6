import Archive
import Foundation
import HTTP
import ImageFormat
import ImageTransport

/// One registry's API (OCI distribution spec): authenticated requests; blobs, manifests, uploads and referrers are
/// in the extensions beside this file.
public final class RegistryClient: Sendable {
    /// The registry as references name it (`127.0.0.1:5000`, `docker.io`).
    public let registry: String
    /// `https://host[:port]` (or `http://` for an insecure host), without a trailing slash.
    public let baseURL: String
    /// Insecure hosts, CA, credentials, upload strategy.
    public let options: RegistryOptions
    let http: any HTTPClient
    let authenticator: RegistryAuthenticator

    /// A client for `registry`; `http` defaults to one trusting `options.caCertificateFiles` (else the shared session).
    public init(registry: String, options: RegistryOptions = RegistryOptions(), http: (any HTTPClient)? = nil) {
        let host = registry.lowercased() == RegistryReference.dockerHub ? RegistryReference.dockerHubAPIHost : registry.lowercased()
        self.registry = registry.lowercased()
        self.options = options
        let http = http ?? options.makeHTTPClient()
        self.http = http
        baseURL = "\(options.scheme(for: registry))://\(host)"
        authenticator = RegistryAuthenticator(registry: self.registry, baseURL: baseURL, http: http, options: options)
    }

    /// Checks that the registry answers `/v2/` and learns how it authenticates (done by the first request anyway).
    public func ping() async throws(RegistryError) {
        _ = try await authenticator.authorization(for: [])
    }

    /// `baseURL/v2/<repository>/<rest>`.
    func url(_ repository: String, _ rest: String) -> String { "\(baseURL)/v2/\(repository)/\(rest)" }

    /// Sends `request` with the credentials `scopes` need (only to the registry's own origin); after a 401 the
    /// authentication is renewed once and the request sent again. Non-2xx statuses are returned, not thrown.
    func send(
        _ request: HTTPRequest, scopes: [RegistryScope], into sink: (any ByteSink)? = nil, limit: Int64? = nil,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(RegistryError) -> HTTPResponse {
        let repository = scopes.first?.repository ?? ""
        var outgoing = request
        let sameOrigin = URL(string: request.url).map(RegistryLocation.origin) == URL(string: baseURL).map(RegistryLocation.origin)
        for round in 0..<2 {
            outgoing.headers.remove("Authorization")
            if sameOrigin, let authorization = try await authenticator.authorization(for: scopes) {
                outgoing.headers["Authorization"] = authorization
            }
            let response: HTTPResponse
            do {
                response = try await http.send(outgoing, into: sink, limit: limit, progress: progress)
            } catch {
                throw .transfer(registry: registry, repository: repository, underlying: error)
            }
            if response.status == 401, sameOrigin, round == 0 {
                let challenges = AuthChallenge.parse(response.headers.values("WWW-Authenticate"))
                if await authenticator.refresh(after: challenges, scopes: scopes) { continue }
            }
            return response
        }
        throw .invalidResponse(registry: registry, repository: repository, reason: "authentication did not settle")
    }

    /// The error for an unexpected answer to `request` (`GET manifest app:latest`), with the registry's own error code.
    func failure(_ response: HTTPResponse, request: String, repository: String, push: Bool, what: String) async -> RegistryError {
        let said = RegistryErrorResponse.summary(of: response.bodyExcerpt)
        let action = push ? "push" : "pull"
        switch response.status {
        case 401:
            let source = await authenticator.credentialSource(for: repository)
            return .unauthorized(registry: registry, repository: repository, action: action, credentialSource: source, detail: said.message)
        case 403:
            return .denied(registry: registry, repository: repository, action: action, detail: said.message)
        case 404 where said.code?.hasPrefix("BLOB_UPLOAD_") == true:
            // A lost upload session (expired, or cancelled by a broken request): the upload starts again.
            return .status(registry: registry, repository: repository, request: request, status: 404, code: said.code, message: said.message)
        case 404:
            return .notFound(registry: registry, repository: repository, what: what)
        default:
            return .status(registry: registry, repository: repository, request: request, status: response.status, code: said.code, message: said.message)
        }
    }

    /// A digest from a header (`Docker-Content-Digest`), validated; nil when absent.
    func headerDigest(_ response: HTTPResponse, repository: String) throws(RegistryError) -> Digest? {
        guard let value = response.headers["Docker-Content-Digest"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        do {
            return try Digest(value)
        } catch {
            throw .invalidResponse(registry: registry, repository: repository, reason: "Docker-Content-Digest '\(value.prefix(150))' is not a digest")
        }
    }

    /// A size from a header, validated; nil when absent.
    func headerSize(_ response: HTTPResponse, _ name: String, repository: String) throws(RegistryError) -> Int64? {
        guard let value = response.headers[name]?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard let size = Int64(value), size >= 0 else {
            throw .invalidResponse(registry: registry, repository: repository, reason: "\(name) '\(value.prefix(50))' is not a size")
        }
        return size
    }

    /// Whether a failed transfer is worth starting again: a lost or cut connection, corrupt bytes, a busy or failing server.
    static func isTransient(_ error: RegistryError) -> Bool {
        switch error {
        case .transfer(_, _, let underlying):
            switch underlying {
            case .truncated, .connection, .timedOut: return true
            case .status(_, _, let status, _, _): return status == 429 || status >= 500
            default: return false
            }
        case .digestMismatch, .sizeMismatch: return true
        case .status(_, _, _, let status, let code, _):
            // A lost or rejected upload session (distribution's codes) is started afresh too.
            return status == 429 || status >= 500 || code == "BLOB_UPLOAD_UNKNOWN" || code == "BLOB_UPLOAD_INVALID" || code == "DIGEST_INVALID"
        default: return false
        }
    }
}

/// A registry's error body (distribution spec "Error Codes"); `detail` is free-form and not read.
public struct RegistryErrorResponse: Codable, Equatable, Sendable {
    /// One error.
    public struct Entry: Codable, Equatable, Sendable {
        /// `BLOB_UNKNOWN`, `MANIFEST_INVALID`, `UNAUTHORIZED`…
        public var code: String
        /// A human-readable message.
        public var message: String?

        /// An entry with `code` and `message`.
        public init(code: String, message: String? = nil) {
            self.code = code
            self.message = message
        }
    }

    /// The errors, most relevant first.
    public var errors: [Entry]?

    /// A body with `errors`.
    public init(errors: [Entry]?) { self.errors = errors }

    /// The first error's code and message, or the start of a non-JSON body.
    static func summary(of body: Data) -> (code: String?, message: String) {
        if let decoded = try? JSONDecoder().decode(RegistryErrorResponse.self, from: body), let first = decoded.errors?.first {
            return (first.code, Self.clean(first.message ?? ""))
        }
        return (nil, Self.clean(String(decoding: body.prefix(200), as: UTF8.self)))
    }

    /// One line without control characters (a registry's message goes into ours).
    private static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
    }
}
