import Foundation

/// The credential parts of `~/.docker/config.json`, which podman's `auth.json` shares; other keys are ignored.
public struct DockerConfigFile: Codable, Equatable, Sendable {
    /// One `auths` entry: `auth` is base64 of `username:password`; some tools write the two fields instead.
    public struct AuthEntry: Codable, Equatable, Sendable {
        /// base64(`username:password`).
        public var auth: String?
        /// The username, when not inside `auth`.
        public var username: String?
        /// The password, when not inside `auth`.
        public var password: String?
        /// An OAuth2 refresh token from `docker login` (used instead of a password at the token service).
        public var identitytoken: String?
        /// A bearer token sent to the registry as is.
        public var registrytoken: String?
        /// Deprecated; kept so a round trip loses nothing.
        public var email: String?

        /// An entry with any of its fields.
        public init(
            auth: String? = nil, username: String? = nil, password: String? = nil, identitytoken: String? = nil,
            registrytoken: String? = nil, email: String? = nil
        ) {
            self.auth = auth
            self.username = username
            self.password = password
            self.identitytoken = identitytoken
            self.registrytoken = registrytoken
            self.email = email
        }
    }

    /// Credentials by registry key (`host[:port]`, `https://host/v1/`, or podman's `host/namespace`).
    public var auths: [String: AuthEntry]?
    /// The helper (`docker-credential-NAME`) holding every registry's credentials.
    public var credsStore: String?
    /// Helpers by registry host, winning over `credsStore`.
    public var credHelpers: [String: String]?

    /// A file with any of its parts.
    public init(auths: [String: AuthEntry]? = nil, credsStore: String? = nil, credHelpers: [String: String]? = nil) {
        self.auths = auths
        self.credsStore = credsStore
        self.credHelpers = credHelpers
    }
}

/// What `docker-credential-NAME get` prints: the docker-credential-helpers protocol.
public struct CredentialHelperOutput: Codable, Equatable, Sendable {
    /// The server the credentials are for.
    public var ServerURL: String?
    /// The username; `<token>` means `Secret` is an identity (refresh) token.
    public var Username: String
    /// The password or token.
    public var Secret: String

    /// An answer as a helper gives it.
    public init(ServerURL: String? = nil, Username: String, Secret: String) {
        self.ServerURL = ServerURL
        self.Username = Username
        self.Secret = Secret
    }
}
