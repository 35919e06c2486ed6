import Archive
import Foundation
import ImageFormat
import Synchronization
import SystemSupport

/// skopeo's `dir:` format: a folder holding `manifest.json` (the image's manifest, or its index), a
/// `version` file, and every blob in a file named by its sha256 hex; the per-platform manifests of an
/// index are `<hex>.manifest.json`.
enum DirLayout {
    static let versionFile = "version"
    static let version = "Directory Transport Version: 1.1\n"
    static let manifestFile = "manifest.json"

    static func blobPath(_ root: String, _ digest: Digest) -> String { "\(root)/\(digest.encoded)" }
    static func instanceManifestPath(_ root: String, _ digest: Digest) -> String { "\(root)/\(digest.encoded).manifest.json" }

    /// The media type of a manifest or index that may not name its own (skopeo copies it byte for byte).
    static func mediaType(of data: Data, what: String) throws -> String {
        struct Probe: Decodable {
            struct Config: Decodable { var mediaType: String? }
            var mediaType: String?
            var manifests: [Descriptor]?
            var config: Config?
        }
        let probe = try CanonicalJSON.decode(Probe.self, from: data, what: what)
        if let mediaType = probe.mediaType { return mediaType }
        if probe.manifests != nil { return MediaType.ociIndex }
        return probe.config?.mediaType == MediaType.dockerConfig ? MediaType.dockerManifest : MediaType.ociManifest
    }
}

/// Reads an image in skopeo's `dir:` format.
public final class DirImageSource: ImageSource {
    public let reference: ImageReference
    private let root: String
    private let manifestData: Data
    private let manifestDescriptor: Descriptor

    /// Opens the folder at `path`.
    public init(path: String) throws {
        let reference = ImageReference.dir(path: path)
        self.reference = reference
        root = path
        let image = reference.description
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw ImageTransportError.notFound(image: image, what: "directory \(path)")
        }
        let manifestPath = path + "/" + DirLayout.manifestFile
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw ImageTransportError.notAnImage(
                image: image,
                reason: "\(manifestPath) is missing, so this is not skopeo's dir: format; for a plain root filesystem use rootfs:\(path)")
        }
        if let version = FileManager.default.contents(atPath: path + "/" + DirLayout.versionFile),
            !String(decoding: version, as: UTF8.self).hasPrefix("Directory Transport Version: 1.")
        {
            throw ImageTransportError.notAnImage(
                image: image, reason: "\(path)/version says '\(String(decoding: version.prefix(64), as: UTF8.self))'; distill reads version 1.x")
        }
        manifestData = try FileSource(path: manifestPath).readAll(limit: 16 << 20, what: manifestPath)
        let mediaType: String
        do {
            mediaType = try DirLayout.mediaType(of: manifestData, what: manifestPath)
        } catch let error as ImageFormatError {
            throw ImageTransportError.corrupt(image: image, underlying: error)
        }
        manifestDescriptor = Descriptor(mediaType: mediaType, digest: .sha256(of: manifestData), size: Int64(manifestData.count))
    }

    public func rootDescriptor() async throws -> Descriptor { manifestDescriptor }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
        if digest == manifestDescriptor.digest { return DataSource(manifestData) }
        // Version 1.1 names sha256 blobs by their hex alone; other algorithms are not written by skopeo.
        if digest.algorithm == "sha256" {
            for path in [DirLayout.instanceManifestPath(root, digest), DirLayout.blobPath(root, digest)]
            where FileManager.default.fileExists(atPath: path) {
                return try FileSource(path: path)
            }
        }
        throw ImageTransportError.blobMissing(image: reference.description, digest: digest)
    }
}

/// Writes an image in skopeo's `dir:` format; the folder appears whole at commit, replacing an older one.
public final class DirImageDestination: ImageDestination {
    public let reference: ImageReference
    public var supportsIndex: Bool { true }
    private let path: String
    private let staging: String
    /// Manifests and indexes stored so far: they get manifest file names at commit.
    private let manifests = Mutex<Set<Digest>>([])

