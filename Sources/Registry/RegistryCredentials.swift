/// A username and password (or token) for one registry, with where it came from for messages.
public struct RegistryCredentials: Sendable, Equatable {
    /// What the secret is.
    public enum Kind: Sendable, Equatable {
        /// A password (or a personal access token used as one): Basic auth, or Basic at the token service.
        case password
        /// An OAuth2 refresh token (`identitytoken`, a helper's `<token>` user): exchanged at the token service.
        case identityToken
        /// A bearer token sent to the registry unchanged (`registrytoken`).
        case registryToken
    }

    /// The username (empty for tokens).
    public var username: String
    /// The password or token.
    public var secret: String
    /// How the secret is used.
    public var kind: Kind
    /// Where it came from (`--username`, `/root/.docker/config.json`, `docker-credential-pass`), never the secret.
    public var source: String

    /// Credentials of `kind` from `source`.
    public init(username: String, secret: String, kind: Kind = .password, source: String) {
        self.username = username
        self.secret = secret
        self.kind = kind
        self.source = source
    }
}

extension RegistryCredentials: CustomStringConvertible {
    /// The user and the source, never the secret (credentials end up in logs through string interpolation).
    public var description: String { "\(username.isEmpty ? "<token>" : username) (from \(source))" }
}
