import Foundation
import ImageFormat
import ImageTransport
import Registry
import SBOM
import SystemSupport

/// SBOM documents pushed beside an image as OCI 1.1 artifacts whose `subject` is the image's manifest (one per
/// architecture of an index), so `oras discover`, `cosign tree` and distill's own client find them: through the
/// referrers API, or the `sha256-<hex>` tag holding an index on registries without it.
public enum SBOMAttachment {
    /// When `distill push` attaches SBOMs.
    public enum Mode: Sendable, Equatable {
        /// When the image has them beside it (a distill build left `<name>-<arch>.spdx.json` and its record there).
        case whenBuilt
        /// Always: the documents beside the image, else made from the image now.
        case always
        /// Never.
        case never
    }

    /// One architecture's documents: format → file.
    typealias Documents = [SBOMFormat: String]

    /// The artifact type (and layer media type) of a format's document.
    public static func artifactType(_ format: SBOMFormat) -> String {
        switch format {
        case .spdxJSON: return "application/spdx+json"
        case .cycloneDXJSON: return "application/vnd.cyclonedx+json"
        }
    }

    /// After `distill push SOURCE TARGET` wrote `root`: attaches the SBOMs `mode` asks for; returns the artifacts pushed.
    @discardableResult
    public static func attachAfterPush(
        source: ImageReference, target: ImageReference, root: Descriptor, mode: Mode, log: @Sendable (String) -> Void
    ) async throws -> [Descriptor] {
        guard mode != .never, case .registry(let image) = target else { return [] }
        var record = BuildRecord.find(for: source, digest: root.digest)
        // Only a docker-archive's manifest is made anew on the way (its record matches by config): else no record, no SBOMs.
        if record == nil, mode == .whenBuilt, !Self.rewritesManifest(source) { return [] }
        let client = try RegistryAccess.client(for: image)
        let subjects = try await pushedManifests(root, in: image, client: client)
        if record == nil, let config = subjects.first?.config { record = BuildRecord.find(for: source, digest: root.digest, config: config) }
        let scratch = try PrivateDirectory(prefix: "distill-sbom")
        defer { try? scratch.remove() }
        if record == nil && mode != .always { return [] }
        let name = ImageName.of(source)
        return try await attach(subjects, to: image, client: client, log: log) { [record] platform in
            if let record, let found = Self.documents(beside: source, record: record, platform: platform) { return found }
            guard mode == .always else {
                log("\(platform.architecture): no SBOM files beside \(source); push with --sbom to make them now")
                return nil
            }
            let input = try source.openSource()
            defer { input.close() }
            let catalog = try await ImageCatalog.read(input, platform: platform, name: name)
            return try Self.write(catalog, name: "\(name)-\(platform.architecture)", into: scratch.path)
        }
    }

    /// After `build --push`: the build's catalogs as documents, attached to each architecture's manifest at every push target.
    static func attachAfterBuild(
        _ images: [BuildResult.ArchImage], name: String, root: Descriptor, pushes: [ImageReference], log: @Sendable (String) -> Void
    ) async throws {
        guard !pushes.isEmpty else { return }
        let scratch = try PrivateDirectory(prefix: "distill-sbom")
        defer { try? scratch.remove() }
        var files: [String: Documents] = [:]
        for image in images {
            guard let catalog = image.sbom else { continue }
            files[image.architecture] = try write(catalog, name: "\(name)-\(image.architecture)", into: scratch.path)
        }
        for case .registry(let target) in pushes {
            let client = try RegistryAccess.client(for: target)
            let subjects = try await pushedManifests(root, in: target, client: client)
            try await attach(subjects, to: target, client: client, log: log) { platform in
                files.first { Self.matches($0.key, platform) }?.value
            }
        }
    }

    /// One pushed single-platform manifest: what an SBOM artifact names as its subject.
    struct Subject {
        var manifest: Descriptor
        var platform: Platform
        var config: Digest
    }

