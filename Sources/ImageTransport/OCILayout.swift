import Archive
import Foundation
import ImageFormat
import Synchronization
import SystemSupport

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

    /// The index entry for `tag` (by ref name), or the only image when no tag is given.
    static func select(_ index: ImageIndex, tag: String?, image: String) throws(ImageTransportError) -> Descriptor {
        let tags = index.manifests.compactMap { $0.annotations?[AnnotationKey.refName] }
        if let tag {
            guard let entry = index.manifests.first(where: { $0.annotations?[AnnotationKey.refName] == tag }) else {
                throw .tagNotFound(image: image, tag: tag, available: tags)
            }
            return entry
        }
        guard let first = index.manifests.first else { throw .notAnImage(image: image, reason: "index.json lists no images") }
        // Several entries for one image (tags of the same digest) are still one image.
        if index.manifests.allSatisfy({ $0.digest == first.digest }) { return first }
        throw .ambiguous(
            image: image, reason: "it holds \(index.manifests.count) images; name one with :TAG (tags: \(tags.joined(separator: ", ")))")
    }

    /// `index` with `root` entered under `tag`. A tag written again replaces its entry where it stands (and
    /// drops untagged copies of the same image); an untagged image replaces an untagged one, is already
    /// there if any entry has its digest, and is never added beside tagged images.
    static func adding(_ root: Descriptor, tag: String?, to index: ImageIndex, image: String) throws(ImageTransportError) -> ImageIndex {
        var entry = root
        entry.annotations = tag.map { [AnnotationKey.refName: $0] }
        var result = index
        result.mediaType = MediaType.ociIndex
        func refName(_ d: Descriptor) -> String? { d.annotations?[AnnotationKey.refName] }
        guard let tag else {
            if result.manifests.contains(where: { $0.digest == root.digest }) { return result }
            let tags = result.manifests.compactMap(refName)
            if !tags.isEmpty {
                throw .ambiguous(
                    image: image,
                    reason: "the layout holds tagged images (\(tags.joined(separator: ", "))) and an untagged one is not added beside them; write to \(image):TAG (e.g. :latest to replace that tag)")
            }
            result.manifests = [entry]
            return result
        }
        var placed = false
        var manifests: [Descriptor] = []
        for existing in result.manifests {
            if refName(existing) == nil && existing.digest == root.digest { continue }
            if refName(existing) == tag {
                if !placed { manifests.append(entry) }
                placed = true
                continue
            }
            manifests.append(existing)
        }
        if !placed { manifests.append(entry) }
        result.manifests = manifests
        return result
    }
}

/// Reads an OCI image layout directory.
public final class OCILayoutSource: ImageSource {
    public let reference: ImageReference
    let root: String
    private let tag: String?
    /// Whether every blob file here was verified when it was written (a build's own staging layout), so a
    /// local layout destination may hard-link it without hashing it again.
    let blobsVerified: Bool

