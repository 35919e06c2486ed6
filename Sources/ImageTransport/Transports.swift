import Foundation
import ImageFormat

extension ImageReference {
    /// Opens this reference for reading.
    public func openSource() throws -> any ImageSource {
        switch self {
        case .oci(let path, let tag): return try OCILayoutSource(path: path, tag: tag)
        case .ociArchive(let path, let tag): return try OCIArchiveSource(path: path, tag: tag)
        case .dockerArchive(let path, let tag): return try DockerArchiveSource(path: path, tag: tag)
        case .dir(let path): return try DirImageSource(path: path)
        case .rootfs(let path): return try DirectorySource(path: path)
        case .registry(let reference): return try RegistryTransport.provider(for: self).source(for: reference)
        case .memory:
            throw ImageTransportError.unsupportedTransport(description, reason: "an in-memory image exists only inside the process that made it")
        }
    }

    /// Opens this reference for writing.
    public func openDestination() throws -> any ImageDestination {
        switch self {
        case .oci(let path, let tag): return try OCILayoutDestination(path: path, tag: tag)
        case .ociArchive(let path, let tag): return try LayoutArchiveDestination(.oci, path: path, tag: tag)
        case .dockerArchive(let path, let tag): return try LayoutArchiveDestination(.docker, path: path, tag: tag)
        case .dir(let path): return try DirImageDestination(path: path)
        case .rootfs:
            throw ImageTransportError.unsupportedTransport(
                description, reason: "rootfs: is a plain root filesystem and is read only; write oci:, oci-archive:, docker-archive: or dir:")
        case .registry(let reference): return try RegistryTransport.provider(for: self).destination(for: reference)
        case .memory:
            throw ImageTransportError.unsupportedTransport(description, reason: "an in-memory image exists only inside the process that made it")
        }
    }
}
