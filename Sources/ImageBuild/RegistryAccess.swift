import ImageTransport
import Registry

/// The registry clients the build reaches registries through: the installed transport's, so the command's flags
/// (insecure hosts, CA certificates, credentials) apply to SBOM attachments and the layer cache as to pushes.
enum RegistryAccess {
    /// The client the installed registry transport uses for `image`.
    static func client(for image: RegistryReference) throws -> RegistryClient {
        guard let destination = try ImageReference.registry(image).openDestination() as? RegistryDestination else {
            throw BuildError.noRegistryTransport(image.description)
        }
        return destination.client
    }
}
