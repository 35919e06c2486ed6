import Foundation
import ImageFormat
import Registry
import TestSupport
import Testing

@Suite struct CredentialTests {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A `docker-credential-NAME` script that knows `server` and says "not found" for anything else.
    static func helper(_ name: String, in dir: TemporaryDirectory, server: String, user: String, secret: String) throws {
        let path = dir("docker-credential-\(name)")
        try write(
            """
            #!/bin/sh
            [ "$1" = get ] || exit 2
            read -r asked
            if [ "$asked" = "\(server)" ]; then
              printf '{"ServerURL":"%s","Username":"\(user)","Secret":"\(secret)"}' "$asked"
            else
              echo "credentials not found in native keychain"; exit 1
            fi
            """, to: path)
        chmod(path, 0o755)
    }

    @Test func auths_base64_and_field_forms() async throws {
        let dir = try TemporaryDirectory("creds")
        try Self.write(
            """
            {"auths": {
              "127.0.0.1:5000": {"auth": "\(Self.base64("alice:s3cr:et"))"},
              "https://reg.example/v1/": {"username": "bob", "password": "pw"},
              "https://index.docker.io/v1/": {"auth": "\(Self.base64("hub:hubpw"))"},
              "tok.example": {"identitytoken": "refresh-1"}
            }, "HttpHeaders": {"X": "y"}}
            """, to: dir("config.json"))
        let store = RegistryCredentialStore(files: [dir("config.json")])
        let alice = try await store.credentials(registry: "127.0.0.1:5000", repository: "app")
        #expect(alice?.username == "alice")
        #expect(alice?.secret == "s3cr:et")
        #expect(alice?.kind == .password)
        #expect(alice?.source == dir("config.json"))
        #expect(try await store.credentials(registry: "reg.example", repository: "x")?.username == "bob")
        #expect(try await store.credentials(registry: "docker.io", repository: "library/python")?.username == "hub")
        let token = try await store.credentials(registry: "tok.example", repository: "x")
        #expect(token?.kind == .identityToken)
        #expect(token?.secret == "refresh-1")
        #expect(try await store.credentials(registry: "other.example", repository: "x") == nil)
        // A port is part of the key: 127.0.0.1:5001 has no credentials.
        #expect(try await store.credentials(registry: "127.0.0.1:5001", repository: "app") == nil)
        // The secret never shows in a description.
        #expect(!"\(alice!)".contains("s3cr"))
    }

    @Test func podman_auth_file_first_and_namespace_keys() async throws {
        let dir = try TemporaryDirectory("creds")
        try Self.write(
            #"{"auths": {"reg.example": {"auth": "\#(Self.base64("any:1"))"}, "reg.example/team": {"auth": "\#(Self.base64("team:2"))"}, "reg.example/team/app": {"auth": "\#(Self.base64("app:3"))"}}}"#,
            to: dir("auth.json"))
        try Self.write(#"{"auths": {"reg.example": {"auth": "\#(Self.base64("docker:4"))"}}}"#, to: dir("config.json"))
        let store = RegistryCredentialStore(files: [dir("auth.json"), dir("config.json")])
        #expect(try await store.credentials(registry: "reg.example", repository: "team/app")?.username == "app")
        #expect(try await store.credentials(registry: "reg.example", repository: "team/other")?.username == "team")
        #expect(try await store.credentials(registry: "reg.example", repository: "teamx/app")?.username == "any")
        #expect(try await RegistryCredentialStore(files: [dir("missing.json"), dir("config.json")]).credentials(registry: "reg.example", repository: "a")?.username == "docker")
    }

    @Test func standard_file_order() {
        let env = ["REGISTRY_AUTH_FILE": "/a/auth.json", "XDG_RUNTIME_DIR": "/run/user/0", "HOME": "/home/u"]
        #expect(RegistryCredentialStore.standardFiles(environment: env) == ["/a/auth.json", "/home/u/.docker/config.json"])
        #expect(
            RegistryCredentialStore.standardFiles(environment: ["XDG_RUNTIME_DIR": "/run/user/0", "HOME": "/home/u", "DOCKER_CONFIG": "/d"])
                == ["/run/user/0/containers/auth.json", "/d/config.json"])
    }

