import ImageFormat
import ImageTransport
import Registry
import Testing

@Suite struct ReferenceTests {
    static let hex = String(repeating: "ab", count: 32)

    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var registry: String
        var repository: String
        var tag: String?
        var digest: String?
        var description: String { text }
    }

    static let valid: [Case] = [
        Case(text: "127.0.0.1:5000/app:1.0", registry: "127.0.0.1:5000", repository: "app", tag: "1.0"),
        Case(text: "docker://localhost:5000/team/app", registry: "localhost:5000", repository: "team/app"),
        Case(text: "localhost/app", registry: "localhost", repository: "app"),
        Case(text: "ghcr.io/org/sub/app@sha256:\(hex)", registry: "ghcr.io", repository: "org/sub/app", digest: "sha256:\(hex)"),
        Case(text: "ghcr.io/org/app:v2@sha256:\(hex)", registry: "ghcr.io", repository: "org/app", tag: "v2", digest: "sha256:\(hex)"),
        Case(text: "python:3.11-slim", registry: "docker.io", repository: "library/python", tag: "3.11-slim"),
        Case(text: "docker://busybox", registry: "docker.io", repository: "library/busybox"),
        Case(text: "bitnami/redis:7", registry: "docker.io", repository: "bitnami/redis", tag: "7"),
        Case(text: "docker.io/python", registry: "docker.io", repository: "library/python"),
        Case(text: "index.docker.io/library/python:3", registry: "docker.io", repository: "library/python", tag: "3"),
        Case(text: "[::1]:5000/app", registry: "[::1]:5000", repository: "app"),
        Case(text: "Registry.Example.com/a_b/c__d/e--f.g", registry: "registry.example.com", repository: "a_b/c__d/e--f.g"),
    ]

    @Test(arguments: valid)
    func parses(_ c: Case) throws {
        let ref = try RegistryReference(parsing: c.text)
        #expect(ref.registry == c.registry)
        #expect(ref.repository == c.repository)
        #expect(ref.tag == c.tag)
        #expect(ref.digest?.description == c.digest)
        // The canonical form parses to the same reference.
        #expect(try RegistryReference(parsing: ref.description) == ref)
    }

    @Test(arguments: [
        "127.0.0.1:5000/App", "host:port/app", "127.0.0.1:99999/app", "example.com/a//b", "example.com/-a", "example.com/a:",
        "example.com/a:-tag", "example.com/a@sha256:short", "docker://", "example.com/a__-b", "exa_mple.com/app",
        "example.com/" + String(repeating: "a", count: 256),
    ])
    func refuses(_ text: String) {
        #expect(throws: ImageTransportError.self) { try RegistryReference(parsing: text) }
    }

    @Test func docker_hub_api_host_and_reference() throws {
        let ref = try RegistryReference(parsing: "python:3.11-slim")
        #expect(ref.apiHost == "registry-1.docker.io")
        #expect(ref.reference == "3.11-slim")
        #expect(try RegistryReference(parsing: "127.0.0.1:5000/app").reference == "latest")
        let pinned = try RegistryReference(parsing: "127.0.0.1:5000/app:1@sha256:\(Self.hex)")
        #expect(pinned.reference == "sha256:\(Self.hex)")
    }

    @Test(arguments: [
        ("python:3.11-slim", true), ("busybox@sha256:\(hex)", true), ("docker://busybox", true), ("127.0.0.1:5000/app", true),
        ("ghcr.io/org/app", true), ("docker.io/python", true), ("app.tar", false), ("build", false), ("oic:build/app", false),
    ])
    func tells_registry_from_typo(_ text: String, _ expected: Bool) {
        #expect(RegistryReference.looksLikeRegistry(text) == expected)
    }

    @Test func referrers_tag_schema() throws {
        let digest = try Digest("sha256:\(Self.hex)")
        #expect(RegistryClient.referrersTag(for: digest) == "sha256-\(Self.hex)")
        let long = try Digest("sha512:" + String(repeating: "c", count: 128))
        #expect(RegistryClient.referrersTag(for: long).count == 128)
    }
}
