import Archive
import Foundation
import ImageFormat

/// Paths and index handling shared by everything that reads or writes an OCI image layout.
enum OCILayout {
    static func blobPath(_ root: String, _ digest: Digest) -> String {
        "\(root)/blobs/\(digest.algorithm)/\(digest.encoded)"
    }

    /// Reads and validates `oci-layout` and `index.json` under `root`.
    static func readIndex(_ root: String, image: String) throws(ImageTransportError) -> ImageIndex {
        let fm = FileManager.default
        guard let marker = fm.contents(atPath: root + "/oci-layout") else {
            throw .notAnImage(image: image, reason: "\(root)/oci-layout is missing, so this is not an OCI image layout")
        }
        do {
            let m = try CanonicalJSON.decode(OCILayoutMarker.self, from: marker, what: "\(root)/oci-layout")
            if !m.imageLayoutVersion.hasPrefix("1.") {
                throw ImageTransportError.notAnImage(image: image, reason: "unsupported imageLayoutVersion \(m.imageLayoutVersion)")
            }
            guard let data = fm.contents(atPath: root + "/index.json") else {
                throw ImageTransportError.notFound(image: image, what: "\(root)/index.json")
            }
            return try CanonicalJSON.decode(ImageIndex.self, from: data, what: "\(root)/index.json")
        } catch let error as ImageTransportError {
            throw error
        } catch let error as ImageFormatError {
            throw .corrupt(image: image, underlying: error)
        } catch {
            throw .notAnImage(image: image, reason: "\(error)")
        }
    }

    /// The index entry for `tag` (by ref name), or the only entry when no tag is given.
    static func select(_ index: ImageIndex, tag: String?, image: String) throws(ImageTransportError) -> Descriptor {
        let tags = index.manifests.compactMap { $0.annotations?[AnnotationKey.refName] }
        if let tag {
            guard let entry = index.manifests.first(where: { $0.annotations?[AnnotationKey.refName] == tag }) else {
                throw .tagNotFound(image: image, tag: tag, available: tags)
            }
            return entry
        }
        switch index.manifests.count {
        case 0: throw .notAnImage(image: image, reason: "index.json lists no images")
        case 1: return index.manifests[0]
        default:
            throw .ambiguous(image: image, reason: "it holds \(index.manifests.count) images; name one with :TAG (tags: \(tags.joined(separator: ", ")))")
        }
    }

    /// `index` with `root` entered under `tag`, replacing any entry that had the same tag.
    static func adding(_ root: Descriptor, tag: String?, to index: ImageIndex) -> ImageIndex {
        var entry = root
        entry.annotations = nil
        if let tag { entry.annotations = [AnnotationKey.refName: tag] }
        var result = index
        result.mediaType = MediaType.ociIndex
        result.manifests.removeAll { $0.annotations?[AnnotationKey.refName] == tag }
        result.manifests.append(entry)
        return result
    }
}

/// Reads an OCI image layout directory.
public final class OCILayoutSource: ImageSource {
    public let reference: ImageReference
    let root: String
    private let tag: String?

    /// Opens the layout at `path`, selecting `tag`.
    public init(path: String, tag: String?, reference: ImageReference? = nil) throws(ImageTransportError) {
        self.reference = reference ?? .oci(path: path, tag: tag)
        self.root = path
        self.tag = tag
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
            throw .notFound(image: self.reference.description, what: "directory \(path)")
        }
    }

    public func rootDescriptor() throws -> Descriptor {
        let index = try OCILayout.readIndex(root, image: reference.description)
        return try OCILayout.select(index, tag: tag, image: reference.description)
    }

    public func openBlob(_ digest: Digest) throws -> ByteSource {
        let path = OCILayout.blobPath(root, digest)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageTransportError.blobMissing(image: reference.description, digest: digest)
        }
        return try FileSource(path: path)
    }
}

/// Writes an OCI image layout directory; a new layout appears whole at commit, an existing one gains the tag.
public final class OCILayoutDestination: ImageDestination {
    public let reference: ImageReference
    public var supportsIndex: Bool { true }
    private let path: String
    private let tag: String?
    /// Where blobs go: the layout itself when it already exists, else a staging directory renamed at commit.
    let stagingRoot: String
    private let inPlace: Bool

    /// Prepares to write `tag` into the layout at `path`.
    public init(path: String, tag: String?, reference: ImageReference? = nil) throws(ImageTransportError) {
        self.reference = reference ?? .oci(path: path, tag: tag)
        self.path = path
        self.tag = tag
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let image = self.reference.description
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            let empty = isDir.boolValue && ((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
            if !isDir.boolValue || (!empty && !fm.fileExists(atPath: path + "/oci-layout")) {
                throw .destinationExists(image: image, reason: "\(path) exists and is not an OCI image layout; remove it or choose another path")
            }
            inPlace = !empty
        } else {
            inPlace = false
        }
        stagingRoot = inPlace ? path : AtomicWrite.temporaryPath(beside: path)
        do {
            try fm.createDirectory(atPath: stagingRoot + "/blobs/sha256", withIntermediateDirectories: true)
        } catch {
            throw .io(image: image, reason: "cannot create \(stagingRoot): \(error.localizedDescription)")
        }
    }

    public func hasBlob(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: OCILayout.blobPath(stagingRoot, digest))
    }

    public func putBlob(_ descriptor: Descriptor, from source: ByteSource) throws {
        let final = OCILayout.blobPath(stagingRoot, descriptor.digest)
        try ensureDirectory(of: final)
        try AtomicWrite.produce(final) { temp in
            let sink = try FileSink(path: temp)
            let verifying = VerifyingSource(inner: source, expected: descriptor, what: "\(reference): blob \(descriptor.digest)")
            try verifying.copy(to: sink)
            try sink.finish()
        }
    }

    public func putBlob(_ descriptor: Descriptor, file: String) throws {
        let final = OCILayout.blobPath(stagingRoot, descriptor.digest)
        try ensureDirectory(of: final)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? -1
        if size != descriptor.size {
            throw ImageTransportError.corrupt(
                image: reference.description, underlying: .sizeMismatch(what: file, expected: descriptor.size, actual: size))
        }
        if rename(file, final) != 0 {
            // Another filesystem: stream a copy, verified.
            try putBlob(descriptor, from: try FileSource(path: file))
            unlink(file)
        }
    }

    private func ensureDirectory(of file: String) throws {
        try FileManager.default.createDirectory(
            atPath: FilePaths.directory(of: file), withIntermediateDirectories: true)
    }

    public func commit(root: Descriptor) throws {
        let image = reference.description
        var index = ImageIndex(manifests: [])
        if inPlace { index = try OCILayout.readIndex(stagingRoot, image: image) }
        index = OCILayout.adding(root, tag: tag, to: index)
        try AtomicWrite.write(try CanonicalJSON.encode(OCILayoutMarker()), to: stagingRoot + "/oci-layout")
        try AtomicWrite.write(try CanonicalJSON.encode(index), to: stagingRoot + "/index.json")
        if !inPlace {
            if Glibc.rename(stagingRoot, path) != 0 {
                let reason = String(cString: strerror(errno))
                abort()
                throw ImageTransportError.io(image: image, reason: "cannot move the new layout into place at \(path): \(reason)")
            }
        }
    }

    public func abort() {
        if !inPlace { try? FileManager.default.removeItem(atPath: stagingRoot) }
    }
}
