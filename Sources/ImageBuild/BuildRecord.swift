import Foundation
import ImageFormat
import ImageTransport
import SBOM
import SystemSupport

/// What a build leaves beside its outputs (`<name>.build.json`): how long it took and what it wrote. Never part of
/// the image, so digests stay reproducible; `compare` reads it to show the build time of images distill built.
public struct BuildRecord: Codable, Hashable, Sendable {
    /// One architecture's image.
    public struct Image: Codable, Hashable, Sendable {
        public var architecture: String
        /// The single-platform manifest's digest.
        public var manifest: Digest
        /// The configuration's digest (the image id): the same in a docker-archive, whose manifest differs.
        public var config: Digest?

        public init(architecture: String, manifest: Digest, config: Digest?) {
            self.architecture = architecture
            self.manifest = manifest
            self.config = config
        }
    }

    /// The image name (`app`, or `app-debug` for a variant).
    public var name: String
    /// The variant of the build file this image is, if any.
    public var variant: String?
    /// Wall-clock seconds the build took.
    public var seconds: Double
    /// When the build finished (RFC 3339, UTC).
    public var finished: String
    /// The manifest or index written.
    public var root: Digest
    public var images: [Image]
    /// The references written.
    public var outputs: [String]

    public init(name: String, variant: String?, seconds: Double, finished: String, root: Digest, images: [Image], outputs: [String]) {
        self.name = name
        self.variant = variant
        self.seconds = seconds
        self.finished = finished
        self.root = root
        self.images = images
        self.outputs = outputs
    }

    /// The record's file name in an output directory.
    public static func fileName(_ name: String) -> String { name + ".build.json" }

    /// Whether this build wrote the image whose manifest (or index) is `digest`, or whose configuration is `config`.
    public func describes(_ digest: Digest, config: Digest? = nil) -> Bool {
        root == digest || images.contains { $0.manifest == digest || (config != nil && $0.config == config) }
    }

    /// Writes the record into each directory, whole or not at all; returns the paths written.
    func write(to directories: [String]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(self) + Data("\n".utf8)
        return try directories.map { directory in
            let path = directory + "/" + Self.fileName(name)
            try AtomicWrite.write(data, to: path)
            return path
        }
    }

    /// The record of the build that wrote `digest` (or the image with configuration `config`) at `reference`, if distill left one beside it: first
    /// `<name>.build.json` for the reference's name, then any other record in that folder (an output given
    /// with `--output` under another name). Records for other digests (a stale file) are passed over.
    public static func find(for reference: ImageReference, digest: Digest, config: Digest? = nil) -> BuildRecord? {
        let path: String
        switch reference {
        case .oci(let p, _), .ociArchive(let p, _), .dockerArchive(let p, _), .dir(let p): path = p
        case .rootfs, .registry, .memory: return nil
        }
        let directory = FilePaths.directory(of: path)
        let preferred = fileName(ImageName.of(reference))
        var candidates = [preferred]
        let others = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        candidates += others.filter { $0.hasSuffix(".build.json") && $0 != preferred }.sorted().prefix(64)
        for candidate in candidates {
            let file = directory + "/" + candidate
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                attributes[.type] as? FileAttributeType == .typeRegular, ((attributes[.size] as? Int) ?? 0) <= 1 << 20,
                let data = FileManager.default.contents(atPath: file),
                let record = try? JSONDecoder().decode(BuildRecord.self, from: data), record.describes(digest, config: config)
            else { continue }
            return record
        }
        return nil
    }
}
