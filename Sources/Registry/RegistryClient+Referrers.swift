import Archive
import Foundation
import HTTP
import ImageFormat

extension RegistryClient {
    /// The tag the referrers tag schema keeps a subject's referrers under: `<alg>-<hex>`, at most 128 characters.
    public static func referrersTag(for subject: Digest) -> String {
        String("\(subject.algorithm)-\(subject.encoded)".prefix(128))
    }

    /// The manifests that name `subject` as theirs (signatures, SBOMs): the referrers API
    /// (`GET /v2/<repository>/referrers/<digest>`), or, where it answers 404, the index tagged
    /// ``referrersTag(for:)``. Filtered by `artifactType` when given (the registry may have done so already).
    public func referrers(_ repository: String, subject: Digest, artifactType: String? = nil) async throws(RegistryError) -> ImageIndex {
        var target = url(repository, "referrers/\(subject)")
        if let artifactType { target = RegistryLocation.addingQuery(target, "artifactType", artifactType) }
        let sink = DataSink()
        let request = HTTPRequest(.get, target, headers: ["Accept": MediaType.ociIndex])
        let response: HTTPResponse
        do {
            response = try await send(request, scopes: [RegistryScope(repository, push: false)], into: sink, limit: Self.manifestLimit)
        } catch .transfer(_, _, .tooLarge) {
            throw .invalidResponse(registry: registry, repository: repository, reason: "the referrers of \(subject) are more than \(Self.manifestLimit) bytes")
        }
        var index: ImageIndex
        var filtered = false
        switch response.status {
        case 200..<300:
            index = try decodeIndex(sink.data, repository: repository, what: "the referrers of \(subject)")
            filtered = response.headers["OCI-Filters-Applied"]?.contains("artifactType") ?? false
        case 404:
            do {
                let tagged = try await manifest(repository, reference: Self.referrersTag(for: subject))
                index = try decodeIndex(tagged.data, repository: repository, what: "tag \(Self.referrersTag(for: subject))")
            } catch .notFound {
                index = ImageIndex(manifests: [])
            }
        default:
            throw await failure(response, request: "GET referrers of \(subject)", repository: repository, push: false, what: "the referrers of \(subject)")
        }
        if let artifactType, !filtered { index.manifests = index.manifests.filter { $0.artifactType == artifactType } }
        return index
    }

    /// Pushes an artifact manifest whose `subject` is set, so it is found as a referrer: by digest, and, when the
    /// registry does not say it indexed the subject (no `OCI-Subject` in the answer), added to the fallback tag's index.
    @discardableResult
    public func pushReferrer(
        _ repository: String, manifest data: Data, mediaType: String, artifactType: String?, subject: Digest
    ) async throws(RegistryError) -> Descriptor {
        let digest = Digest.sha256(of: data)
        let request = HTTPRequest(.put, url(repository, "manifests/\(digest)"), headers: ["Content-Type": mediaType], body: .data(data))
        let response = try await send(request, scopes: [RegistryScope(repository, push: true)])
        guard response.isSuccess else {
            throw await failure(response, request: "PUT referrer \(digest)", repository: repository, push: true, what: "a blob the manifest \(digest) lists")
        }
        let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count), artifactType: artifactType)
        if response.headers["OCI-Subject"] != nil { return descriptor }
        let tag = Self.referrersTag(for: subject)
        var index: ImageIndex
        do {
            index = try decodeIndex(try await manifest(repository, reference: tag).data, repository: repository, what: "tag \(tag)")
        } catch .notFound {
            index = ImageIndex(manifests: [])
        }
        if index.manifests.contains(where: { $0.digest == digest }) { return descriptor }
        index.manifests.append(descriptor)
        let encoded: Data
        do {
            encoded = try CanonicalJSON.encode(index)
        } catch {
            throw .invalidResponse(registry: registry, repository: repository, reason: "\(error)")
        }
        try await putManifest(repository, reference: tag, data: encoded, mediaType: MediaType.ociIndex)
        return descriptor
    }

    private func decodeIndex(_ data: Data, repository: String, what: String) throws(RegistryError) -> ImageIndex {
        do {
            return try CanonicalJSON.decode(ImageIndex.self, from: data, what: what)
        } catch {
            throw .invalidResponse(registry: registry, repository: repository, reason: "\(error)")
        }
    }
}
