import Archive
import Foundation
import SystemSupport
import ImageFormat

/// Reads a `docker save` tarball (legacy layout with `<id>/layer.tar`, or Docker 25's OCI-style one).
public final class DockerArchiveSource: ImageSource {
    public let reference: ImageReference
    private let scratch: PrivateDirectory
    private let files: [Digest: String]
    private let manifestData: Data
    private let manifestDescriptor: Descriptor

    /// Opens the archive at `path`; `tag` (`name:tag`) picks one of several images.
    public init(path: String, tag: String?) throws {
        let reference = ImageReference.dockerArchive(path: path, tag: tag)
        self.reference = reference
        let image = reference.description
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageTransportError.notFound(image: image, what: "file \(path)")
        }
        let scratch = try PrivateDirectory(prefix: "distill-docker-archive")
        self.scratch = scratch
        let unpacked = scratch.path
        let aliases: [String: String]
        do {
            aliases = try OuterArchive.unpack(path, into: unpacked, image: image)
        } catch let error as ArchiveError {
            throw ImageTransportError.archive(image: image, underlying: error)
        }
        // docker save's links (a member, or a folder of them) are aliases to other members: walk names through them.
        func resolve(_ name: String) throws -> String {
            let normalized = try ArchivePath.normalize(name, archive: path, allowAbsolute: false) ?? name
            let outcome: RootedPath.Outcome<Void>
            do {
                outcome = try RootedPath.walk(
                    normalized.split(separator: "/").map(String.init), from: (), followLast: true, escape: .refuse, maximumLinks: 16
                ) { _, _, member in aliases[member.joined(separator: "/")].map { .symlink("/" + $0) } ?? .directory(()) }
            } catch {
                throw ImageTransportError.notAnImage(image: image, reason: "\(name): \(error)")
            }
            guard case .directory(_, let parts) = outcome else { throw ImageTransportError.notFound(image: image, what: "member \(name)") }
            let full = unpacked + "/" + parts.joined(separator: "/")
            guard !parts.isEmpty, FileManager.default.fileExists(atPath: full) else {
                throw ImageTransportError.notFound(image: image, what: "member \(name)")
            }
            return full
        }
        guard let manifestJSON = FileManager.default.contents(atPath: unpacked + "/manifest.json") else {
            throw ImageTransportError.notAnImage(image: image, reason: "it has no manifest.json, so it is not a docker-archive")
        }
        let entries: [DockerArchiveManifestEntry]
        do {
            entries = try CanonicalJSON.decode([DockerArchiveManifestEntry].self, from: manifestJSON, what: "manifest.json")
        } catch {
            throw ImageTransportError.corrupt(image: image, underlying: error)
        }
        let entry: DockerArchiveManifestEntry
        if let tag {
            let tags = entries.flatMap { $0.repoTags ?? [] }
            guard let match = entries.first(where: { ($0.repoTags ?? []).contains { $0 == tag || $0.hasSuffix("/" + tag) } }) else {
                throw ImageTransportError.tagNotFound(image: image, tag: tag, available: tags)
            }
            entry = match
        } else if entries.count == 1 {
            entry = entries[0]
        } else {
            throw ImageTransportError.ambiguous(
                image: image, reason: "it holds \(entries.count) images; name one as docker-archive:FILE:NAME:TAG")
        }
        let configPath = try resolve(entry.config)
        let configData = try FileSource(path: configPath).readAll(what: configPath)
        let configDescriptor = Descriptor(
            mediaType: MediaType.ociConfig, digest: .sha256(of: configData), size: Int64(configData.count))
        var files = [configDescriptor.digest: configPath]
        var layers: [Descriptor] = []
        for layer in entry.layers {
            let file = try resolve(layer)
            let descriptor = try Self.describeLayer(file, named: layer)
            files[descriptor.digest] = file
            layers.append(descriptor)
        }
        let manifest = ImageManifest(config: configDescriptor, layers: layers)
        self.files = files
        manifestData = try CanonicalJSON.encode(manifest)
        manifestDescriptor = Descriptor(
            mediaType: MediaType.ociManifest, digest: .sha256(of: manifestData), size: Int64(manifestData.count))
    }

    /// The layer's digest (from its `blobs/sha256/<hex>` name when it has one, checked on read) and compression.
    private static func describeLayer(_ file: String, named name: String) throws -> Descriptor {
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
        let digest: Digest
        if name.hasPrefix("blobs/sha256/"), let d = try? Digest(sha256Hex: String(name.dropFirst(13))) {
            digest = d
        } else {
            digest = try Digest.sha256(ofFile: file)
        }
        let magic = try Self.magic(file)
        let mediaType: String
        if magic.starts(with: [0x1f, 0x8b]) {
            mediaType = MediaType.ociLayerGzip
        } else if magic.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) {
            mediaType = MediaType.ociLayerZstd
        } else {
            mediaType = MediaType.ociLayer
        }
        return Descriptor(mediaType: mediaType, digest: digest, size: size)
    }

    private static func magic(_ file: String) throws -> [UInt8] {
        let source = try FileSource(path: file)
        var bytes = [UInt8](repeating: 0, count: 4)
        let n = try bytes.withUnsafeMutableBytes { try source.read(into: $0) }
        return Array(bytes.prefix(n))
    }

    public func rootDescriptor() async throws -> Descriptor { manifestDescriptor }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
        if digest == manifestDescriptor.digest { return DataSource(manifestData) }
        guard let file = files[digest] else { throw ImageTransportError.blobMissing(image: reference.description, digest: digest) }
        return try FileSource(path: file)
    }

    public func close() { try? scratch.remove() }
}
