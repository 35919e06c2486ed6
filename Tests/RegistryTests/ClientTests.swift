import Archive
import Foundation
import HTTP
import ImageFormat
import Registry
import TestSupport
import Testing

/// The registry client against ``FakeHTTPClient``: every request it makes is checked, no server runs.
@Suite struct ClientTests {
    static let base = "https://reg.example"
    static let realm = "https://auth.example/token"
    static let bearer = #"Bearer realm="https://auth.example/token",service="reg.example""#

    static func client(_ fake: FakeHTTPClient, credentials: RegistryCredentials? = nil, chunkSize: Int64? = nil) -> RegistryClient {
        let store = RegistryCredentialStore(explicit: credentials.map { ["reg.example": $0] } ?? [:], files: [])
        return RegistryClient(registry: "reg.example", options: RegistryOptions(credentials: store, chunkSize: chunkSize), http: fake)
    }

    static func manifestBody() -> (Data, Digest) {
        let data = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#.utf8)
        return (data, Digest.sha256(of: data))
    }

    @Test func anonymous_bearer_token_is_fetched_once_per_scope_and_sent() async throws {
        let fake = FakeHTTPClient()
        let (body, digest) = Self.manifestBody()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": Self.bearer])])
        fake.respond(to: Self.realm + "?service=reg.example&scope=repository:app:pull", with: [.ok(Data(#"{"token":"t-pull","expires_in":300}"#.utf8))])
        fake.respond(
            to: Self.base + "/v2/app/manifests/latest",
            with: [.ok(body, headers: ["Content-Type": MediaType.ociManifest, "Docker-Content-Digest": digest.description])])
        let client = Self.client(fake)
        let first = try await client.manifest("app", reference: "latest")
        let second = try await client.manifest("app", reference: "latest")
        #expect(first.descriptor == Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: Int64(body.count)))
        #expect(second.data == body)
        let received = fake.received
        #expect(received.filter { $0.url.hasPrefix(Self.realm) }.count == 1)
        #expect(received.first { $0.url.hasPrefix(Self.realm) }?.headers["Authorization"] == nil)
        let manifests = received.filter { $0.url.hasSuffix("/manifests/latest") }
        #expect(manifests.count == 2)
        #expect(manifests.allSatisfy { $0.headers["Authorization"] == "Bearer t-pull" })
        #expect(manifests[0].headers["Accept"]?.contains(MediaType.dockerManifestList) == true)
        #expect(manifests[0].headers["Accept"]?.contains(MediaType.ociIndex) == true)
    }

    @Test func push_scope_with_credentials_sends_basic_to_the_token_service() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": Self.bearer])])
        let tokenURL = Self.realm + "?service=reg.example&scope=repository:app:pull%2Cpush"
        fake.respond(to: tokenURL, with: [.ok(Data(#"{"access_token":"t-push"}"#.utf8))])
        let digest = Digest.sha256(of: Data("x".utf8))
        fake.respond(to: Self.base + "/v2/app/blobs/\(digest)", with: [.ok(Data("x".utf8))])
        let credentials = RegistryCredentials(username: "alice", secret: "pw", source: "--username")
        let client = Self.client(fake, credentials: credentials)
        #expect(try await client.blobExists("app", Descriptor(mediaType: "x", digest: digest, size: 1), push: true))
        let token = try #require(fake.received.first { $0.url == tokenURL })
        #expect(token.headers["Authorization"] == "Basic " + Data("alice:pw".utf8).base64EncodedString())
        #expect(fake.received.last?.headers["Authorization"] == "Bearer t-push")
    }

    @Test func expired_token_401_is_renewed_once() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": Self.bearer])])
        fake.respond(
            to: Self.realm + "?service=reg.example&scope=repository:app:pull",
            with: [.ok(Data(#"{"token":"old"}"#.utf8)), .ok(Data(#"{"token":"new"}"#.utf8))])
        let digest = Digest.sha256(of: Data("abc".utf8))
        fake.respond(
            to: Self.base + "/v2/app/blobs/\(digest)",
            with: [.status(401, "", headers: ["WWW-Authenticate": Self.bearer]), .ok(Data("abc".utf8))])
        let sink = DataSink()
        try await Self.client(fake).fetchBlob("app", Descriptor(mediaType: "x", digest: digest, size: 3), into: sink)
        #expect(sink.data == Data("abc".utf8))
        let blobs = fake.received.filter { $0.url.contains("/blobs/") }
        #expect(blobs.map { $0.headers["Authorization"] } == ["Bearer old", "Bearer new"])
    }

    @Test func basic_registry_and_a_clear_401_without_credentials() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": #"Basic realm="Registry Realm""#])])
        fake.respond(
            to: Self.base + "/v2/app/blobs/uploads/",
            with: [.status(401, #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#, headers: ["WWW-Authenticate": #"Basic realm="r""#])])
        await #expect { try await Self.client(fake).startUploadForTest("app") } throws: { error in
            let text = "\(error)"
            return text.contains("401 from reg.example for push to app") && text.contains("--username/--password-stdin")
                && text.contains("~/.docker/config.json") && text.contains("authentication required")
        }
        let withCredentials = FakeHTTPClient()
        withCredentials.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": #"Basic realm="r""#])])
        withCredentials.respond(to: Self.base + "/v2/app/blobs/uploads/", with: [.status(401, "", headers: ["WWW-Authenticate": #"Basic realm="r""#])])
        let client = Self.client(withCredentials, credentials: RegistryCredentials(username: "bob", secret: "wrong", source: "--username"))
        await #expect { try await client.startUploadForTest("app") } throws: { error in
            "\(error)".contains("the credentials from --username were refused")
        }
        // Sent once with Basic: a refused password is not sent again.
        let posts = withCredentials.received.filter { $0.method == .post }
        #expect(posts.count == 1)
        #expect(posts[0].headers["Authorization"] == "Basic " + Data("bob:wrong".utf8).base64EncodedString())
    }

    @Test func chunked_upload_follows_every_location_and_range() async throws {
        let dir = try TemporaryDirectory("registry-chunks")
        let content = Data((0..<10).map { UInt8($0) })
        try content.write(to: dir.path("blob"))
        let digest = Digest.sha256(of: content)
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fake.respond(to: Self.base + "/v2/app/blobs/\(digest)", with: [.status(404)])
        fake.respond(to: Self.base + "/v2/app/blobs/uploads/", with: [.status(202, "", headers: ["Location": "/v2/app/blobs/uploads/u1?_state=s1"])])
        fake.respond(
            to: Self.base + "/v2/app/blobs/uploads/u1?_state=s1", with: [.status(202, "", headers: ["Location": "/v2/app/blobs/uploads/u1?_state=s2", "Range": "0-3"])])
        // The registry took only 2 of the next 4 bytes: the client resumes at byte 6.
        fake.respond(
            to: Self.base + "/v2/app/blobs/uploads/u1?_state=s2",
            with: [.status(202, "", headers: ["Location": Self.base + "/v2/app/blobs/uploads/u1?_state=s3", "Range": "0-5"])])
        fake.respond(
            to: Self.base + "/v2/app/blobs/uploads/u1?_state=s3", with: [.status(202, "", headers: ["Location": "u1?_state=s4", "Range": "0-9"])])
        fake.respond(
            to: Self.base + "/v2/app/blobs/uploads/u1?_state=s4&digest=\(digest)", with: [.status(201, "", headers: ["Docker-Content-Digest": digest.description])])
        let outcome = try await Self.client(fake, chunkSize: 4).pushBlob(
            "app", Descriptor(mediaType: MediaType.ociLayerGzip, digest: digest, size: 10), file: dir("blob"))
        #expect(outcome == .uploaded)
        let patches = fake.received.filter { $0.method == .patch }
        #expect(patches.map { $0.headers["Content-Range"] } == ["0-3", "4-7", "6-9"])
        #expect(patches.map(\.body) == [content[0..<4], content[4..<8], content[6..<10]].map { Data($0) })
        #expect(patches.allSatisfy { $0.headers["Content-Type"] == "application/octet-stream" })
        let put = try #require(fake.received.last)
        #expect(put.method == .put && put.body.isEmpty)
    }

    @Test func monolithic_upload_then_nothing_sent_for_a_present_or_mountable_blob() async throws {
        let dir = try TemporaryDirectory("registry-mono")
        let content = Data("layer bytes".utf8)
        try content.write(to: dir.path("blob"))
        let descriptor = Descriptor(mediaType: MediaType.ociLayerGzip, digest: .sha256(of: content), size: Int64(content.count))
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fake.respond(to: Self.base + "/v2/app/blobs/\(descriptor.digest)", with: [.status(404), .ok(content)])
        fake.respond(to: Self.base + "/v2/app/blobs/uploads/", with: [.status(202, "", headers: ["Location": "/v2/app/blobs/uploads/u9"])])
        fake.respond(to: Self.base + "/v2/app/blobs/uploads/u9?digest=\(descriptor.digest)", with: [.status(201)])
        let client = Self.client(fake)
        #expect(try await client.pushBlob("app", descriptor, file: dir("blob")) == .uploaded)
        #expect(fake.received.last?.body == content)
        #expect(try await client.pushBlob("app", descriptor, file: dir("blob")) == .present)
        #expect(fake.received.filter { $0.method == .put }.count == 1)
        // Another repository: HEAD says 404, the mount answers 201.
        fake.respond(to: Self.base + "/v2/other/blobs/\(descriptor.digest)", with: [.status(404)])
        fake.respond(to: Self.base + "/v2/other/blobs/uploads/?mount=\(descriptor.digest)&from=app", with: [.status(201)])
        #expect(try await client.pushBlob("other", descriptor, file: dir("blob"), mountFrom: ["app"]) == .mounted(from: "app"))
        #expect(fake.received.filter { $0.method == .put }.count == 1)
    }

    @Test func corrupt_blob_is_refused_and_nothing_is_left() async throws {
        let dir = try TemporaryDirectory("registry-corrupt")
        let good = Data("the real layer".utf8)
        let bad = Data("the real layeR".utf8)
        let descriptor = Descriptor(mediaType: MediaType.ociLayerGzip, digest: .sha256(of: good), size: Int64(good.count))
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fake.respond(to: Self.base + "/v2/app/blobs/\(descriptor.digest)", with: [.ok(bad)])
        await #expect { try await Self.client(fake).downloadBlob("app", descriptor, to: dir("blob")) } throws: { error in
            guard case RegistryError.digestMismatch(_, _, _, let expected, _) = error else { return false }
            return expected == descriptor.digest && "\(error)".contains(descriptor.digest.description)
        }
        #expect(TemporaryDirectory.files(below: dir.url).isEmpty)
        // Tried again from the start (3 attempts), then given up.
        #expect(fake.received.filter { $0.method == .get && $0.url.contains("/blobs/") }.count == 3)
        // A corrupt first answer then a good one: the download succeeds.
        fake.respond(to: Self.base + "/v2/app/blobs/\(descriptor.digest)", with: [.ok(bad), .ok(good)])
        try await Self.client(fake).downloadBlob("app", descriptor, to: dir("blob"))
        #expect(try Data(contentsOf: dir.path("blob")) == good)
        #expect(TemporaryDirectory.files(below: dir.url) == ["blob"])
        // Too many bytes is refused from the first extra byte.
        fake.respond(to: Self.base + "/v2/app/blobs/\(descriptor.digest)", with: [.ok(good + Data("x".utf8))])
        await #expect { try await Self.client(fake).fetchBlob("app", descriptor, into: DataSink()) } throws: { error in
            if case RegistryError.sizeMismatch = error { return true }
            return false
        }
    }

    @Test func manifest_digest_header_that_lies_is_refused() async throws {
        let (body, _) = Self.manifestBody()
        let other = Digest.sha256(of: Data("other".utf8))
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fake.respond(to: Self.base + "/v2/app/manifests/v1", with: [.ok(body, headers: ["Docker-Content-Digest": other.description])])
        fake.respond(to: Self.base + "/v2/app/manifests/\(other)", with: [.ok(body)])
        fake.respond(to: Self.base + "/v2/app/manifests/v2", with: [.ok(body, headers: ["Docker-Content-Digest": "sha256:nothex"])])
        let client = Self.client(fake)
        for reference in ["v1", other.description] {
            await #expect { try await client.manifest("app", reference: reference) } throws: { error in
                if case RegistryError.digestMismatch(_, "app", _, other, _) = error { return true }
                return false
            }
        }
        await #expect { try await client.manifest("app", reference: "v2") } throws: { "\($0)".contains("Docker-Content-Digest") }
        await #expect { try await client.manifest("app", reference: "../../etc") } throws: { "\($0)".contains("neither a tag nor a digest") }
    }

    @Test(arguments: [
        ("http://reg.example/v2/app/blobs/uploads/u1", "leaves https for plain http"),
        ("http://elsewhere.example/upload", "leaves https for plain http"),
        ("ftp://reg.example/x", "not http(s)"),
    ])
    func unsafe_locations_are_refused(_ location: String, _ reason: String) async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fake.respond(to: Self.base + "/v2/app/blobs/uploads/", with: [.status(202, "", headers: ["Location": location])])
        await #expect { try await Self.client(fake).startUploadForTest("app") } throws: { error in
            guard case RegistryError.unsafeLocation = error else { return false }
            return "\(error)".contains(reason)
        }
    }

    @Test func another_https_host_gets_the_upload_but_not_the_credentials() async throws {
        let dir = try TemporaryDirectory("registry-cdn")
        let content = Data("blob".utf8)
        try content.write(to: dir.path("blob"))
        let descriptor = Descriptor(mediaType: MediaType.ociLayerGzip, digest: .sha256(of: content), size: 4)
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": #"Basic realm="r""#])])
        fake.respond(to: Self.base + "/v2/app/blobs/\(descriptor.digest)", with: [.status(404)])
        fake.respond(to: Self.base + "/v2/app/blobs/uploads/", with: [.status(202, "", headers: ["Location": "https://cdn.example/up?sig=abc"])])
        fake.respond(to: "https://cdn.example/up?sig=abc&digest=\(descriptor.digest)", with: [.status(201)])
        let client = Self.client(fake, credentials: RegistryCredentials(username: "u", secret: "p", source: "--username"))
        #expect(try await client.pushBlob("app", descriptor, file: dir("blob")) == .uploaded)
        let put = try #require(fake.received.last)
        #expect(put.url.hasPrefix("https://cdn.example/") && put.headers["Authorization"] == nil)
        #expect(fake.received.first { $0.method == .post }?.headers["Authorization"] != nil)
    }

    @Test func referrers_api_then_tag_schema_fallback() async throws {
        let subject = Digest.sha256(of: Data("image".utf8))
        let sbom = Descriptor(
            mediaType: MediaType.ociManifest, digest: .sha256(of: Data("sbom".utf8)), size: 4, artifactType: "application/spdx+json")
        let sig = Descriptor(mediaType: MediaType.ociManifest, digest: .sha256(of: Data("sig".utf8)), size: 3, artifactType: "application/vnd.sig")
        let index = try CanonicalJSON.encode(ImageIndex(manifests: [sbom, sig]))
        let api = FakeHTTPClient()
        api.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        api.respond(to: Self.base + "/v2/app/referrers/\(subject)", with: [.ok(index, headers: ["Content-Type": MediaType.ociIndex])])
        #expect(try await Self.client(api).referrers("app", subject: subject).manifests == [sbom, sig])
        let fallback = FakeHTTPClient()
        fallback.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        fallback.respond(to: Self.base + "/v2/app/referrers/\(subject)?artifactType=application/spdx+json", with: [.status(404)])
        fallback.respond(to: Self.base + "/v2/app/manifests/sha256-\(subject.encoded)", with: [.ok(index, headers: ["Content-Type": MediaType.ociIndex])])
        #expect(try await Self.client(fallback).referrers("app", subject: subject, artifactType: "application/spdx+json").manifests == [sbom])
        let none = FakeHTTPClient()
        none.respond(to: Self.base + "/v2/", with: [.ok(Data())])
        #expect(try await Self.client(none).referrers("app", subject: subject).manifests.isEmpty)
    }

    @Test func insecure_hosts_use_plain_http_others_https() {
        let options = RegistryOptions(insecureHosts: ["127.0.0.1", "LOCALHOST:5000"])
        #expect(RegistryClient(registry: "127.0.0.1:5000", options: options, http: FakeHTTPClient()).baseURL == "http://127.0.0.1:5000")
        #expect(RegistryClient(registry: "localhost:5000", options: options, http: FakeHTTPClient()).baseURL == "http://localhost:5000")
        #expect(RegistryClient(registry: "localhost:5001", options: options, http: FakeHTTPClient()).baseURL == "https://localhost:5001")
        #expect(RegistryClient(registry: "docker.io", options: options, http: FakeHTTPClient()).baseURL == "https://registry-1.docker.io")
    }
    @Test func requests_sent_at_once_share_one_ping() async throws {
        let fake = FakeHTTPClient()
        fake.respond(to: Self.base + "/v2/", with: [.status(401, "", headers: ["WWW-Authenticate": "Basic realm=\"reg\""])])
        let digests = (0..<8).map { Digest.sha256(of: Data("blob \($0)".utf8)) }
        for digest in digests { fake.respond(to: Self.base + "/v2/app/blobs/\(digest)", with: [.status(404)]) }
        let client = Self.client(fake, credentials: RegistryCredentials(username: "alice", secret: "pw", source: "--username"))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for digest in digests { group.addTask { try await client.blobExists("app", Descriptor(mediaType: "x", digest: digest, size: 1), push: true) } }
            for try await exists in group { #expect(!exists) }
        }
        #expect(fake.received.filter { $0.url == Self.base + "/v2/" }.count == 1)
        #expect(fake.received.filter { $0.url.contains("/blobs/") }.allSatisfy { $0.headers["Authorization"]?.hasPrefix("Basic ") == true })
    }

}

extension RegistryClient {
    /// Opens an upload session (what a push does first) through the public API: an upload of an empty file.
    func startUploadForTest(_ repository: String) async throws {
        let dir = try TemporaryDirectory("registry-empty")
        FileManager.default.createFile(atPath: dir("empty"), contents: Data())
        try await upload(repository, Descriptor(mediaType: "x", digest: .sha256(of: Data()), size: 0), file: dir("empty"))
    }

}
