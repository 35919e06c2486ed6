import Archive
import Foundation
import HTTP
import ImageFormat
import ImageTransport

/// A manifest or index as the registry stored it: its exact bytes and their descriptor.
public struct RegistryManifest: Sendable, Equatable {
    /// Media type, digest (of ``data``) and size.
    public var descriptor: Descriptor
    /// The bytes, verified against the digest asked for or announced.
    public var data: Data
}

extension RegistryClient {
    /// Every manifest media type distill reads: OCI and Docker schema 2, single images and indexes.
    public static let manifestMediaTypes = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest]

    /// The largest manifest read (the spec asks registries to accept at least 4 MiB).
    public static let manifestLimit: Int64 = 8 << 20

    /// `GET /v2/<repository>/manifests/<reference>` (a tag or digest), verified: by the digest asked for, else by
    /// `Docker-Content-Digest` when the registry sends one.
    public func manifest(_ repository: String, reference: String) async throws(RegistryError) -> RegistryManifest {
        let asked = try parseReference(reference, repository: repository)
        let sink = DataSink()
        let request = HTTPRequest(
            .get, url(repository, "manifests/\(reference)"), headers: ["Accept": Self.manifestMediaTypes.joined(separator: ", ")])
        let response: HTTPResponse
        do {
            response = try await send(request, scopes: [RegistryScope(repository, push: false)], into: sink, limit: Self.manifestLimit)
        } catch .transfer(_, _, .tooLarge) {
            throw .invalidResponse(registry: registry, repository: repository, reason: "manifest \(reference) is larger than \(Self.manifestLimit) bytes")
        }
        guard response.isSuccess else {
            throw await failure(response, request: "GET manifest \(reference)", repository: repository, push: false, what: "manifest \(reference)")
        }
        let data = sink.data
        let actual = Digest.sha256(of: data)
        let announced = try headerDigest(response, repository: repository)
        let expected = asked ?? announced
        if let expected, expected.algorithm == "sha256", expected != actual {
            throw .digestMismatch(registry: registry, repository: repository, what: "manifest \(reference)", expected: expected, actual: actual)
        }
        if let expected, expected.algorithm != "sha256" {
            throw .unsupportedDigest(registry: registry, repository: repository, digest: expected)
        }
        let mediaType = try Self.mediaType(contentType: response.headers["Content-Type"], data: data, registry: registry, repository: repository)
        return RegistryManifest(descriptor: Descriptor(mediaType: mediaType, digest: actual, size: Int64(data.count)), data: data)
    }

    /// `HEAD /v2/<repository>/manifests/<reference>`: its descriptor, or nil when there is none. Without a
    /// `Docker-Content-Digest` in the answer the manifest is fetched to learn it.
    public func manifestDescriptor(_ repository: String, reference: String) async throws(RegistryError) -> Descriptor? {
        let asked = try parseReference(reference, repository: repository)
        let request = HTTPRequest(
            .head, url(repository, "manifests/\(reference)"), headers: ["Accept": Self.manifestMediaTypes.joined(separator: ", ")])
        let response = try await send(request, scopes: [RegistryScope(repository, push: false)])
        if response.status == 404 { return nil }
        guard response.isSuccess else {
            throw await failure(response, request: "HEAD manifest \(reference)", repository: repository, push: false, what: "manifest \(reference)")
        }
        guard let digest = try headerDigest(response, repository: repository),
            let size = try headerSize(response, "Content-Length", repository: repository),
            let type = response.headers["Content-Type"].map(Self.bareMediaType), Self.manifestMediaTypes.contains(type)
        else {
            return try await manifest(repository, reference: reference).descriptor
        }
        if let asked, asked != digest {
            throw .digestMismatch(registry: registry, repository: repository, what: "manifest \(reference) (HEAD)", expected: asked, actual: digest)
        }
        return Descriptor(mediaType: type, digest: digest, size: size)
    }

    /// `PUT /v2/<repository>/manifests/<reference>` (a tag, or the manifest's digest); returns the digest, checked
    /// against the one the registry announces.
    @discardableResult
    public func putManifest(_ repository: String, reference: String, data: Data, mediaType: String) async throws(RegistryError) -> Digest {
        let asked = try parseReference(reference, repository: repository)
        let digest = Digest.sha256(of: data)
        if let asked, asked != digest {
            throw .digestMismatch(registry: registry, repository: repository, what: "manifest to push as \(reference)", expected: asked, actual: digest)
        }
        let request = HTTPRequest(.put, url(repository, "manifests/\(reference)"), headers: ["Content-Type": mediaType], body: .data(data))
        let response = try await send(request, scopes: [RegistryScope(repository, push: true)])
        guard response.status == 201 || response.status == 200 || response.status == 204 else {
            throw await failure(response, request: "PUT manifest \(reference)", repository: repository, push: true, what: "a blob the manifest \(digest) lists")
        }
        if let announced = try headerDigest(response, repository: repository), announced != digest {
            throw .digestMismatch(registry: registry, repository: repository, what: "pushed manifest \(reference)", expected: digest, actual: announced)
        }
        return digest
    }

    /// A tag or digest, validated before it goes into a URL; the digest when it is one.
    func parseReference(_ reference: String, repository: String) throws(RegistryError) -> Digest? {
        if reference.contains(":") {
            do {
                return try Digest(reference)
            } catch {
                throw .invalidResponse(registry: registry, repository: repository, reason: "'\(reference)' is neither a tag nor a digest")
            }
        }
        guard RegistryReference.isValidTag(reference) else {
            throw .invalidResponse(registry: registry, repository: repository, reason: "'\(reference)' is neither a tag nor a digest")
        }
        return nil
    }

    /// The manifest's media type: the answer's Content-Type when it is a manifest type, else the JSON's own
    /// `mediaType`, else what its shape says (`manifests` → index; a Docker config → Docker manifest; else OCI).
    static func mediaType(contentType: String?, data: Data, registry: String, repository: String) throws(RegistryError) -> String {
        if let type = contentType.map(bareMediaType), manifestMediaTypes.contains(type) { return type }
        struct Probe: Decodable {
            struct Config: Decodable { var mediaType: String? }
            var mediaType: String?
            var manifests: [Descriptor]?
            var config: Config?
        }
        let probe: Probe
        do {
            probe = try CanonicalJSON.decode(Probe.self, from: data, what: "manifest")
        } catch {
            throw .invalidResponse(registry: registry, repository: repository, reason: "\(error)")
        }
        if let type = probe.mediaType { return type }
        if probe.manifests != nil { return MediaType.ociIndex }
        return probe.config?.mediaType == MediaType.dockerConfig ? MediaType.dockerManifest : MediaType.ociManifest
    }

    /// `type/subtype` without parameters, lowercased.
    static func bareMediaType(_ value: String) -> String {
        String(value.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }
}
