import Archive
import Foundation
import ImageFormat
import ImageTransport
import Synchronization
import SystemSupport

/// Writes an image to a registry. Configs and layers are uploaded as they come (HEAD first, then a mount when the
/// source is another repository of the same registry, then an upload); manifests and the index are held until
/// ``commit(root:)``, which pushes the per-platform manifests by digest and then the root under the tag. Until
/// then the tag still names what it named before: an aborted push leaves only unreferenced blobs, which the
/// registry's garbage collection removes.
public final class RegistryDestination: FileSendingDestination {
    public let reference: ImageReference
    /// The parsed reference.
    public let image: RegistryReference
    public var supportsIndex: Bool { true }
    /// The client it talks through (shared with every reference to the same registry).
    public let client: RegistryClient
    private struct State {
        /// Manifests and indexes to push at commit, in the order they came.
        var manifests: [(Descriptor, Data)] = []
        /// Blobs known to be in the repository (checked or pushed by this write).
        var present: Set<Digest> = []
        /// Upload sessions a refused mount opened, used by the blob's upload.
        var sessions: [Digest: RegistryLocation] = [:]
        /// Other repositories of this registry remembered to hold a blob, read once per blob.
        var remembered: [Digest: [String]] = [:]
        var scratch: PrivateDirectory?
    }
    private let state = Mutex(State())

    /// A destination for `image` through `client` (a client for `image.registry`); nothing is sent until asked.
    public init(_ image: RegistryReference, client: RegistryClient) {
        self.image = image
        self.client = client
        reference = .registry(image)
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        if state.withLock({ $0.present.contains(digest) || $0.manifests.contains { $0.0.digest == digest } }) { return true }
        // A blob remembered in another repository of this registry goes straight to ``mountBlob(_:from:)``: a mount
        // succeeds whether or not this repository has the blob already, so the HEAD would be a wasted round trip.
        if !rememberedRepositories(digest).isEmpty { return false }
        guard try await client.blobSize(image.repository, digest, push: true) != nil else { return false }
        stored(digest)
        return true
    }

    /// Mounts from the source's repository when it is another repository of this registry, else from repositories
    /// this registry is remembered to hold the blob in (``RegistryOptions/blobLocations``). A refused mount opens an
    /// upload session, which the blob's upload then uses.
    public func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool {
        var candidates: [String] = []
        if let source = source as? RegistrySource, source.image.registry == image.registry, source.image.repository != image.repository {
            candidates.append(source.image.repository)
        }
        for known in rememberedRepositories(descriptor.digest) where !candidates.contains(known) && candidates.count < 3 {
            candidates.append(known)
        }
        for candidate in candidates {
            switch try await client.mount(image.repository, descriptor, from: candidate) {
            case .mounted:
                stored(descriptor.digest)
                return true
            case .session(let location):
                state.withLock { $0.sessions[descriptor.digest] = location }
            }
        }
        return false
    }

    public func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        let what = "\(reference): blob \(descriptor.digest)"
        if Self.isManifest(descriptor) {
            let sink = DataSink()
            let verifying = VerifyingSink(inner: sink, expected: descriptor, what: what)
            try await write(verifying)
            try verifying.verify()
            state.withLock { $0.manifests.append((descriptor, sink.data)) }
            return
        }
        // The upload body is a file (a retry or a chunk re-reads it): the bytes are spooled, verified, then sent.
        let path = try scratchDirectory().path + "/" + descriptor.digest.encoded + "-" + UUID().uuidString
        defer { unlink(path) }
        let verifying = VerifyingSink(inner: try FileSink(path: path, durable: false), expected: descriptor, what: what)
        try await write(verifying)
        try verifying.verify()
        try verifying.finish()
        try await client.upload(image.repository, descriptor, file: path, session: openedSession(descriptor.digest))
        stored(descriptor.digest)
    }

    /// Uploads the file unless the repository has the blob; the file is left where it is (nothing local to move it to).
    public func putBlob(_ descriptor: Descriptor, file path: String) async throws {
        if Self.isManifest(descriptor) {
            try await putBlob(descriptor, from: try FileSource(path: path))
            return
        }
        _ = try await client.pushBlob(image.repository, descriptor, file: path)
        stored(descriptor.digest)
    }

    /// Uploads straight from `path` (an OCI layout's blob): no spooled copy; the registry checks the digest.
    public func putBlob(_ descriptor: Descriptor, sendingFile path: String) async throws {
        if Self.isManifest(descriptor) {
            try await putBlob(descriptor, from: try FileSource(path: path))
            return
        }
        try await client.upload(image.repository, descriptor, file: path, session: openedSession(descriptor.digest))
        stored(descriptor.digest)
    }

    public func commit(root: Descriptor) async throws {
        if let pinned = image.digest, pinned != root.digest {
            throw ImageTransportError.notAnImage(
                image: reference.description, reason: "the reference pins \(pinned) but the image to push is \(root.digest); drop the @digest or push that image")
        }
        let manifests = state.withLock { $0.manifests }
        for (descriptor, data) in manifests where descriptor.digest != root.digest {
            try await client.putManifest(image.repository, reference: descriptor.digest.description, data: data, mediaType: descriptor.mediaType)
        }
        let rootData: Data
        if let held = manifests.first(where: { $0.0.digest == root.digest })?.1 {
            rootData = held
        } else {
            // The repository had the root already (so it was not sent): tag what is there, after checking it.
            rootData = try await client.manifest(image.repository, reference: root.digest.description).data
        }
        // The tag moves last, once everything it names is in place.
        try await client.putManifest(image.repository, reference: image.tag ?? root.digest.description, data: rootData, mediaType: root.mediaType)
        cleanUp()
    }

    public func abort() async { cleanUp() }

    private func cleanUp() {
        let directory = state.withLock { state in defer { state.scratch = nil }; return state.scratch }
        try? directory?.remove()
    }

    /// Notes that the repository holds `digest`, here and in the remembered blob locations.
    private func stored(_ digest: Digest) {
        state.withLock { _ = $0.present.insert(digest) }
        client.options.blobLocations?.record(digest, on: image.registry, repository: image.repository)
    }

    /// Other repositories of this registry that ``RegistryOptions/blobLocations`` says hold `digest` (asked once per blob).
    private func rememberedRepositories(_ digest: Digest) -> [String] {
        guard let locations = client.options.blobLocations else { return [] }
        if let known = state.withLock({ $0.remembered[digest] }) { return known }
        let found = locations.repositories(holding: digest, on: image.registry, excluding: image.repository)
        state.withLock { $0.remembered[digest] = found }
        return found
    }

    /// The upload session a refused mount of `digest` opened, once.
    private func openedSession(_ digest: Digest) -> RegistryLocation? {
        state.withLock { $0.sessions.removeValue(forKey: digest) }
    }

    private static func isManifest(_ descriptor: Descriptor) -> Bool {
        MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType)
    }

    private func scratchDirectory() throws -> PrivateDirectory {
        try state.withLock { state in
            if let current = state.scratch { return current }
            let made = try PrivateDirectory(prefix: "distill-push")
            state.scratch = made
            return made
        }
    }
}
