import Foundation
import ImageFormat

/// One single-platform image read from a source: its manifest and configuration.
public struct ResolvedImage: Sendable {
    public var manifestDescriptor: Descriptor
    public var manifest: ImageManifest
    public var configuration: ImageConfiguration
    /// The exact config bytes (hashing them gives the image id).
    public var configData: Data

    /// The image's platform.
    public var platform: Platform { configuration.platform }
}

extension ImageSource {
    /// The top-level object: a single manifest, or an index of per-platform manifests.
    public func root() async throws -> ImageRoot {
        let descriptor = try await rootDescriptor()
        let data = try await readBlob(descriptor)
        return try ImageRoot(descriptor: descriptor, data: data, image: reference.description)
    }

    /// Every single-platform image the source holds (one for a manifest, several for an index).
    public func images() async throws -> [ResolvedImage] {
        switch try await root() {
        case .manifest(let descriptor, let manifest):
            return [try await resolve(descriptor, manifest)]
        case .index(_, let index):
            try index.refuseNested(image: reference.description)
            var images: [ResolvedImage] = []
            for d in index.manifests where MediaType.isManifest(d.mediaType) {
                let data = try await readBlob(d)
                guard case .manifest(_, let m) = try ImageRoot(descriptor: d, data: data, image: reference.description) else {
                    throw ImageTransportError.notAnImage(image: reference.description, reason: "nested indexes are not supported")
                }
                images.append(try await resolve(d, m))
            }
            return images
        }
    }

    /// The image for `platform` (by architecture and variant), or the only one if there is one.
    public func image(for platform: Platform?) async throws -> ResolvedImage {
        let all = try await images()
        if all.isEmpty { throw ImageTransportError.notAnImage(image: reference.description, reason: "its index lists no manifests") }
        guard let platform else {
            if all.count == 1 { return all[0] }
            let host = Platform.host
            if let match = all.first(where: { $0.platform.architecture == host.architecture }) { return match }
            throw ImageTransportError.platformNotFound(
                image: reference.description, wanted: host.description, available: all.map { $0.platform.description })
        }
        let matches = all.filter {
            $0.platform.architecture == platform.architecture && $0.platform.os == platform.os
                && (platform.variant == nil || $0.platform.variant == nil || $0.platform.variant == platform.variant)
        }
        guard let first = matches.first else {
            throw ImageTransportError.platformNotFound(
                image: reference.description, wanted: platform.description, available: all.map { $0.platform.description })
        }
        return first
    }

    private func resolve(_ descriptor: Descriptor, _ manifest: ImageManifest) async throws -> ResolvedImage {
        let configData = try await readBlob(manifest.config)
        let configuration: ImageConfiguration
        do {
            configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: configData, what: "image config \(manifest.config.digest)")
        } catch {
            throw ImageTransportError.corrupt(image: reference.description, underlying: error)
        }
        if configuration.rootfs.diffIDs.count != manifest.layers.count {
            throw ImageTransportError.notAnImage(
                image: reference.description,
                reason: "manifest \(descriptor.digest) lists \(manifest.layers.count) layers but its config lists \(configuration.rootfs.diffIDs.count) diff_ids")
        }
        return ResolvedImage(manifestDescriptor: descriptor, manifest: manifest, configuration: configuration, configData: configData)
    }
}

/// The top-level object of an image: a manifest or an index.
public enum ImageRoot: Sendable {
    case manifest(Descriptor, ImageManifest)
    case index(Descriptor, ImageIndex)

    /// Decodes `data` as the kind `descriptor.mediaType` says (or the JSON's own `mediaType`).
    public init(descriptor: Descriptor, data: Data, image: String) throws(ImageTransportError) {
        struct Probe: Decodable {
            var mediaType: String?
            var manifests: [Descriptor]?
            var layers: [Descriptor]?
        }
        do {
            let probe = try CanonicalJSON.decode(Probe.self, from: data, what: "manifest \(descriptor.digest)")
            let mediaType = probe.mediaType ?? descriptor.mediaType
            if MediaType.isIndex(mediaType) || (probe.manifests != nil && probe.layers == nil) {
                self = .index(descriptor, try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(descriptor.digest)"))
            } else if MediaType.isManifest(mediaType) || probe.layers != nil {
                self = .manifest(descriptor, try CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest \(descriptor.digest)"))
            } else {
                throw ImageTransportError.notAnImage(image: image, reason: "\(descriptor.digest) has unsupported media type '\(mediaType)'")
            }
        } catch let error as ImageFormatError {
            throw .corrupt(image: image, underlying: error)
        } catch let error as ImageTransportError {
            throw error
        } catch {
            throw .notAnImage(image: image, reason: "\(error)")
        }
    }

    /// The root's descriptor.
    public var descriptor: Descriptor {
        switch self {
        case .manifest(let d, _), .index(let d, _): return d
        }
    }
}

extension ImageIndex {
    /// Throws when the index lists another index: nested indexes are not supported, and skipping the inner one
    /// would leave a copy whose index names a blob it does not hold (and a chain of them has no end to follow).
    func refuseNested(image: String) throws(ImageTransportError) {
        if let nested = manifests.first(where: { MediaType.isIndex($0.mediaType) }) {
            throw .notAnImage(image: image, reason: "its index lists another index (\(nested.digest)); nested indexes are not supported")
        }
    }
}
