import Archive
import Foundation
import ImageFormat

/// Reads a tar of an OCI image layout by unpacking it to a scratch directory.
public final class OCIArchiveSource: ImageSource {
    public let reference: ImageReference
    private let scratch: ScratchDirectory
    private let layout: OCILayoutSource

    /// Opens the archive at `path`, selecting `tag`.
    public init(path: String, tag: String?) throws {
        let reference = ImageReference.ociArchive(path: path, tag: tag)
        self.reference = reference
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageTransportError.notFound(image: reference.description, what: "file \(path)")
        }
        scratch = try ScratchDirectory(prefix: "distill-oci-archive")
        do {
            _ = try OuterArchive.unpack(path, into: scratch.path, image: reference.description)
        } catch let error as ArchiveError {
            throw ImageTransportError.archive(image: reference.description, underlying: error)
        }
        layout = try OCILayoutSource(path: scratch.path, tag: tag, reference: reference)
    }

    public func rootDescriptor() throws -> Descriptor { try layout.rootDescriptor() }
    public func openBlob(_ digest: Digest) throws -> ByteSource { try layout.openBlob(digest) }
    public func close() { scratch.remove() }
}

/// Writes a tar of an OCI image layout; the file appears whole at commit.
public final class OCIArchiveDestination: ImageDestination {
    public let reference: ImageReference
    public var supportsIndex: Bool { true }
    private let path: String
    private let scratch: ScratchDirectory
    private let layout: OCILayoutDestination

    /// Prepares to write the archive at `path` with the image tagged `tag`.
    public init(path: String, tag: String?) throws {
        reference = .ociArchive(path: path, tag: tag)
        self.path = path
        scratch = try ScratchDirectory(prefix: "distill-oci-archive-out")
        layout = try OCILayoutDestination(path: scratch.path + "/layout", tag: tag, reference: reference)
    }

    public func hasBlob(_ digest: Digest) -> Bool { layout.hasBlob(digest) }
    public func putBlob(_ descriptor: Descriptor, from source: ByteSource) throws { try layout.putBlob(descriptor, from: source) }
    public func putBlob(_ descriptor: Descriptor, file: String) throws { try layout.putBlob(descriptor, file: file) }

    public func commit(root: Descriptor) throws {
        try layout.commit(root: root)
        try OuterArchive.pack(layout: scratch.path + "/layout", to: path)
        scratch.remove()
    }

    public func abort() { scratch.remove() }
}
