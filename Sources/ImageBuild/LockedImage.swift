import Foundation
import ImageFormat

/// An image pinned in `distill.lock` (the base image, or one `copy_from:` takes paths out of): the reference as the
/// build file writes it, and per architecture the single-platform manifest it resolved to (picked from an index).
public struct LockedImage: Codable, Equatable, Sendable {
    /// The reference as written in the build file.
    public var reference: String
    /// Debian architecture (`amd64`) → the platform manifest's media type, digest and size.
    public var manifests: [String: Descriptor]

    public init(reference: String, manifests: [String: Descriptor]) {
        self.reference = reference
        self.manifests = manifests
    }

    /// Throws unless every manifest is a manifest (not an index or a layer) and every architecture is one distill builds.
    func validate(file: String) throws(BuildError) {
        for (architecture, descriptor) in manifests {
            guard BuildFile.supportedArchitectures.contains(architecture) else {
                throw .imageLock(file: file, reference: reference, reason: "'\(architecture)' is not an architecture distill builds")
            }
            guard MediaType.isManifest(descriptor.mediaType), descriptor.size > 0 else {
                throw .imageLock(file: file, reference: reference, reason: "\(architecture): \(descriptor.mediaType) \(descriptor.digest) is not an image manifest")
            }
        }
    }
}
