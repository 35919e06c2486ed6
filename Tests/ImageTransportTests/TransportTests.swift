import Synchronization
import Archive
import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

@Test func memoryCopyPreservesDigests() async throws {
    let source = MemoryImage()
    let root = try await TestImage.writeMultiArch(to: source)
    let copy = MemoryImage()
    await #expect(try await ImageCopier().copy(from: source, to: copy) == root)
    #expect(copy.blobs == source.blobs)
    await #expect(try await copy.images().map(\.platform.architecture) == ["amd64", "arm64"])
}

@Test func tamperedBlobIsRefusedAndNothingIsCommitted() async throws {
    let source = MemoryImage()
    let manifest = try await TestImage.write(to: source)
    let layer = try await source.images()[0].manifest.layers[1]
    source.tamper(layer.digest, with: Data(repeating: 0, count: Int(layer.size)))
    let scratch = try TemporaryDirectory()
    let destination = try ImageReference.oci(path: scratch("out"), tag: "x").openDestination()
    await #expect {
        try await ImageCopier().copy(from: source, to: destination)
    } throws: { error in
        "\(error)".contains(layer.digest.description)
    }
    #expect(!FileManager.default.fileExists(atPath: scratch("out")))
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    _ = manifest
}

@Test func singlePlatformDestinationPicksTheRequestedArchitecture() async throws {
    let source = MemoryImage()
    try await TestImage.writeMultiArch(to: source)
    let copy = MemoryImage(supportsIndex: false)
    try await ImageCopier(platform: Platform(debianArchitecture: "arm64")).copy(from: source, to: copy)
    await #expect(try copy.images().map(\.platform.architecture) == ["arm64"])
}

@Test(arguments: ["oci:%@/layout:v1", "oci-archive:%@/image.tar:v1", "docker-archive:%@/docker.tar:app:v1", "dir:%@/dir"])
func everyTransportRoundTrips(_ pattern: String) async throws {
    let scratch = try TemporaryDirectory()
    let reference = try ImageReference(parsing: pattern.replacingOccurrences(of: "%@", with: scratch.path))
    let original = MemoryImage()
    try await TestImage.write(to: original)
    try await ImageCopier().copy(from: original, to: try reference.openDestination())
    let source = try reference.openSource()
    defer { source.close() }
    let read = try await source.images()
    #expect(read.count == 1)
    await #expect(read[0].configuration == (try original.images()[0].configuration))
    await #expect(read[0].manifest.layers.map(\.digest) == (try await original.images()[0].manifest.layers.map(\.digest)))
    // And back to memory: every blob verifies.
    let back = MemoryImage()
    try await ImageCopier().copy(from: source, to: back)
}

@Test func ociLayoutKeepsSeveralTagsAndNamesThemInErrors() async throws {
    let scratch = try TemporaryDirectory()
    try await TestImage.write(to: try ImageReference.oci(path: scratch("l"), tag: "a").openDestination())
    try await TestImage.write(to: try ImageReference.oci(path: scratch("l"), tag: "b").openDestination(), arch: "arm64")
    await #expect(try await ImageReference.oci(path: scratch("l"), tag: "b").openSource().images()[0].platform.architecture == "arm64")
    await #expect {
        try await ImageReference.oci(path: scratch("l"), tag: "c").openSource().images()
    } throws: { "\($0)".contains("no image tagged 'c'") && "\($0)".contains("a, b") }
    await #expect(throws: ImageTransportError.self) { try await ImageReference.oci(path: scratch("l"), tag: nil).openSource().root() }
}

@Test func refusesToOverwriteSomethingThatIsNotALayout() throws {
    let scratch = try TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: scratch("d"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: scratch("d/keep"), contents: Data("x".utf8))
    #expect(throws: ImageTransportError.self) { try ImageReference.oci(path: scratch("d"), tag: nil).openDestination() }
    #expect(FileManager.default.fileExists(atPath: scratch("d/keep")))
}

@Test func rootfsTransportReadsAPlainRootFilesystem() async throws {
    let scratch = try TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: scratch("root/etc"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: scratch("root/etc/hostname"), contents: Data("box\n".utf8))
    try FileManager.default.createSymbolicLink(atPath: scratch("root/link"), withDestinationPath: "etc/hostname")
    let source = try ImageReference.rootfs(path: scratch("root")).openSource()
    let image = try await source.image(for: nil)
    #expect(image.manifest.layers.count == 1)
    let reader = try ArchiveReader(source: try await source.openVerifiedBlob(image.manifest.layers[0]), format: .tar, name: "layer")
    var seen: [String: EntryKind] = [:]
    try reader.forEachEntry { seen[$0.rawPath] = $0.kind }
    #expect(seen["etc/hostname"] == .regular)
    #expect(seen["link"] == .symlink(target: "etc/hostname"))
    #expect(throws: ImageTransportError.self) { try ImageReference.rootfs(path: scratch("x")).openDestination() }
    // A plain root filesystem is not skopeo's dir: format, and dir: says which transport it is.
    #expect {
        try ImageReference.dir(path: scratch("root")).openSource()
    } throws: { "\($0)".contains("manifest.json is missing") && "\($0)".contains("rootfs:") }
}

