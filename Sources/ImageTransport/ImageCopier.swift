import Archive
import Foundation
import ImageFormat

/// Copies an image between any two transports, streaming and verifying every blob.
public struct ImageCopier {
    /// Which platform to keep when the destination holds only one (nil: the host's, or the only one).
    public var platform: Platform?
    /// Told which platform was kept when a multi-platform image goes to a destination that holds one.
    public var notice: (String) -> Void

    public init(platform: Platform? = nil, notice: @escaping (String) -> Void = { _ in }) {
        self.platform = platform
        self.notice = notice
    }

    /// Copies `source`'s image to `destination` and commits it; aborts the destination on failure.
    @discardableResult
    public func copy(from source: ImageSource, to destination: ImageDestination) throws -> Descriptor {
        do {
            let root = try source.root()
            let committed: Descriptor
            switch root {
            case .index(let descriptor, let index) where destination.supportsIndex && platform == nil:
                try index.refuseNested(image: source.reference.description)
                for child in index.manifests where MediaType.isManifest(child.mediaType) {
                    try copyManifest(child, from: source, to: destination)
                }
                try copyBlob(descriptor, from: source, to: destination)
                committed = descriptor
            case .index(_, let index):
                let image = try source.image(for: platform)
                try copyManifest(image.manifestDescriptor, from: source, to: destination)
                committed = image.manifestDescriptor
                let others = index.manifests.filter { MediaType.isManifest($0.mediaType) && $0.digest != image.manifestDescriptor.digest }
                if !others.isEmpty && !destination.supportsIndex {
                    let left = others.map { $0.platform?.description ?? $0.digest.description }.joined(separator: ", ")
                    notice(
                        "\(destination.reference) holds one platform: kept \(image.platform), left out \(left)"
                            + (platform == nil ? " (choose another with --arch)" : ""))
                }
            case .manifest(let descriptor, _):
                try copyManifest(descriptor, from: source, to: destination)
                committed = descriptor
            }
            try destination.commit(root: committed)
            return committed
        } catch {
            destination.abort()
            throw error
        }
    }

    private func copyManifest(_ descriptor: Descriptor, from source: ImageSource, to destination: ImageDestination) throws {
        let data = try source.readBlob(descriptor)
        guard case .manifest(_, let manifest) = try ImageRoot(descriptor: descriptor, data: data, image: source.reference.description)
        else { throw ImageTransportError.notAnImage(image: source.reference.description, reason: "\(descriptor.digest) is not a manifest") }
        for blob in [manifest.config] + manifest.layers {
            try copyBlob(blob, from: source, to: destination)
        }
        try destination.putBlob(descriptor, data: data)
    }

    private func copyBlob(_ descriptor: Descriptor, from source: ImageSource, to destination: ImageDestination) throws {
        if destination.hasBlob(descriptor.digest) { return }
        try destination.putBlob(descriptor, from: try source.openVerifiedBlob(descriptor))
    }
}
