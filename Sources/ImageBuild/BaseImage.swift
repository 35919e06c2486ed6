import Archive
import Foundation
import ImageFormat
import ImageTransport
import SBOM

/// The image a build goes on (`base: {image: REF}`), read once per architecture from the cache: its layers (kept
/// byte for byte), its final file system (what the layers above are checked against), its configuration, and
/// the packages its dpkg database and other catalogs list.
struct BaseImage: Sendable {
    /// The base's layers, lowest first: descriptors and diff_ids as its manifest and config have them.
    var layers: [LayerBlob]
    /// The cache files holding them (link or copy them; they belong to the cache).
    var files: [String]
    var configuration: ImageConfiguration
    /// Its final file system, as the layers above see it (`from` is `the base image`).
    var index: OSLayerIndex
    /// Every package its catalogers find (Debian from `var/lib/dpkg/status` and `status.d/*`), for the SBOM.
    var catalog: LayerCatalog

    /// Who made what the base has, in messages.
    static let origin = "the base image"

    /// Reads `image`'s layers from the cache in one pass, each verified against its digest.
    static func read(_ image: PulledImage) async throws -> BaseImage {
        let source = image.source()
        let resolved = try await source.image(for: nil)
        let observer = PackageObserver()
        let files: SBOM.ImageFiles
        do {
            files = try await ImageReader.read(source, image: resolved, observers: [observer])
        } catch {
            throw BuildError.image(reference: image.input.text, reason: "its layers cannot be read: \(error)")
        }
        let found = observer.result(in: files.tree)
        var layers: [LayerBlob] = []
        var paths: [String] = []
        for layer in files.layers {
            // Docker's layer media types name the same bytes as OCI's; the image distill writes is OCI throughout.
            guard let compression = MediaType.layerCompression(layer.descriptor.mediaType), layer.descriptor.mediaType != MediaType.dockerForeignLayerGzip
            else {
                throw BuildError.image(
                    reference: image.input.text,
                    reason: "layer \(layer.descriptor.digest) is a \(layer.descriptor.mediaType), which distill cannot build on (it reads tar layers, plain, gzip or zstd)")
            }
            var descriptor = layer.descriptor
            descriptor.mediaType = compression.ociMediaType
            layers.append(LayerBlob(descriptor: descriptor, diffID: layer.diffID, uncompressedSize: layer.uncompressedSize))
            paths.append(try source.path(of: layer.descriptor.digest))
        }
        return BaseImage(
            layers: layers, files: paths, configuration: resolved.configuration, index: Self.index(files.tree),
            catalog: LayerCatalog(distribution: found.distribution, packages: found.packages))
    }

    /// When the base was made (its config's `created`), as a Unix time: a build on it that adds no package dates itself so.
    var createdEpoch: Int64? {
        configuration.created.flatMap(RFC3339.seconds)
    }

    /// The Debian packages the base has installed: name → (version, architecture).
    var debianPackages: [String: (version: String, architecture: String?)] {
        var result: [String: (version: String, architecture: String?)] = [:]
        for package in catalog.packages where package.ecosystem == .debian { result[package.name] = (package.version, package.architecture) }
        return result
    }

    /// The final tree as an index of the kind the OS layer keeps.
    static func index(_ tree: FileTree) -> OSLayerIndex {
        var index = OSLayerIndex(tree: LayerTree(), owners: [:])
        for entry in tree.entries {
            let (kind, target) = OSLayerIndex.Entry.kind(of: entry.kind)
            index.entries[entry.path] = OSLayerIndex.Entry(
                kind: kind, target: target, mode: entry.permissions, uid: entry.uid, gid: entry.gid, from: origin)
        }
        return index
    }
}
