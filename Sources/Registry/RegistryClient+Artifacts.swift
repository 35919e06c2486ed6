import Archive
import Foundation
import ImageFormat
import SystemSupport

/// One file of an OCI artifact: its bytes on disk and how the manifest lists them.
public struct ArtifactFile: Sendable, Equatable {
    /// The file to upload (read twice: once to hash it, once to send it).
    public var path: String
    /// The layer's media type (`application/spdx+json`).
    public var mediaType: String
    /// The layer's annotations (`org.opencontainers.image.title`).
    public var annotations: [String: String]?

    /// A file listed with `mediaType`.
    public init(path: String, mediaType: String, annotations: [String: String]? = nil) {
        self.path = path
        self.mediaType = mediaType
        self.annotations = annotations
    }
}

extension RegistryClient {
    /// The empty JSON object OCI 1.1 asks artifacts without a config to name as theirs.
    public static let emptyConfig = Descriptor(mediaType: MediaType.ociEmpty, digest: .sha256(of: Data("{}".utf8)), size: 2, data: "e30=")

    /// Pushes an OCI 1.1 artifact: its files as blobs (HEAD first, so an unchanged one is not sent again), `config`
    /// (a file and its media type; the empty config when nil), then an image manifest with `artifactType`. With a
    /// `subject` the manifest is pushed as a referrer (found through the referrers API or its fallback tag); with a
    /// `tag` it is also tagged. Returns the manifest's descriptor.
    @discardableResult
    public func pushArtifact(
        _ repository: String, artifactType: String, files: [ArtifactFile], config: ArtifactFile? = nil, subject: Descriptor? = nil,
        tag: String? = nil, annotations: [String: String]? = nil
    ) async throws(RegistryError) -> Descriptor {
        var layers: [Descriptor] = []
        for file in files {
            let descriptor = try describe(file, repository: repository)
            _ = try await pushBlob(repository, descriptor, file: file.path)
            layers.append(descriptor)
        }
        let configDescriptor: Descriptor
        if let config {
            configDescriptor = try describe(config, repository: repository)
            _ = try await pushBlob(repository, configDescriptor, file: config.path)
        } else {
            configDescriptor = Self.emptyConfig
            try await pushEmptyConfig(repository)
        }
        let manifest = ImageManifest(
            artifactType: artifactType, config: configDescriptor, layers: layers,
            subject: subject.map { Descriptor(mediaType: $0.mediaType, digest: $0.digest, size: $0.size) }, annotations: annotations)
        let data: Data
        do {
            data = try CanonicalJSON.encode(manifest)
        } catch {
            throw .invalidResponse(registry: registry, repository: repository, reason: "the artifact manifest cannot be encoded: \(error)")
        }
        var descriptor = Descriptor(mediaType: MediaType.ociManifest, digest: .sha256(of: data), size: Int64(data.count), artifactType: artifactType)
        if let subject {
            descriptor = try await pushReferrer(repository, manifest: data, mediaType: MediaType.ociManifest, artifactType: artifactType, subject: subject.digest)
        } else if tag == nil {
            try await putManifest(repository, reference: descriptor.digest.description, data: data, mediaType: MediaType.ociManifest)
        }
        if let tag { try await putManifest(repository, reference: tag, data: data, mediaType: MediaType.ociManifest) }
        return descriptor
    }

    /// The descriptor of a local file, hashed as it streams by; its size and digest are what the upload is checked against.
    private func describe(_ file: ArtifactFile, repository: String) throws(RegistryError) -> Descriptor {
        do {
            let sink = HashingSink(NullSink())
            try FileSource(path: file.path).copy(to: sink)
            return Descriptor(mediaType: file.mediaType, digest: sink.digest, size: sink.count, annotations: file.annotations)
        } catch {
            throw .transfer(registry: registry, repository: repository, underlying: .sinkFailed(url: file.path, reason: "cannot read it: \(error)"))
        }
    }

    /// The two bytes `{}` as a blob, written to a private file only when the repository lacks them.
    private func pushEmptyConfig(_ repository: String) async throws(RegistryError) {
        if try await blobExists(repository, Self.emptyConfig, push: true) { return }
        let scratch: PrivateDirectory
        do {
            scratch = try PrivateDirectory(prefix: "distill-empty")
            try Data("{}".utf8).write(to: URL(fileURLWithPath: scratch.path + "/empty.json"))
        } catch {
            throw .transfer(registry: registry, repository: repository, underlying: .sinkFailed(url: "empty config", reason: "\(error)"))
        }
        defer { try? scratch.remove() }
        try await upload(repository, Self.emptyConfig, file: scratch.path + "/empty.json")
    }
}