    @Test func explicit_credentials_win_for_their_registry_only() async throws {
        let dir = try TemporaryDirectory("creds")
        try Self.write(#"{"auths": {"reg.example": {"auth": "\#(Self.base64("file:1"))"}}}"#, to: dir("config.json"))
        let explicit = RegistryCredentials(username: "cli", secret: "pw", source: "--username")
        let store = RegistryCredentialStore(explicit: ["REG.example": explicit], files: [dir("config.json")])
        #expect(try await store.credentials(registry: "reg.example", repository: "a") == explicit)
        #expect(try await store.credentials(registry: "other.example", repository: "a") == nil)
    }

    @Test func cred_helpers_and_creds_store_run_real_helpers() async throws {
        let dir = try TemporaryDirectory("creds")
        try Self.helper("alpha", in: dir, server: "reg.example", user: "from-alpha", secret: "a-secret")
        try Self.helper("store", in: dir, server: "https://index.docker.io/v1/", user: "<token>", secret: "hub-refresh")
        try Self.write(
            #"{"credsStore": "store", "credHelpers": {"reg.example": "alpha"}, "auths": {"fallback.example": {"auth": "\#(Self.base64("fb:1"))"}}}"#,
            to: dir("config.json"))
        let store = RegistryCredentialStore(files: [dir("config.json")], helperDirectories: [dir.path])
        let alpha = try await store.credentials(registry: "reg.example", repository: "a")
        #expect(alpha == RegistryCredentials(username: "from-alpha", secret: "a-secret", source: "docker-credential-alpha"))
        let hub = try await store.credentials(registry: "docker.io", repository: "library/python")
        #expect(hub?.kind == .identityToken)
        #expect(hub?.secret == "hub-refresh")
        // The store has nothing for fallback.example ("credentials not found"): the auths entry is used.
        #expect(try await store.credentials(registry: "fallback.example", repository: "a")?.username == "fb")
    }

    @Test func missing_helper_and_bad_auth_are_errors_naming_the_source() async throws {
        let dir = try TemporaryDirectory("creds")
        try Self.write(#"{"credHelpers": {"reg.example": "nonexistent-xyz"}}"#, to: dir("helpers.json"))
        let helpers = RegistryCredentialStore(files: [dir("helpers.json")], helperDirectories: [dir.path])
        await #expect { try await helpers.credentials(registry: "reg.example", repository: "a") } throws: { error in
            "\(error)".contains("docker-credential-nonexistent-xyz") && "\(error)".contains("not installed")
        }
        try Self.write(#"{"auths": {"reg.example": {"auth": "not base64!"}}}"#, to: dir("bad.json"))
        let bad = RegistryCredentialStore(files: [dir("bad.json")])
        await #expect { try await bad.credentials(registry: "reg.example", repository: "a") } throws: { error in
            "\(error)".contains(dir("bad.json")) && "\(error)".contains("base64")
        }
        try Self.write("{not json", to: dir("broken.json"))
        await #expect { try await RegistryCredentialStore(files: [dir("broken.json")]).credentials(registry: "reg.example", repository: "a") } throws: {
            "\($0)".contains(dir("broken.json"))
        }
    }

    @Test func codable_models_round_trip() throws {
        let config = DockerConfigFile(
            auths: ["a": .init(auth: "eDp5", username: "x", password: "y", identitytoken: "i", registrytoken: "r", email: "e")],
            credsStore: "desktop", credHelpers: ["gcr.io": "gcloud"])
        #expect(try CanonicalJSON.decode(DockerConfigFile.self, from: CanonicalJSON.encode(config), what: "t") == config)
        let helper = CredentialHelperOutput(ServerURL: "s", Username: "u", Secret: "p")
        #expect(try CanonicalJSON.decode(CredentialHelperOutput.self, from: CanonicalJSON.encode(helper), what: "t") == helper)
        let token = TokenResponse(token: "t", access_token: "a", expires_in: 300, issued_at: "2024-01-01T00:00:00Z", refresh_token: "r")
        #expect(try CanonicalJSON.decode(TokenResponse.self, from: CanonicalJSON.encode(token), what: "t") == token)
        let errors = RegistryErrorResponse(errors: [.init(code: "BLOB_UNKNOWN", message: "blob unknown to registry")])
        #expect(try CanonicalJSON.decode(RegistryErrorResponse.self, from: CanonicalJSON.encode(errors), what: "t") == errors)
        // The spec's field names, as Docker writes them.
        let text = String(decoding: try CanonicalJSON.encode(config), as: UTF8.self)
        #expect(text.contains(#""credHelpers""#) && text.contains(#""credsStore""#) && text.contains(#""identitytoken""#))
    }
}