@Test func truncatedArchiveIsAnErrorNamingIt() async throws {
    let scratch = try TemporaryDirectory()
    let path = scratch("image.tar")
    try await ImageCopier().copy(from: try { let m = MemoryImage(); try await TestImage.write(to: m); return m }(), to: try ImageReference.ociArchive(path: path, tag: nil).openDestination())
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    await #expect {
        let source = try await ImageReference.ociArchive(path: path, tag: nil).openSource()
        _ = try await ImageCopier().copy(from: source, to: MemoryImage())
    } throws: { "\($0)".contains(path) }
}

@Test func dirTransportHoldsAMultiPlatformImageAsSkopeoDoes() async throws {
    let scratch = try TemporaryDirectory()
    let original = MemoryImage()
    let index = try await TestImage.writeMultiArch(to: original)
    try await ImageCopier().copy(from: original, to: try ImageReference.dir(path: scratch("d")).openDestination())
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: scratch("d")))
    #expect(files.contains("manifest.json") && files.contains("version"))
    #expect(try String(contentsOfFile: scratch("d/version"), encoding: .utf8) == "Directory Transport Version: 1.1\n")
    let children = try await original.images().map(\.manifestDescriptor.digest)
    for child in children { #expect(files.contains("\(child.encoded).manifest.json")) }
    #expect(!files.contains { $0.hasPrefix("sha256") || $0.hasPrefix(".") })
    let read = try ImageReference.dir(path: scratch("d")).openSource()
    await #expect(try read.rootDescriptor().digest == index.digest)
    await #expect(try read.images().map(\.platform.architecture) == ["amd64", "arm64"])
    try await ImageCopier().copy(from: read, to: MemoryImage())
    // Written again: the old folder is replaced whole.
    try await ImageCopier(platform: Platform(debianArchitecture: "arm64")).copy(
        from: original, to: try ImageReference.dir(path: scratch("d")).openDestination())
    await #expect(try ImageReference.dir(path: scratch("d")).openSource().images().map(\.platform.architecture) == ["arm64"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["d"])
}

@Test func dirTransportRefusesToOverwriteAFolderThatIsNotADirImage() throws {
    let scratch = try TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: scratch("d"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: scratch("d/keep"), contents: Data("x".utf8))
    #expect(throws: ImageTransportError.self) { try ImageReference.dir(path: scratch("d")).openDestination() }
    #expect(FileManager.default.fileExists(atPath: scratch("d/keep")))
}

/// A tag written again replaces its entry; an untagged copy of a tagged image adds nothing; an untagged
/// image is never added beside tagged ones (after which an untagged read used to be ambiguous).
@Test func ociLayoutTagsAreReplacedAndUntaggedDuplicatesNeverAdded() async throws {
    let scratch = try TemporaryDirectory()
    let layout = scratch("l")
    func entries() throws -> [(String?, Digest)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: layout + "/index.json"))
        return try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index.json").manifests.map {
            ($0.annotations?[AnnotationKey.refName], $0.digest)
        }
    }
    let amd = try await TestImage.write(to: try ImageReference.oci(path: layout, tag: "latest").openDestination())
    // `convert oci:L oci:L`: the same image, untagged, is already there.
    try await ImageCopier().copy(from: try ImageReference.oci(path: layout, tag: nil).openSource(), to: try ImageReference.oci(path: layout, tag: nil).openDestination())
    #expect(try entries().map(\.0) == ["latest"])
    await #expect(try ImageReference.oci(path: layout, tag: nil).openSource().rootDescriptor() == (try ImageReference.oci(path: layout, tag: "latest").openSource().rootDescriptor()))
    // A second tag, then the first tag written again with another image: replaced where it stands.
    try await TestImage.write(to: try ImageReference.oci(path: layout, tag: "b").openDestination(), arch: "arm64")
    let arm = try await TestImage.write(to: try ImageReference.oci(path: layout, tag: "latest").openDestination(), arch: "arm64")
    #expect(try entries().map(\.0) == ["latest", "b"])
    #expect(try entries()[0].1 == arm.digest && arm.digest != amd.digest)
    // A different untagged image is refused, and leaves no blob behind.
    let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256").sorted()
    let other = MemoryImage()
    try await TestImage.write(to: other, arch: "riscv64")
    await #expect {
        try await ImageCopier().copy(from: other, to: try await ImageReference.oci(path: layout, tag: nil).openDestination())
    } throws: { "\($0)".contains("tagged images (latest, b)") && "\($0)".contains(":TAG") }
    #expect(try entries().map(\.0) == ["latest", "b"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256").sorted() == blobs)
}

@Test func aSinglePlatformDestinationSaysWhichPlatformItKept() async throws {
    let source = MemoryImage()
    try await TestImage.writeMultiArch(to: source)
    let recorded = Mutex<[String]>([])
    try await ImageCopier(notice: { line in recorded.withLock { $0.append(line) } }).copy(from: source, to: MemoryImage(supportsIndex: false))
    var notices = recorded.withLock { $0 }
    #expect(notices.count == 1)
    #expect(notices.first?.contains("kept linux/\(Platform.host.architecture)") == true, "\(notices)")
    #expect(notices.first?.contains("left out linux/") == true && notices.first?.contains("--arch") == true, "\(notices)")
    recorded.withLock { $0 = [] }
    try await ImageCopier(notice: { line in recorded.withLock { $0.append(line) } }).copy(from: source, to: MemoryImage())
    notices = recorded.withLock { $0 }
    #expect(notices.isEmpty, "an index destination keeps every platform")
}
