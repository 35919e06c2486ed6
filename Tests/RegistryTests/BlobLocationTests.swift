import Foundation
import ImageFormat
import ImageTransport
import Registry
import TestSupport
import TestTraits
import Testing

@Suite struct BlobLocationRecordTests {
    static let digest = Digest.sha256(of: Data("layer".utf8))

    @Test func newestRepositoryComesFirstAndOnlyAFewAreKept() throws {
        let dir = try TemporaryDirectory("blob-locations")
        let locations = BlobLocations(directory: dir("records"))
        #expect(locations.repositories(holding: Self.digest, on: "registry.example").isEmpty)
        for name in ["a", "b", "c", "b", "d", "e"] { locations.record(Self.digest, on: "registry.example", repository: "team/\(name)") }
        #expect(locations.repositories(holding: Self.digest, on: "registry.example") == ["team/e", "team/d", "team/b", "team/c"])
        #expect(locations.repositories(holding: Self.digest, on: "registry.example", excluding: "team/d") == ["team/e", "team/b", "team/c"])
        // Per registry: another host knows nothing of it.
        #expect(locations.repositories(holding: Self.digest, on: "other.example:5000").isEmpty)
    }

    @Test func aHostileRegistryNameOrRecordReachesNoPathAndNoRequest() throws {
        let dir = try TemporaryDirectory("blob-locations-hostile")
        let locations = BlobLocations(directory: dir("records"))
        locations.record(Self.digest, on: "../../etc", repository: "app")
        // The only file made is <directory>/<sha256 of the host>/<digest hex>.
        let hosts = try FileManager.default.contentsOfDirectory(atPath: dir("records"))
        #expect(hosts == [Digest.sha256(of: Data("../../etc".utf8)).encoded])
        #expect(FileManager.default.fileExists(atPath: dir("records") + "/" + hosts[0] + "/" + Self.digest.encoded))
        // A record edited to hold names that are not repositories: they are dropped, the valid ones stay.
        locations.record(Self.digest, on: "registry.example", repository: "app")
        let record = dir("records") + "/" + Digest.sha256(of: Data("registry.example".utf8)).encoded + "/" + Self.digest.encoded
        try Data("app\n../../x\nUPPER\nok/repo\n?mount=x\n".utf8).write(to: URL(fileURLWithPath: record))
        #expect(locations.repositories(holding: Self.digest, on: "registry.example") == ["ok/repo", "app"])
        // sha512 digests are not remembered (one file name shape only).
        let sha512 = try Digest("sha512:" + String(repeating: "ab", count: 64))
        locations.record(sha512, on: "registry.example", repository: "app")
        #expect(locations.repositories(holding: sha512, on: "registry.example").isEmpty)
    }
}

/// Pushes through ``RegistryDestination`` to Debian's docker-registry, counting the upload requests in its log.
@Suite(.localRegistry(.plain)) struct BlobLocationPushTests {
    static func opener(_ registry: LocalRegistry, locations: BlobLocations?) -> RegistryOpener {
        RegistryOpener(options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: []), blobLocations: locations))
    }

    /// A one-layer image with random bytes (so no other test's blobs are in the registry), in memory.
    static func image() async throws -> (MemoryImage, [Digest]) {
        let image = MemoryImage(name: "remembered")
        var generator = SystemRandomNumberGenerator()
        let layer = Data((0..<(64 << 10)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let layerDescriptor = Descriptor(mediaType: MediaType.ociLayerGzip, digest: .sha256(of: layer), size: Int64(layer.count))
        try await image.putBlob(layerDescriptor, data: layer)
        let config = try await image.putJSON(
            ImageConfiguration(architecture: "amd64", rootfs: RootFS(diffIDs: [layerDescriptor.digest])), mediaType: MediaType.ociConfig)
        let manifest = try await image.putJSON(ImageManifest(config: config, layers: [layerDescriptor]), mediaType: MediaType.ociManifest)
        try await image.commit(root: manifest)
        return (image, [config.digest, layerDescriptor.digest])
    }

    static func push(_ image: MemoryImage, _ opener: RegistryOpener, _ registry: LocalRegistry, _ repository: String) async throws {
        let destination = try opener.destination(for: try RegistryReference(parsing: "\(registry.host)/\(repository):1"))
        try await ImageCopier().copy(from: image, to: destination)
    }

    @Test func aPushToANewRepositoryMountsWhatAnEarlierPushSent() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("blob-locations-push")
        let opener = Self.opener(registry, locations: BlobLocations(directory: dir("records")))
        let (image, blobs) = try await Self.image()
        try await Self.push(image, opener, registry, "remember/first")
        #expect(registry.blobUploadRequests("remember/first/").count == 2)
        // Another process later (a new opener, the same records): nothing is sent, both blobs are mounted.
        try await Self.push(image, Self.opener(registry, locations: BlobLocations(directory: dir("records"))), registry, "remember/second")
        #expect(registry.blobUploadRequests("remember/second/").isEmpty)
        // Remembered blobs are mounted straight away: no HEAD first.
        #expect(registry.requests("HEAD", pathContaining: "/remember/second/blobs/").isEmpty)
        let mounts = registry.requests("POST", pathContaining: "/remember/second/blobs/uploads/?mount=")
        #expect(mounts.count == 2)
        for blob in blobs { #expect(mounts.contains { $0.contains(blob.description) && $0.contains("from=remember%2Ffirst") }) }
        // The pushed image reads back whole.
        let pulled = MemoryImage(name: "pulled")
        let source = try opener.source(for: try RegistryReference(parsing: "\(registry.host)/remember/second:1"))
        try await ImageCopier().copy(from: source, to: pulled)
        #expect(pulled.blobs == image.blobs)
    }

    @Test func withoutRecordsOrWithAStaleOneTheBlobsAreUploaded() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("blob-locations-stale")
        let (image, blobs) = try await Self.image()
        try await Self.push(image, Self.opener(registry, locations: nil), registry, "forget/first")
        try await Self.push(image, Self.opener(registry, locations: nil), registry, "forget/second")
        #expect(registry.blobUploadRequests("forget/second/").count == 2)
        // A record naming a repository that does not hold the blobs: the refused mount's upload session carries the
        // upload, so each blob costs one POST and one PUT.
        let locations = BlobLocations(directory: dir("records"))
        for blob in blobs { locations.record(blob, on: registry.host, repository: "forget/nowhere") }
        try await Self.push(image, Self.opener(registry, locations: locations), registry, "forget/third")
        #expect(registry.blobUploadRequests("forget/third/").count == 2)
        #expect(registry.requests("POST", pathContaining: "/forget/third/blobs/uploads/").count == 2)
        #expect(locations.repositories(holding: blobs[1], on: registry.host) == ["forget/third", "forget/nowhere"])
    }
}
