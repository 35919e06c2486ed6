import Foundation
import ImageFormat
import ImageTransport
import SystemSupport

/// Finds the credentials for a registry the way docker and podman do, first match wins:
/// 1. credentials given explicitly for that registry (`--username`/`--password-stdin`);
/// 2. the auth files in ``files`` order: by default `$REGISTRY_AUTH_FILE`, else `${XDG_RUNTIME_DIR}/containers/auth.json`
///    (podman), then `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. In each file: `credHelpers[host]`, then
///    `credsStore`, then the `auths` entry (podman's `host/namespace` keys match by longest prefix).
/// Nothing found means anonymous access.
public struct RegistryCredentialStore: Sendable {
    /// Runs a helper: `docker-credential-<name> get` with the server URL on stdin. Nil output: no credentials there.
    /// Untyped throws: a typed-throws closure literal here crashes the 6.3 compiler; errors become ``RegistryError/credentials(source:reason:)``.
    public typealias HelperRunner = @Sendable (_ helper: String, _ serverURL: String) async throws -> CredentialHelperOutput?

    /// Credentials by registry (`host[:port]` as in references), winning over every file.
    public var explicit: [String: RegistryCredentials]
    /// Auth files in the order they are searched; missing files are skipped.
    public var files: [String]
    /// How helpers are run (tests pass their own; the default searches ``helperDirectories`` then PATH).
    public var runHelper: HelperRunner

    /// A store over `files` (default: ``standardFiles(environment:)``) and `explicit` credentials.
    public init(
        explicit: [String: RegistryCredentials] = [:], files: [String]? = nil, helperDirectories: [String] = [],
        runHelper: HelperRunner? = nil
    ) {
        self.explicit = explicit
        self.files = files ?? Self.standardFiles()
        if let runHelper {
            self.runHelper = runHelper
        } else {
            self.runHelper = { helper, server in
                try await Self.runInstalledHelper(helper, serverURL: server, directories: helperDirectories)
            }
        }
    }

