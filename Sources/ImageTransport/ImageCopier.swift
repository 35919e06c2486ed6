import Archive
import Foundation
import ImageFormat

/// Copies an image between any two transports, streaming and verifying every blob, several blobs at once.
public struct ImageCopier: Sendable {
    /// Which platform to keep when the destination holds only one (nil: the host's, or the only one).
    public var platform: Platform?
    /// Told which platform was kept when a multi-platform image goes to a destination that holds one.
    public var notice: @Sendable (String) -> Void
    /// Blobs copied at the same time; a registry on the other end of a slow link gains most from several.
    public var maxConcurrentBlobs: Int
    /// Told when a blob is stored, mounted or found already present at the destination.
    public var progress: @Sendable (BlobCopyEvent) -> Void

    public init(
        platform: Platform? = nil, maxConcurrentBlobs: Int = 4, notice: @escaping @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (BlobCopyEvent) -> Void = { _ in }
    ) {
        self.platform = platform
        self.maxConcurrentBlobs = max(1, maxConcurrentBlobs)
        self.notice = notice
        self.progress = progress
    }

    /// Copies `source`'s image to `destination` and commits it; aborts the destination on failure.
    @discardableResult
    public func copy(from source: any ImageSource, to destination: any ImageDestination) async throws -> Descriptor {
        do {
            let plan = try await plan(source, destination)
            try await copyBlobs(plan.blobs, from: source, to: destination)
            // Manifests after their blobs, the index after its manifests: a registry refuses them otherwise.
            for (descriptor, data) in plan.manifests {
                try await destination.putBlob(descriptor, data: data)
            }
            if let (descriptor, data) = plan.index {
                try await destination.putBlob(descriptor, data: data)
            }
            try await destination.commit(root: plan.root)
            return plan.root
        } catch {
            await destination.abort()
            throw error
        }
    }

    /// What a copy stores: every config and layer once, the manifests and index as read, and the root to commit.
    struct Plan {
        var blobs: [Descriptor] = []
        /// The digests in `blobs` (two platforms often share a layer).
        var planned: Set<Digest> = []
        var manifests: [(Descriptor, Data)] = []
        var index: (Descriptor, Data)?
        var root: Descriptor
    }

    private func plan(_ source: any ImageSource, _ destination: any ImageDestination) async throws -> Plan {
        let image = source.reference.description
        switch try await source.root() {
        case .index(let descriptor, let index) where destination.supportsIndex && platform == nil:
            try index.refuseNested(image: image)
            var plan = Plan(index: (descriptor, try await source.readBlob(descriptor)), root: descriptor)
            for child in index.manifests where MediaType.isManifest(child.mediaType) {
                try await add(child, from: source, to: &plan)
            }
            return plan
        case .index(_, let index):
            let chosen = try await source.image(for: platform)
            var plan = Plan(root: chosen.manifestDescriptor)
            try await add(chosen.manifestDescriptor, from: source, to: &plan)
            let others = index.manifests.filter { MediaType.isManifest($0.mediaType) && $0.digest != chosen.manifestDescriptor.digest }
            if !others.isEmpty && !destination.supportsIndex {
                let left = others.map { $0.platform?.description ?? $0.digest.description }.joined(separator: ", ")
                notice(
                    "\(destination.reference) holds one platform: kept \(chosen.platform), left out \(left)"
                        + (platform == nil ? " (choose another with --arch)" : ""))
            }
            return plan
        case .manifest(let descriptor, _):
            var plan = Plan(root: descriptor)
            try await add(descriptor, from: source, to: &plan)
            return plan
        }
    }

    private func add(_ descriptor: Descriptor, from source: any ImageSource, to plan: inout Plan) async throws {
        let data = try await source.readBlob(descriptor)
        guard case .manifest(_, let manifest) = try ImageRoot(descriptor: descriptor, data: data, image: source.reference.description)
        else { throw ImageTransportError.notAnImage(image: source.reference.description, reason: "\(descriptor.digest) is not a manifest") }
        for blob in [manifest.config] + manifest.layers where plan.planned.insert(blob.digest).inserted {
            plan.blobs.append(blob)
        }
        plan.manifests.append((descriptor, data))
    }

    /// Copies `blobs`, at most ``maxConcurrentBlobs`` at a time, the largest first so the last to finish is small.
    private func copyBlobs(_ blobs: [Descriptor], from source: any ImageSource, to destination: any ImageDestination) async throws {
        var pending = blobs.sorted { $0.size > $1.size }[...]
        let progress = self.progress
        try await withThrowingTaskGroup(of: Void.self) { group in
            func startNext() {
                guard let blob = pending.popFirst() else { return }
                group.addTask { try await Self.copyBlob(blob, from: source, to: destination, progress: progress) }
            }
            for _ in 0..<maxConcurrentBlobs { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }

    private static func copyBlob(
        _ blob: Descriptor, from source: any ImageSource, to destination: any ImageDestination,
        progress: @Sendable (BlobCopyEvent) -> Void
    ) async throws {
        if try await destination.hasBlob(blob.digest) { return progress(.present(blob)) }
        if try await destination.mountBlob(blob, from: source) { return progress(.mounted(blob)) }
        if let files = source as? any LocalBlobFiles, let sender = destination as? any FileSendingDestination, let file = files.localFile(for: blob) {
            try await sender.putBlob(blob, sendingFile: file)
            return progress(.stored(blob))
        }
        try await destination.putBlob(blob) { sink in try await source.copyBlob(blob, into: sink) }
        progress(.stored(blob))
    }
}

/// What happened to one blob during a copy.
public enum BlobCopyEvent: Sendable {
    /// The destination had it already; nothing was sent.
    case present(Descriptor)
    /// The destination took it over from the source without the bytes being sent.
    case mounted(Descriptor)
    /// Its bytes were streamed, verified and stored.
    case stored(Descriptor)
}