    /// Prepares to write the folder at `path`; an existing folder must be empty or hold a `dir:` image.
    public init(path: String) throws {
        reference = .dir(path: path)
        self.path = path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            let empty = isDir.boolValue && ((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
            if !isDir.boolValue || (!empty && !fm.fileExists(atPath: path + "/" + DirLayout.versionFile)) {
                throw ImageTransportError.destinationExists(
                    image: reference.description,
                    reason: "\(path) exists and is not an image in skopeo's dir: format; remove it or choose another path")
            }
        }
        AtomicWrite.removeAbandonedTemporaries(beside: path)
        staging = AtomicWrite.temporaryPath(beside: path)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw ImageTransportError.io(image: reference.description, reason: "cannot create \(staging): \(error.localizedDescription)")
        }
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        digest.algorithm == "sha256" && FileManager.default.fileExists(atPath: DirLayout.blobPath(staging, digest))
    }

    public func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        try await BlobFile.write(descriptor, to: try blobPath(descriptor), image: reference.description, write)
        remember(descriptor)
    }

    public func putBlob(_ descriptor: Descriptor, file: String) async throws {
        let final = try blobPath(descriptor)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? -1
        if size != descriptor.size {
            throw ImageTransportError.corrupt(
                image: reference.description, underlying: .sizeMismatch(what: file, expected: descriptor.size, actual: size))
        }
        if rename(file, final) != 0 {
            try await putBlob(descriptor, from: try FileSource(path: file))
            unlink(file)
        }
        remember(descriptor)
    }

    private func blobPath(_ descriptor: Descriptor) throws -> String {
        guard descriptor.digest.algorithm == "sha256" else {
            throw ImageTransportError.unsupportedTransport(
                reference.description, reason: "skopeo's dir: format names blobs by sha256; \(descriptor.digest) cannot be stored")
        }
        return DirLayout.blobPath(staging, descriptor.digest)
    }

    private func remember(_ descriptor: Descriptor) {
        if MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType) {
            _ = manifests.withLock { $0.insert(descriptor.digest) }
        }
    }

    public func commit(root: Descriptor) async throws {
        let image = reference.description
        func move(_ from: String, _ to: String) throws {
            if Glibc.rename(from, to) != 0 {
                let reason = String(cString: strerror(errno))
                discard()
                throw ImageTransportError.io(image: image, reason: "cannot move \(from) to \(to): \(reason)")
            }
        }
        guard FileManager.default.fileExists(atPath: DirLayout.blobPath(staging, root.digest)) else {
            throw ImageTransportError.blobMissing(image: image, digest: root.digest)
        }
        try move(DirLayout.blobPath(staging, root.digest), staging + "/" + DirLayout.manifestFile)
        for digest in manifests.withLock({ $0 }).sorted() where digest != root.digest {
            try move(DirLayout.blobPath(staging, digest), DirLayout.instanceManifestPath(staging, digest))
        }
        try AtomicWrite.write(Data(DirLayout.version.utf8), to: staging + "/" + DirLayout.versionFile)
        // An older image at the path is moved aside, the new one renamed in, then the old one removed;
        // if the second rename fails the old one is put back.
        guard FileManager.default.fileExists(atPath: path) else { return try move(staging, path) }
        let old = AtomicWrite.temporaryPath(beside: path)
        try move(path, old)
        if Glibc.rename(staging, path) != 0 {
            let reason = String(cString: strerror(errno))
            _ = Glibc.rename(old, path)
            discard()
            throw ImageTransportError.io(image: image, reason: "cannot move the new image into place at \(path): \(reason)")
        }
        try? FileManager.default.removeItem(atPath: old)
    }

    public func abort() async { discard() }

    private func discard() { try? FileManager.default.removeItem(atPath: staging) }
}