    /// `$REGISTRY_AUTH_FILE` (else `${XDG_RUNTIME_DIR}/containers/auth.json`), then docker's config.json.
    public static func standardFiles(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var files: [String] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty {
            files.append(file)
        } else if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            files.append(runtime + "/containers/auth.json")
        }
        if let dockerConfig = environment["DOCKER_CONFIG"], !dockerConfig.isEmpty {
            files.append(dockerConfig + "/config.json")
        } else if case let home = environment["HOME"] ?? NSHomeDirectory(), home.hasPrefix("/") {
            files.append(home + "/.docker/config.json")
        }
        return files
    }

    /// The credentials for `repository` on `registry` (a reference's registry name), or nil for anonymous access.
    public func credentials(registry: String, repository: String) async throws(RegistryError) -> RegistryCredentials? {
        let host = Self.normalizedHost(registry)
        if let found = explicit.first(where: { Self.normalizedHost($0.key) == host }) { return found.value }
        for path in files {
            guard let config = try Self.load(path) else { continue }
            if let found = try await credentials(in: config, path: path, host: host, repository: repository) { return found }
        }
        return nil
    }

    private func credentials(
        in config: DockerConfigFile, path: String, host: String, repository: String
    ) async throws(RegistryError) -> RegistryCredentials? {
        let serverURL = host == RegistryReference.dockerHub ? "https://index.docker.io/v1/" : host
        if let helper = config.credHelpers?.first(where: { Self.normalizedHost($0.key) == host })?.value {
            return try await helperCredentials(helper, serverURL: serverURL)
        }
        if let store = config.credsStore, !store.isEmpty, let found = try await helperCredentials(store, serverURL: serverURL) {
            return found
        }
        guard let entry = Self.bestEntry(config.auths ?? [:], host: host, repository: repository) else { return nil }
        return try Self.decode(entry, path: path)
    }

    private func helperCredentials(_ helper: String, serverURL: String) async throws(RegistryError) -> RegistryCredentials? {
        let source = "docker-credential-\(helper)"
        let answer: CredentialHelperOutput?
        do {
            answer = try await runHelper(helper, serverURL)
        } catch {
            throw error as? RegistryError ?? .credentials(source: source, reason: "\(error)")
        }
        guard let output = answer else { return nil }
        if output.Username == "<token>" {
            return RegistryCredentials(username: "", secret: output.Secret, kind: .identityToken, source: source)
        }
        return RegistryCredentials(username: output.Username, secret: output.Secret, source: source)
    }

    /// The `auths` entry for `host`: podman's `host/namespace[/repo]` keys by longest match, then the host itself
    /// under any of the spellings docker writes (`host`, `https://host`, `https://host/v1/`).
    static func bestEntry(_ auths: [String: DockerConfigFile.AuthEntry], host: String, repository: String) -> DockerConfigFile.AuthEntry? {
        let full = host + "/" + repository
        var best: (length: Int, entry: DockerConfigFile.AuthEntry)?
        for (key, entry) in auths {
            let trimmed = key.hasSuffix("/") ? String(key.dropLast()) : key
            let length: Int
            if key.contains("://") {
                guard normalizedHost(key) == host else { continue }
                length = host.count
            } else if trimmed.contains("/") {
                // podman: a namespace or repository of a registry.
                let scoped = normalizedHost(String(trimmed.prefix { $0 != "/" })) + String(trimmed.drop { $0 != "/" })
                guard full == scoped || full.hasPrefix(scoped + "/") else { continue }
                length = scoped.count
            } else {
                guard normalizedHost(trimmed) == host else { continue }
                length = host.count
            }
            if length > best?.length ?? -1 { best = (length, entry) }
        }
        return best?.entry
    }

    /// `host[:port]` of a config key or reference registry, lowercased; Docker Hub's many names become `docker.io`.
    static func normalizedHost(_ key: String) -> String {
        var text = Substring(key.lowercased())
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        let host = String(text.prefix { $0 != "/" })
        switch host {
        case "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com": return RegistryReference.dockerHub
        default: return host
        }
    }

    private static func decode(_ entry: DockerConfigFile.AuthEntry, path: String) throws(RegistryError) -> RegistryCredentials? {
        if let token = entry.registrytoken, !token.isEmpty {
            return RegistryCredentials(username: "", secret: token, kind: .registryToken, source: path)
        }
        if let token = entry.identitytoken, !token.isEmpty {
            return RegistryCredentials(username: entry.username ?? "", secret: token, kind: .identityToken, source: path)
        }
        if let auth = entry.auth, !auth.isEmpty {
            guard let data = Data(base64Encoded: auth.trimmingCharacters(in: .whitespacesAndNewlines)),
                let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else {
                throw .credentials(source: path, reason: "an 'auth' value is not base64 of username:password; run docker login (or podman login) again")
            }
            return RegistryCredentials(username: String(text[..<colon]), secret: String(text[text.index(after: colon)...]), source: path)
        }
        if let username = entry.username, let password = entry.password {
            return RegistryCredentials(username: username, secret: password, source: path)
        }
        return nil
    }

    private static func load(_ path: String) throws(RegistryError) -> DockerConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .credentials(source: path, reason: "cannot be read; check its permissions")
        }
        if data.count > 4 << 20 { throw .credentials(source: path, reason: "is larger than 4 MiB, which no credentials file is") }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        do {
            return try CanonicalJSON.decode(DockerConfigFile.self, from: data, what: path)
        } catch {
            throw .credentials(source: path, reason: "\(error); fix or remove the file")
        }
    }

    /// Runs `docker-credential-<helper> get` from `directories` or PATH; "credentials not found" is nil.
    static func runInstalledHelper(_ helper: String, serverURL: String, directories: [String]) async throws(RegistryError) -> CredentialHelperOutput? {
        let name = "docker-credential-" + helper
        guard !helper.isEmpty, helper.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw .credentials(source: name, reason: "'\(helper)' is not a credential helper name")
        }
        let executable = directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? ChildProcess.find(name)
        guard let executable else {
            throw .credentials(source: name, reason: "the helper named in the docker config is not installed (not on PATH)")
        }
        let output: ChildProcess.Output
        do {
            output = try await ChildProcess.run(executable, ["get"], input: Data(serverURL.utf8), outputLimit: 1 << 20)
        } catch {
            throw .credentials(source: name, reason: "\(error)")
        }
        let said = (output.text + " " + output.stderr).lowercased()
        if output.status != 0 {
            if said.contains("credentials not found") || said.contains("not found in") { return nil }
            throw .credentials(
                source: name,
                reason: "'get' for \(serverURL) exited \(output.status): \(output.stderr.isEmpty ? output.text : output.stderr)".trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do {
            return try CanonicalJSON.decode(CredentialHelperOutput.self, from: output.stdout, what: "\(name) get")
        } catch {
            throw .credentials(source: name, reason: "its answer is not the credential helper JSON: \(error)")
        }
    }
}