    /// Opens the layout at `path`, selecting `tag`. `blobsVerified` only for a layout this process wrote,
    /// checking each blob as it went in, and that nothing else writes to.
    public init(path: String, tag: String?, reference: ImageReference? = nil, blobsVerified: Bool = false) throws(ImageTransportError) {
        self.reference = reference ?? .oci(path: path, tag: tag)
        self.root = path
        self.blobsVerified = blobsVerified
        self.tag = tag
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
            throw .notFound(image: self.reference.description, what: "directory \(path)")
        }
    }

    public func rootDescriptor() async throws -> Descriptor {
        let index = try OCILayout.readIndex(root, image: reference.description)
        return try OCILayout.select(index, tag: tag, image: reference.description)
    }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
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
    /// Blobs this write added to an existing layout, removed again if it is aborted.
    private let added = Mutex<[String]>([])

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
        if !inPlace { AtomicWrite.removeAbandonedTemporaries(beside: path) }
        stagingRoot = inPlace ? path : AtomicWrite.temporaryPath(beside: path)
        do {
            try fm.createDirectory(atPath: stagingRoot + "/blobs/sha256", withIntermediateDirectories: true)
        } catch {
            throw .io(image: image, reason: "cannot create \(stagingRoot): \(error.localizedDescription)")
        }
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        FileManager.default.fileExists(atPath: OCILayout.blobPath(stagingRoot, digest))
    }

    public func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        let final = OCILayout.blobPath(stagingRoot, descriptor.digest)
        try ensureDirectory(of: final)
        rememberIfNew(final)
        try await BlobFile.write(descriptor, to: final, image: reference.description, write)
    }

    public func putBlob(_ descriptor: Descriptor, file: String) async throws {
        let final = OCILayout.blobPath(stagingRoot, descriptor.digest)
        try ensureDirectory(of: final)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? -1
        if size != descriptor.size {
            throw ImageTransportError.corrupt(
                image: reference.description, underlying: .sizeMismatch(what: file, expected: descriptor.size, actual: size))
        }
        rememberIfNew(final)
        if rename(file, final) != 0 {
            // Another filesystem: stream a copy, verified.
            try await putBlob(descriptor, from: try FileSource(path: file))
            unlink(file)
        }
    }

    /// Hard-links a blob of a local layout on the same file system instead of copying it: blobs are named by
    /// their digest and never written in place, so two layouts can share one file. The size is checked, and
    /// the bytes are hashed once unless the source's blobs were verified as they were written (a build's own
    /// staging layout). Another source, another file system, or a blob that does not hash right: false, and
    /// the copier streams it (and reports a bad blob as it always does).
    public func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool {
        guard let layout = source as? OCILayoutSource else { return false }
        let file = OCILayout.blobPath(layout.root, descriptor.digest)
        var info = stat()
        guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) == descriptor.size else { return false }
        if !layout.blobsVerified {
            guard descriptor.digest.algorithm == "sha256", (try? Digest.sha256(ofFile: file)) == descriptor.digest else { return false }
        }
        let final = OCILayout.blobPath(stagingRoot, descriptor.digest)
        try ensureDirectory(of: final)
        let temp = AtomicWrite.temporaryPath(beside: final)
        guard link(file, temp) == 0 else { return false }
        rememberIfNew(final)
        if Glibc.rename(temp, final) != 0 {
            unlink(temp)
            return false
        }
        return true
    }

    /// Notes a blob this write adds to an existing layout, so ``abort()`` can take it out again.
    private func rememberIfNew(_ path: String) {
        if inPlace && !FileManager.default.fileExists(atPath: path) { added.withLock { $0.append(path) } }
    }

    private func ensureDirectory(of file: String) throws {
        try FileManager.default.createDirectory(
            atPath: FilePaths.directory(of: file), withIntermediateDirectories: true)
    }

    public func commit(root: Descriptor) async throws {
        let image = reference.description
        var index = ImageIndex(manifests: [])
        if inPlace { index = try OCILayout.readIndex(stagingRoot, image: image) }
        do {
            index = try OCILayout.adding(root, tag: tag, to: index, image: image)
        } catch {
            discard()
            throw error
        }
        try AtomicWrite.write(try CanonicalJSON.encode(OCILayoutMarker()), to: stagingRoot + "/oci-layout")
        try AtomicWrite.write(try CanonicalJSON.encode(index), to: stagingRoot + "/index.json")
        if !inPlace {
            if Glibc.rename(stagingRoot, path) != 0 {
                let reason = String(cString: strerror(errno))
                discard()
                throw ImageTransportError.io(image: image, reason: "cannot move the new layout into place at \(path): \(reason)")
            }
        }
    }

    public func abort() async { discard() }

    /// Removes what this write added: the staging directory, or the blobs new to an existing layout.
    func discard() {
        if !inPlace { try? FileManager.default.removeItem(atPath: stagingRoot) }
        for path in added.withLock({ paths in defer { paths = [] }; return paths }) { unlink(path) }
    }
}
