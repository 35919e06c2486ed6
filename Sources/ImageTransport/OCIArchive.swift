import Archive
import Foundation
import SystemSupport
import ImageFormat

/// Reads a tar of an OCI image layout by unpacking it to a scratch directory.
public final class OCIArchiveSource: ImageSource {
    public let reference: ImageReference
    private let scratch: PrivateDirectory
    private let layout: OCILayoutSource

    /// Opens the archive at `path`, selecting `tag`.
    public init(path: String, tag: String?) throws {
        let reference = ImageReference.ociArchive(path: path, tag: tag)
        self.reference = reference
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageTransportError.notFound(image: reference.description, what: "file \(path)")
        }
        scratch = try PrivateDirectory(prefix: "distill-oci-archive")
        do {
            _ = try OuterArchive.unpack(path, into: scratch.path, image: reference.description)
        } catch let error as ArchiveError {
            throw ImageTransportError.archive(image: reference.description, underlying: error)
        }
        layout = try OCILayoutSource(path: scratch.path, tag: tag, reference: reference)
    }

    public func rootDescriptor() async throws -> Descriptor { try await layout.rootDescriptor() }
    public func openBlob(_ digest: Digest) async throws -> any ByteSource { try await layout.openBlob(digest) }
    public func close() { try? scratch.remove() }
}

/// Writes an image as a tar of a staged OCI layout; the file appears whole at commit.
///
/// Both archive transports are this: an oci-archive is the layout alone, a docker-archive adds the
/// `manifest.json` that `docker load` reads (so it is an OCI layout too, as Docker 25 writes them).
public final class LayoutArchiveDestination: ImageDestination {
    /// What kind of archive is written.
    public enum Kind: Sendable {
        case oci
        case docker
    }

    public let reference: ImageReference
    public var supportsIndex: Bool { kind == .oci }
    private let kind: Kind
    private let path: String
    private let tag: String?
    private let scratch: PrivateDirectory
    private let layout: OCILayoutDestination
    private var staged: String { scratch.path + "/layout" }

    /// Prepares to write the archive at `path`; `tag` names the image (`name:tag` for docker-archive's RepoTags).
    public init(_ kind: Kind, path: String, tag: String?) throws {
        self.kind = kind
        reference = kind == .oci ? .ociArchive(path: path, tag: tag) : .dockerArchive(path: path, tag: tag)
        self.path = path
        self.tag = tag
        scratch = try PrivateDirectory(prefix: "distill-archive-out")
        layout = try OCILayoutDestination(path: scratch.path + "/layout", tag: tag, reference: reference)
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool { try await layout.hasBlob(digest) }
    public func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        try await layout.putBlob(descriptor, writing: write)
    }
    public func putBlob(_ descriptor: Descriptor, file: String) async throws { try await layout.putBlob(descriptor, file: file) }
    public func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool {
        try await layout.mountBlob(descriptor, from: source)
    }

    public func commit(root: Descriptor) async throws {
        if kind == .docker && !MediaType.isManifest(root.mediaType) {
            throw ImageTransportError.unsupportedTransport(
                reference.description, reason: "a docker-archive holds one platform; choose one (e.g. --arch amd64) or write oci:/oci-archive:")
        }
        try await layout.commit(root: root)
        let extra = kind == .docker ? ["manifest.json": try dockerManifest(root)] : [:]
        try OuterArchive.pack(layout: staged, extraFiles: extra, to: path)
        try? scratch.remove()
    }

    public func abort() async { try? scratch.remove() }

    /// docker-archive's `manifest.json`, pointing at the layout's own blobs.
    private func dockerManifest(_ root: Descriptor) throws -> Data {
        let data = try FileSource(path: OCILayout.blobPath(staged, root.digest)).readAll(what: "manifest")
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest \(root.digest)")
        let entry = DockerArchiveManifestEntry(
            config: "blobs/sha256/\(manifest.config.digest.encoded)", repoTags: tag.map { [$0] },
            layers: manifest.layers.map { "blobs/sha256/\($0.digest.encoded)" })
        return try CanonicalJSON.encode([entry])
    }
}
