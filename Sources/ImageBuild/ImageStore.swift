import Archive
import Debian
import Foundation
import ImageFormat
import ImageTransport

/// Pins the images a build file names (base, copy_from) by manifest digest, and keeps their manifests, configs and
/// layers in the content-addressed cache (`blobs/sha256/<hex>`, verified before they appear), so a build with a
/// lock runs `--offline` from the cache alone.
struct ImageStore: Sendable {
    let cache: ContentCache
    let offline: Bool
    let log: @Sendable (String) -> Void

    init(cacheDirectory: String, offline: Bool, log: @escaping @Sendable (String) -> Void) throws {
        cache = try ContentCache(root: URL(fileURLWithPath: cacheDirectory))
        self.offline = offline
        self.log = log
    }

    /// Resolves `input` for every architecture: the platform manifest of its index (or its only manifest), by digest.
    func pin(_ input: ImageInput, architectures: [String]) async throws -> LockedImage {
        if offline {
            throw BuildError.image(
                reference: input.text, reason: "--offline cannot resolve it: the lock does not pin it yet; build once without --offline")
        }
        let source = try open(input)
        defer { source.close() }
        var manifests: [String: Descriptor] = [:]
        for architecture in architectures {
            let found: Descriptor
            do {
                found = try await platformManifest(source, architecture: architecture)
            } catch let error as ImageTransportError {
                throw BuildError.image(reference: input.text, reason: "\(error)")
            }
            let descriptor = Descriptor(mediaType: found.mediaType, digest: found.digest, size: found.size)
            manifests[architecture] = descriptor
            log("\(architecture): \(input.text) is \(descriptor.digest)")
        }
        return LockedImage(reference: input.text, manifests: manifests)
    }

    /// The manifest for `architecture`: picked by the index's platform fields when it has them (so a registry's other
    /// platforms and attestation manifests are never fetched), else by reading each image's config.
    private func platformManifest(_ source: any ImageSource, architecture: String) async throws -> Descriptor {
        let platform = Platform(debianArchitecture: architecture)
        if case .index(_, let index) = try await source.root() {
            let listed = index.manifests.filter { MediaType.isManifest($0.mediaType) && $0.platform != nil }
            if !listed.isEmpty {
                let match = listed.first {
                    guard let candidate = $0.platform else { return false }
                    return candidate.os == platform.os && candidate.architecture == platform.architecture
                        && (platform.variant == nil || candidate.variant == nil || candidate.variant == platform.variant)
                }
                guard let match else {
                    throw ImageTransportError.platformNotFound(
                        image: source.reference.description, wanted: platform.description, available: listed.compactMap { $0.platform?.description })
                }
                return match
            }
        }
        return try await source.image(for: platform).manifestDescriptor
    }

    /// The pinned image for `architecture`: from the cache, else (online) fetched by digest and stored first.
    func fetch(_ input: ImageInput, locked: LockedImage, architecture: String, lockFile: String) async throws -> PulledImage {
        guard let descriptor = locked.manifests[architecture] else {
            throw BuildError.imageLock(file: lockFile, reference: input.text, reason: "it pins no \(architecture) manifest")
        }
        var source: (any ImageSource)?
        defer { source?.close() }
        func stored(_ blob: Descriptor) async throws -> String {
            let path = try cache.path(sha256: blob.digest.encoded)
            if FileManager.default.fileExists(atPath: path) { return path }
            if offline {
                throw BuildError.image(
                    reference: input.text,
                    reason: "blob \(blob.digest) is not in the cache and --offline forbids fetching it; build once without --offline")
            }
            if source == nil { source = try open(input) }
            let writer = try cache.beginEntry(name: "\(input.text) \(blob.digest)")
            do {
                try await source?.copyBlob(blob, into: writer.sink)
            } catch {
                writer.discard()
                throw BuildError.image(reference: input.text, reason: "cannot fetch \(blob.digest): \(error)")
            }
            return try writer.commit(expectedSHA256: blob.digest.encoded, expectedSize: blob.size)
        }
        let manifestData = try Self.read(try await stored(descriptor), as: descriptor, image: input.text)
        let manifest: ImageManifest
        do {
            manifest = try CanonicalJSON.decode(ImageManifest.self, from: manifestData, what: "manifest \(descriptor.digest)")
        } catch {
            throw BuildError.image(reference: input.text, reason: "manifest \(descriptor.digest) cannot be read: \(error)")
        }
        _ = try Self.read(try await stored(manifest.config), as: manifest.config, image: input.text)
        var fetched = 0
        for layer in manifest.layers {
            if !cache.contains(sha256: layer.digest.encoded) { fetched += 1 }
            _ = try await stored(layer)
        }
        if fetched > 0 { log("\(architecture): fetched \(fetched) of \(manifest.layers.count) layers of \(input.text) into the cache") }
        return PulledImage(input: input, manifestDescriptor: descriptor, cache: cache)
    }

    /// The cached blob at `path`, checked against `descriptor` (a small JSON blob: read whole).
    private static func read(_ path: String, as descriptor: Descriptor, image: String) throws -> Data {
        guard descriptor.size <= 16 << 20, let data = FileManager.default.contents(atPath: path) else {
            throw BuildError.image(reference: image, reason: "\(descriptor.digest) is too large for a manifest or config, or unreadable")
        }
        do {
            try descriptor.verify(data, what: "\(image) \(descriptor.digest)")
        } catch {
            throw BuildError.image(reference: image, reason: "the cached \(descriptor.digest) does not match its digest (\(error)); remove it from the cache")
        }
        return data
    }

    private func open(_ input: ImageInput) throws -> any ImageSource {
        do {
            return try input.reference.openSource()
        } catch {
            throw BuildError.image(reference: input.text, reason: "\(error)")
        }
    }
}

/// A pinned single-platform image whose blobs are all in the content cache.
struct PulledImage: Sendable {
    let input: ImageInput
    let manifestDescriptor: Descriptor
    let cache: ContentCache

    /// A source reading the cached blobs, its root the pinned manifest; every blob is verified as it is read.
    func source() -> CachedImageSource {
        CachedImageSource(reference: input.reference, root: manifestDescriptor, cache: cache)
    }
}

/// An ``ImageSource`` over the content cache: the pinned manifest is its root.
final class CachedImageSource: ImageSource {
    let reference: ImageReference
    private let root: Descriptor
    private let cache: ContentCache

    init(reference: ImageReference, root: Descriptor, cache: ContentCache) {
        self.reference = reference
        self.root = root
        self.cache = cache
    }

    func rootDescriptor() async throws -> Descriptor { root }

    func openBlob(_ digest: Digest) async throws -> any ByteSource {
        let path = try cache.path(sha256: digest.encoded)
        guard FileManager.default.fileExists(atPath: path) else { throw ImageTransportError.blobMissing(image: reference.description, digest: digest) }
        return try FileSource(path: path)
    }

    /// The cache's file for a blob (it must stay there: link or copy it, never move it).
    func path(of digest: Digest) throws -> String { try cache.path(sha256: digest.encoded) }
}
