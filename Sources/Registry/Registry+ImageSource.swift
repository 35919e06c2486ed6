import Archive
import Foundation
import ImageFormat
import ImageTransport
import Synchronization
import SystemSupport

/// Reads an image from a registry: the manifest (or index) the reference names, then its manifests and blobs by
/// digest. Manifests are kept in memory (small, verified); ``copyBlob(_:into:)`` streams a layer straight into the
/// caller's sink (resuming a broken connection); ``openBlob(_:)`` downloads it into private scratch space first.
public final class RegistrySource: ImageSource {
    public let reference: ImageReference
    /// The parsed reference.
    public let image: RegistryReference
    /// The client it talks through (shared with every reference to the same registry).
    public let client: RegistryClient
    private let scratch: Mutex<PrivateDirectory?> = Mutex(nil)
    private struct State {
        var root: RegistryManifest?
        /// Manifests read so far, by digest.
        var manifests: [Digest: RegistryManifest] = [:]
        /// Every descriptor the manifests read so far list, by digest (sizes and media types for later reads).
        var known: [Digest: Descriptor] = [:]
    }
    private let state = Mutex(State())

    /// A source for `image` through `client` (a client for `image.registry`); nothing is fetched until asked.
    public init(_ image: RegistryReference, client: RegistryClient) {
        self.image = image
        self.client = client
        reference = .registry(image)
    }

    public func rootDescriptor() async throws -> Descriptor {
        if let root = state.withLock({ $0.root }) { return root.descriptor }
        let fetched = try await client.manifest(image.repository, reference: image.reference)
        remember(fetched)
        state.withLock { $0.root = fetched }
        return fetched.descriptor
    }

    public func openBlob(_ digest: Digest) async throws -> any ByteSource {
        if let manifest = try await manifestIfKnown(digest) { return DataSource(manifest.data) }
        let descriptor = try await descriptor(for: digest)
        if MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType) {
            return DataSource(try await manifest(descriptor).data)
        }
        let directory = try scratchDirectory()
        let path = directory.path + "/" + digest.encoded
        if !FileManager.default.fileExists(atPath: path) {
            try await client.downloadBlob(image.repository, descriptor, to: path)
            client.options.blobLocations?.record(digest, on: image.registry, repository: image.repository)
        }
        return try FileSource(path: path)
    }

    public func copyBlob(_ descriptor: Descriptor, into sink: any ByteSink) async throws {
        if MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType) {
            let manifest = try await manifest(descriptor)
            try descriptor.verify(manifest.data, what: "\(reference): manifest \(descriptor.digest)")
            try sink.write(manifest.data)
            return
        }
        try await client.fetchBlob(image.repository, descriptor, into: sink)
        client.options.blobLocations?.record(descriptor.digest, on: image.registry, repository: image.repository)
    }

    public func close() {
        let directory = scratch.withLock { current in defer { current = nil }; return current }
        try? directory?.remove()
    }

    /// A manifest this source has read (the root included), or nil.
    private func manifestIfKnown(_ digest: Digest) async throws -> RegistryManifest? {
        if state.withLock({ $0.root == nil }) { _ = try await rootDescriptor() }
        return state.withLock { $0.manifests[digest] }
    }

    private func manifest(_ descriptor: Descriptor) async throws -> RegistryManifest {
        if let known = state.withLock({ $0.manifests[descriptor.digest] }) { return known }
        let fetched = try await client.manifest(image.repository, reference: descriptor.digest.description)
        remember(fetched)
        return fetched
    }

    /// What the manifests read so far say about `digest`; an unknown one is asked for with HEAD (its size).
    private func descriptor(for digest: Digest) async throws -> Descriptor {
        if let known = state.withLock({ $0.known[digest] }) { return known }
        guard let size = try await client.blobSize(image.repository, digest) else {
            throw ImageTransportError.blobMissing(image: reference.description, digest: digest)
        }
        return Descriptor(mediaType: "application/octet-stream", digest: digest, size: size)
    }

    /// Keeps `manifest` and learns the descriptors it lists.
    private func remember(_ manifest: RegistryManifest) {
        let listed: [Descriptor]
        switch try? ImageRoot(descriptor: manifest.descriptor, data: manifest.data, image: reference.description) {
        case .manifest(_, let m)?: listed = [m.config] + m.layers
        case .index(_, let i)?: listed = i.manifests
        case nil: listed = []
        }
        state.withLock { state in
            state.manifests[manifest.descriptor.digest] = manifest
            for descriptor in listed where state.known[descriptor.digest] == nil { state.known[descriptor.digest] = descriptor }
        }
    }

    private func scratchDirectory() throws -> PrivateDirectory {
        try scratch.withLock { current in
            if let current { return current }
            let made = try PrivateDirectory(prefix: "distill-pull")
            current = made
            return made
        }
    }
}
