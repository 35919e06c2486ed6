import HTTP
import ImageFormat

/// Everything that can go wrong talking to a registry; each message names the registry and repository (and the
/// digest when one is concerned) and says what to do.
public enum RegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// 401: no credentials, or the ones sent were refused. `source` names where they came from (nil: none found).
    case unauthorized(registry: String, repository: String, action: String, credentialSource: String?, detail: String)
    /// 403: authenticated, but not allowed to do this.
    case denied(registry: String, repository: String, action: String, detail: String)
    /// 404 for a manifest, tag or blob that should be there.
    case notFound(registry: String, repository: String, what: String)
    /// The registry answered with another status than the protocol allows here (after any retries).
    case status(registry: String, repository: String, request: String, status: Int, code: String?, message: String)
    /// Content that does not hash to the digest it was asked for or announced with.
    case digestMismatch(registry: String, repository: String, what: String, expected: Digest, actual: Digest)
    /// Content whose size differs from the one announced.
    case sizeMismatch(registry: String, repository: String, what: String, expected: Int64, actual: Int64)
    /// A header or body the protocol defines that is malformed (a digest, a size, a Range, JSON).
    case invalidResponse(registry: String, repository: String, reason: String)
    /// A `Location` that is not followed: another scheme, a plain-http host, or not a URL.
    case unsafeLocation(registry: String, repository: String, location: String, reason: String)
    /// The token service refused or failed.
    case tokenFailed(registry: String, realm: String, reason: String)
    /// A credentials file or helper could not be read or run.
    case credentials(source: String, reason: String)
    /// The transfer failed below HTTP status level (connection, TLS, timeout, a full disk), after any retries.
    case transfer(registry: String, repository: String, underlying: HTTPError)
    /// A digest algorithm distill cannot verify.
    case unsupportedDigest(registry: String, repository: String, digest: Digest)
    /// An option that cannot be used as given (an unreadable CA file, a bad insecure host).
    case invalidOption(String)

    public var description: String {
        switch self {
        case .unauthorized(let registry, let repository, let action, let source, let detail):
            let said = detail.isEmpty ? "" : " (\(detail))"
            if let source {
                return "401 from \(registry) for \(action) to \(repository)\(said): the credentials from \(source) were refused; check the username and password (or token) and that they may \(action) \(repository)"
            }
            return "401 from \(registry) for \(action) to \(repository)\(said): run with --username/--password-stdin or add credentials to ~/.docker/config.json (or $REGISTRY_AUTH_FILE)"
        case .denied(let registry, let repository, let action, let detail):
            let said = detail.isEmpty ? "" : " (\(detail))"
            return "403 from \(registry): \(action) to \(repository) is denied\(said); the account needs \(action) permission on that repository"
        case .notFound(let registry, let repository, let what):
            return "\(registry)/\(repository): \(what) is not there (404); check the repository name, tag or digest"
        case .status(let registry, let repository, let request, let status, let code, let message):
            let said = [code, message.isEmpty ? nil : message].compactMap { $0 }.joined(separator: ": ")
            let hint =
                status == 429 ? "; the registry limits requests, try again later"
                : status >= 500 ? "; the registry failed, try again later"
                : code == "DIGEST_INVALID" ? "; the registry received other bytes than were sent, several times: something on the way (a proxy) changes them"
                : ""
            return "\(request) on \(registry)/\(repository) failed with HTTP \(status)\(said.isEmpty ? "" : " (\(said))")\(hint)"
        case .digestMismatch(let registry, let repository, let what, let expected, let actual):
            return "\(registry)/\(repository): \(what) has digest \(actual) but \(expected) was expected; the registry or the network corrupted it, nothing was kept"
        case .sizeMismatch(let registry, let repository, let what, let expected, let actual):
            return "\(registry)/\(repository): \(what) is \(actual) bytes but \(expected) were expected; the transfer was cut or corrupted, nothing was kept"
        case .invalidResponse(let registry, let repository, let reason):
            return "\(registry)/\(repository): the registry's answer is not valid: \(reason)"
        case .unsafeLocation(let registry, let repository, let location, let reason):
            return "\(registry)/\(repository): the registry points to '\(location)', which is not followed: \(reason)"
        case .tokenFailed(let registry, let realm, let reason):
            return "\(registry): no token from \(realm): \(reason)"
        case .credentials(let source, let reason):
            return "\(source): \(reason)"
        case .transfer(let registry, let repository, let underlying):
            return "\(registry)/\(repository): \(underlying)\(Self.hint(for: underlying))"
        case .unsupportedDigest(let registry, let repository, let digest):
            return "\(registry)/\(repository): \(digest) uses an algorithm distill cannot verify (only sha256)"
        case .invalidOption(let reason):
            return reason
        }
    }

    /// What to try when the connection itself failed: TLS trouble usually means a plain-http or private-CA registry.
    private static func hint(for error: HTTPError) -> String {
        let text = error.description.lowercased()
        guard error.url.lowercased().hasPrefix("https://") else { return "" }
        if text.contains("wrong_version_number") {
            return " (it answers plain http, not TLS: if that is expected, pass --insecure-registry HOST)"
        }
        if text.contains("ssl") || text.contains("tls") || text.contains("certificate") || text.contains("handshake") {
            return " (if the registry serves plain http, pass --insecure-registry HOST; if it has a private CA, pass --ca-cert FILE)"
        }
        return ""
    }
}
