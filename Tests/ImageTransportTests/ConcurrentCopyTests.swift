import Archive
import Foundation
import ImageFormat
import ImageTransport
import Synchronization
import TestSupport
import Testing

/// A destination that stores into a ``MemoryImage`` while recording how many blobs were in flight at once.
private final class GaugedDestination: ImageDestination {
    let inner = MemoryImage(name: "gauged")
    let mountable: Set<Digest>
    private let state = Mutex((inFlight: 0, peak: 0, stored: [Digest](), mounted: [Digest]()))
    var reference: ImageReference { inner.reference }
    var supportsIndex: Bool { true }
    var peak: Int { state.withLock { $0.peak } }
    var stored: [Digest] { state.withLock { $0.stored } }
    var mounted: [Digest] { state.withLock { $0.mounted } }

    init(mountable: Set<Digest> = []) { self.mountable = mountable }

    func hasBlob(_ digest: Digest) async throws -> Bool { try await inner.hasBlob(digest) }
    func putBlob(_ descriptor: Descriptor, writing write: (any ByteSink) async throws -> Void) async throws {
        state.withLock {
            $0.inFlight += 1
            $0.peak = max($0.peak, $0.inFlight)
        }
        // Long enough that the copier has started every blob it may run at once.
        try await Task.sleep(for: .milliseconds(50))
        try await inner.putBlob(descriptor, writing: write)
        state.withLock {
            $0.inFlight -= 1
            $0.stored.append(descriptor.digest)
        }
    }
    func putBlob(_ descriptor: Descriptor, file path: String) async throws { try await putBlob(descriptor, from: try FileSource(path: path)) }
    func mountBlob(_ descriptor: Descriptor, from source: any ImageSource) async throws -> Bool {
        guard mountable.contains(descriptor.digest) else { return false }
        try await inner.putBlob(descriptor, from: try await source.openVerifiedBlob(descriptor))
        state.withLock { $0.mounted.append(descriptor.digest) }
        return true
    }
    func commit(root: Descriptor) async throws { try await inner.commit(root: root) }
    func abort() async { await inner.abort() }
}

/// A multi-arch image with distinct blobs: 2 configs and 2 layers per platform.
private func sixBlobImage() async throws -> (MemoryImage, [Digest]) {
    let source = MemoryImage(name: "six")
    try await TestImage.writeMultiArch(to: source)
    let blobs = try await source.images().flatMap { [$0.manifest.config.digest] + $0.manifest.layers.map(\.digest) }
    return (source, blobs)
}

@Test(arguments: [1, 2, 4])
func blobsAreCopiedConcurrentlyUpToTheBound(limit: Int) async throws {
    let (source, blobs) = try await sixBlobImage()
    let unique = Set(blobs)
    let destination = GaugedDestination()
    try await ImageCopier(maxConcurrentBlobs: limit).copy(from: source, to: destination)
    let manifestsAndIndex = try await source.images().count + 1
    #expect(destination.peak <= limit)
    #expect(destination.peak == min(limit, unique.count), "the copier keeps \(limit) blob(s) in flight")
    // Every blob stored once, then the manifests and the index (one at a time, after their blobs).
    #expect(destination.stored.count == unique.count + manifestsAndIndex)
    #expect(Set(destination.stored.prefix(unique.count)) == unique)
    #expect(destination.inner.blobs == source.blobs)
}

@Test func aBlobTheDestinationCanMountIsNotSent() async throws {
    let (source, blobs) = try await sixBlobImage()
    let destination = GaugedDestination(mountable: [blobs[1]])
    let events = Mutex<[BlobCopyEvent]>([])
    try await ImageCopier(progress: { event in events.withLock { $0.append(event) } }).copy(from: source, to: destination)
    #expect(destination.mounted == [blobs[1]])
    #expect(!destination.stored.contains(blobs[1]))
    let mounted = events.withLock { $0.compactMap { if case .mounted(let d) = $0 { d.digest } else { nil } } }
    #expect(mounted == [blobs[1]])
}

@Test func aSecondCopyFindsEveryBlobPresent() async throws {
    let (source, blobs) = try await sixBlobImage()
    let destination = MemoryImage(name: "twice")
    try await ImageCopier().copy(from: source, to: destination)
    let events = Mutex<[BlobCopyEvent]>([])
    try await ImageCopier(progress: { event in events.withLock { $0.append(event) } }).copy(from: source, to: destination)
    let present = events.withLock { $0.compactMap { if case .present(let d) = $0 { d.digest } else { nil } } }
    #expect(Set(present) == Set(blobs))
    #expect(present.count == Set(blobs).count)
}