    /// Pushes one artifact per format and subject; a subject `documents` has nothing for is passed over.
    private static func attach(
        _ subjects: [Subject], to image: RegistryReference, client: RegistryClient, log: @Sendable (String) -> Void,
        documents: (Platform) async throws -> Documents?
    ) async throws -> [Descriptor] {
        var pushed: [Descriptor] = []
        for subject in subjects {
            guard let files = try await documents(subject.platform) else { continue }
            for format in SBOMFormat.allCases {
                guard let file = files[format] else { continue }
                let type = artifactType(format)
                let title = (file as NSString).lastPathComponent
                let artifact = try await client.pushArtifact(
                    image.repository, artifactType: type,
                    files: [ArtifactFile(path: file, mediaType: type, annotations: [AnnotationKey.title: title])],
                    subject: subject.manifest)
                log("\(subject.platform.architecture): \(title) attached to \(subject.manifest.digest.encoded.prefix(12)) as \(artifact.digest)")
                pushed.append(artifact)
            }
        }
        return pushed
    }

    /// The single-platform manifests under `root` as the registry now holds them, with their platforms and configs.
    static func pushedManifests(_ root: Descriptor, in image: RegistryReference, client: RegistryClient) async throws -> [Subject] {
        let repository = image.repository
        let top = try await client.manifest(repository, reference: root.digest.description)
        if MediaType.isIndex(top.descriptor.mediaType) {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: top.data, what: "\(image) index \(root.digest)")
            var subjects: [Subject] = []
            for entry in index.manifests where MediaType.isManifest(entry.mediaType) {
                let manifest = try await client.manifest(repository, reference: entry.digest.description)
                subjects.append(try await subject(manifest, in: image, client: client))
            }
            return subjects
        }
        return [try await subject(top, in: image, client: client)]
    }

    private static func subject(_ pushed: RegistryManifest, in image: RegistryReference, client: RegistryClient) async throws -> Subject {
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: pushed.data, what: "\(image) manifest \(pushed.descriptor.digest)")
        let data = try await client.blobData(image.repository, manifest.config)
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: data, what: "\(image) config \(manifest.config.digest)")
        return Subject(manifest: pushed.descriptor, platform: configuration.platform, config: manifest.config.digest)
    }

    /// Writes both documents of `catalog` as `<name>.spdx.json` and `<name>.cdx.json` into `directory`.
    private static func write(_ catalog: ImageCatalog, name: String, into directory: String) throws -> Documents {
        var documents: Documents = [:]
        for format in SBOMFormat.allCases {
            let path = directory + "/" + name + format.fileSuffix
            try AtomicWrite.write(try format.encode(catalog), to: path)
            documents[format] = path
        }
        return documents
    }

    /// Whether a Debian architecture name (`arm64`) is `platform`'s.
    private static func matches(_ architecture: String, _ platform: Platform) -> Bool {
        let wanted = Platform(debianArchitecture: architecture)
        return wanted.architecture == platform.architecture && (wanted.variant == nil || platform.variant == nil || wanted.variant == platform.variant)
    }

    /// The files `record`'s build wrote beside `source` for `platform` (`<name>-<arch>.spdx.json`, `.cdx.json`), or
    /// nil unless both are there. The record's name and architecture go into a path, so each must be one plain component.
    private static func documents(beside source: ImageReference, record: BuildRecord, platform: Platform) -> Documents? {
        guard let built = record.images.first(where: { matches($0.architecture, platform) }) else { return nil }
        let stem = "\(record.name)-\(built.architecture)"
        guard !stem.contains("/"), !stem.hasPrefix("."), !stem.contains("\0") else { return nil }
        let directory = FilePaths.directory(of: path(of: source) ?? ".")
        var documents: Documents = [:]
        for format in SBOMFormat.allCases {
            let file = directory + "/" + stem + format.fileSuffix
            var info = stat()
            guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            documents[format] = file
        }
        return documents
    }

    /// Whether copying from `reference` writes a manifest of its own (a docker-archive holds none to keep).
    private static func rewritesManifest(_ reference: ImageReference) -> Bool {
        if case .dockerArchive = reference { return true }
        return false
    }

    private static func path(of reference: ImageReference) -> String? {
        switch reference {
        case .oci(let p, _), .ociArchive(let p, _), .dockerArchive(let p, _), .dir(let p): return p
        case .rootfs, .registry, .memory: return nil
        }
    }
}
