import Archive
import Foundation
import ImageFormat
import ImageTransport

/// The image an SBOM describes: its identity and layers.
public struct ImageSubject: Sendable, Hashable, Codable {
    /// A short name for documents (`python-app`); not part of the image's identity.
    public var name: String
    /// The digest of the single-platform manifest: the image's identity.
    public var manifestDigest: Digest
    public var configDigest: Digest
    public var architecture: String
    public var os: String
    /// The configuration's `created`, as written there.
    public var created: String?
    /// Layer digests (compressed) and diffIDs, lowest first.
    public var layerDigests: [Digest]
    public var diffIDs: [Digest]

    public init(
        name: String, manifestDigest: Digest, configDigest: Digest, architecture: String, os: String, created: String?,
        layerDigests: [Digest], diffIDs: [Digest]
    ) {
        self.name = name
        self.manifestDigest = manifestDigest
        self.configDigest = configDigest
        self.architecture = architecture
        self.os = os
        self.created = created
        self.layerDigests = layerDigests
        self.diffIDs = diffIDs
    }

    /// The subject of a resolved image.
    public init(name: String, image: ResolvedImage) {
        self.init(
            name: name, manifestDigest: image.manifestDescriptor.digest, configDigest: image.manifest.config.digest,
            architecture: image.configuration.architecture, os: image.configuration.os, created: image.configuration.created,
            layerDigests: image.manifest.layers.map(\.digest), diffIDs: image.configuration.rootfs.diffIDs)
    }
}

/// Everything an SBOM says about an image: what it is, its distribution, and its packages in document order.
public struct ImageCatalog: Sendable, Hashable, Codable {
    public var subject: ImageSubject
    public var distribution: Distribution?
    public var packages: [CatalogedPackage]

    public init(subject: ImageSubject, distribution: Distribution?, packages: [CatalogedPackage]) {
        self.subject = subject
        self.distribution = distribution
        self.packages = packages.sorted(by: CatalogedPackage.ordered)
    }

    /// Catalogs `platform`'s image from `source` in one streaming pass; `name` names it in documents. With a
    /// `cache`, an image cataloged before (the same manifest digest) is not read again, and a new one is kept.
    public static func read(_ source: any ImageSource, platform: Platform? = nil, name: String, cache: CatalogCache? = nil) async throws -> ImageCatalog {
        let image = try await source.image(for: platform)
        if let cached = cache?.catalog(for: image, name: name) { return cached }
        let observer = PackageObserver()
        let files = try await ImageReader.read(source, image: image, observers: [observer])
        let catalog = ImageCatalog(files: files, observer: observer, name: name)
        cache?.store(catalog, for: image)
        return catalog
    }

    /// The catalog of an image already read with `observer` among the observers of its one pass.
    public init(files: ImageFiles, observer: PackageObserver, name: String) {
        let found = observer.result(in: files.tree)
        self.init(subject: ImageSubject(name: name, image: files.image), distribution: found.distribution, packages: found.packages)
    }
}

/// What the catalogers found in one layer on its own, so a build can cache it with the layer.
public struct LayerCatalog: Sendable, Hashable, Codable {
    public var distribution: Distribution?
    public var packages: [CatalogedPackage]

    public init(distribution: Distribution?, packages: [CatalogedPackage]) {
        self.distribution = distribution
        self.packages = packages
    }

    /// Catalogs the layer blob at `path` (any compression) as layer number `index` of its image.
    public static func read(layerAt path: String, index: Int) throws -> LayerCatalog {
        try read(layer: try FileSource(path: path), name: path, index: index)
    }

    /// ``read(layerAt:index:)`` from a file opened earlier: what was opened is read, even if the path has since been
    /// replaced.
    public static func read(layer file: FileSource, name path: String, index: Int) throws -> LayerCatalog {
        let observer = PackageObserver()
        let flattener = LayerFlattener()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        let reader = file.head(2) == Data([0x1F, 0x8B])
            ? try ArchiveReader(source: GzipInflateSource(file, name: path), format: .tar, name: path)
            : try ArchiveReader(source: file, format: .tar, name: path)
        // Read as the only layer (the flattener numbers it 0, and the collected files must agree with the tree),
        // then say where it sits in its image.
        _ = try ImageReader.readLayer(reader, index: 0, into: flattener, observers: [observer], buffer: buffer)
        let found = observer.result(in: FileTree(flattener.entries()))
        var packages = found.packages
        for i in packages.indices { packages[i].layer = index }
        return LayerCatalog(distribution: found.distribution, packages: packages)
    }

    /// An image's catalog from the catalogs of its layers (lowest first).
    public static func merge(_ layers: [LayerCatalog], subject: ImageSubject) -> ImageCatalog {
        ImageCatalog(
            subject: subject, distribution: layers.reversed().lazy.compactMap(\.distribution).first,
            packages: layers.flatMap(\.packages))
    }
}

/// Runs every cataloger over one pass: the files they read, and Go build info from executables.
public final class PackageObserver: LayerObserver {
    private let files = FileCollector(history: [DebianCataloger.statusPath]) { path in
        DebianCataloger.wants(path) || PythonCataloger.wants(path) || AlpineCataloger.wants(path) || OSRelease.wants(path)
    }
    private let go = GoBinaryScanner()

    public init() {}

    public func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        // Called for every entry of every layer: no array unless both want the content.
        switch (try files.observe(entry), try go.observe(entry)) {
        case (nil, nil): return nil
        case (let one?, nil), (nil, let one?): return one
        case (let file?, let binary?): return Fanout([file, binary])
        }
    }

    /// The distribution and packages of the final tree.
    public func result(in tree: FileTree) -> (distribution: Distribution?, packages: [CatalogedPackage]) {
        let final = files.files(in: tree)
        var packages = DebianCataloger.catalog(final, statusHistory: files.versions(of: DebianCataloger.statusPath))
        packages += PythonCataloger.catalog(final)
        packages += AlpineCataloger.catalog(final)
        packages += GoCataloger.catalog(go.binaries(in: tree))
        return (OSRelease.distribution(final), packages.sorted(by: CatalogedPackage.ordered))
    }
}

/// Hands each chunk to several consumers until each has had enough.
final class Fanout: ContentConsumer {
    private var active: [ContentConsumer]
    private let all: [ContentConsumer]

    init(_ consumers: [ContentConsumer]) {
        active = consumers
        all = consumers
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
        active = try active.filter { try $0.consume(chunk) }
        return !active.isEmpty
    }

    func finish() throws {
        for consumer in all { try consumer.finish() }
    }
}