@Test func aCorruptBlobAbortsTheWholeCopy() async throws {
    let (source, blobs) = try await sixBlobImage()
    source.tamper(blobs[2], with: Data("not the layer".utf8))
    let destination = GaugedDestination()
    await #expect {
        try await ImageCopier(maxConcurrentBlobs: 3).copy(from: source, to: destination)
    } throws: { "\($0)".contains(blobs[2].description) }
    #expect(destination.inner.blobs.isEmpty, "an aborted copy leaves nothing behind")
    #expect(destination.inner.committedRoot == nil)
}

/// A local layout reaches a layout or archive on the same file system by hard link (hashed once first, unless its
/// blobs were verified as written, as a build's staging layout's are), and its bytes arrive whole.
@Test(arguments: [true, false])
func aLocalLayoutIsLinkedIntoLocalDestinations(verified: Bool) async throws {
    let dir = try TemporaryDirectory("copy-link")
    let memory = MemoryImage(name: "six")
    try await TestImage.writeMultiArch(to: memory)
    try await ImageCopier().copy(from: memory, to: try OCILayoutDestination(path: dir("staging"), tag: nil))
    let source = try OCILayoutSource(path: dir("staging"), tag: nil, blobsVerified: verified)
    let events = Mutex<[BlobCopyEvent]>([])
    try await ImageCopier(progress: { event in events.withLock { $0.append(event) } })
        .copy(from: source, to: try OCILayoutDestination(path: dir("out"), tag: "latest"))
    let images = try await source.images()
    let layers = images.flatMap(\.manifest.layers)
    for layer in layers {
        var original = stat(), copy = stat()
        #expect(lstat(dir("staging") + "/blobs/sha256/" + layer.digest.encoded, &original) == 0)
        #expect(lstat(dir("out") + "/blobs/sha256/" + layer.digest.encoded, &copy) == 0)
        #expect(original.st_ino == copy.st_ino)
    }
    let mounted = events.withLock { $0.filter { if case .mounted = $0 { true } else { false } }.count }
    let blobs = Set(images.flatMap { [$0.manifest.config.digest] + $0.manifest.layers.map(\.digest) })
    #expect(mounted == blobs.count, "every layer and config")
    // skopeo copies the linked layout, checking every blob against its digest.
    let copied = try Tool.run(["skopeo", "copy", "--all", "oci:\(dir("out")):latest", "dir:\(dir("skopeo"))"])
    #expect(copied.status == 0, "\(copied.stderr)")
    // An archive destination stages by link too; the tar it writes holds the whole blobs.
    try await ImageCopier(platform: Platform(debianArchitecture: "amd64"))
        .copy(from: source, to: try LayoutArchiveDestination(.docker, path: dir("out.tar"), tag: "six:latest"))
    let reread = try ImageReference.dockerArchive(path: dir("out.tar"), tag: nil).openSource()
    defer { reread.close() }
    let image = try await reread.image(for: nil)
    for layer in image.manifest.layers { try await reread.openVerifiedBlob(layer).copy(to: NullSink()) }
}

/// A blob of a layout not known to be verified that does not hash to its name is not linked: the copy fails naming it.
@Test func aTamperedLayoutBlobIsNotLinked() async throws {
    let dir = try TemporaryDirectory("copy-link-tampered")
    let memory = MemoryImage(name: "six")
    try await TestImage.writeMultiArch(to: memory)
    try await ImageCopier().copy(from: memory, to: try OCILayoutDestination(path: dir("staging"), tag: nil))
    let source = try OCILayoutSource(path: dir("staging"), tag: nil)
    let layer = try #require(try await source.images().first?.manifest.layers.first)
    let path = dir("staging") + "/blobs/sha256/" + layer.digest.encoded
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: URL(fileURLWithPath: path))
    await #expect {
        try await ImageCopier().copy(from: source, to: try OCILayoutDestination(path: dir("out"), tag: "latest"))
    } throws: { "\($0)".contains(layer.digest.encoded) }
    #expect(!FileManager.default.fileExists(atPath: dir("out")))
}
