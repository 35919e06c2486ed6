import Archive
import Foundation
import ImageTransport

/// An image the build file builds on (`base: {image: REF}`) or copies paths out of (`copy_from:`).
public struct ImageInput: Sendable, Equatable {
    /// The reference as written (`127.0.0.1:5000/base:1`, `oci:dir:tag`); it keys the image in the lock.
    public var text: String
    /// The parsed reference (a relative `oci:`/`oci-archive:`/`docker-archive:` path is resolved against the build file).
    public var reference: ImageReference
    /// Where the reference is written in the build file.
    public var location: SourceLocation?

    public init(text: String, reference: ImageReference, location: SourceLocation? = nil) {
        self.text = text
        self.reference = reference
        self.location = location
    }

    /// Images are the same whatever line they were written on.
    public static func == (lhs: ImageInput, rhs: ImageInput) -> Bool { lhs.text == rhs.text && lhs.reference == rhs.reference }
}

/// One `copy_from:` entry: paths taken out of another image's final file system into the app layer.
///
/// Each path keeps its owner, mode and (for a folder) everything under it, symlinks as links. Without `target:`
/// a path lands where it was (`/usr/local/lib/python3.11` stays there); with `target: /opt` it lands at
/// `/opt/python3.11` (the target folder, then the path's last name).
public struct CopyFromEntry: Sendable, Equatable {
    public var image: ImageInput
    /// Absolute paths in the image, normalized without the leading `/` (`usr/local/bin/python3`).
    public var paths: [String]
    /// A folder of the new image the paths go into (normalized, no leading `/`), or nil: the same paths.
    public var target: String?

    public init(image: ImageInput, paths: [String], target: String? = nil) {
        self.image = image
        self.paths = paths
        self.target = target
    }

    /// Where `path` (one of ``paths``) lands in the new image.
    public func destination(of path: String) -> String {
        guard let target else { return path }
        return target + "/" + ArchivePath.basename(of: path)
    }
}

extension BuildFile {
    /// `base: {image: REF}`.
    static func parseBaseImage(_ value: YAMLReader, directory: String) throws(BuildError) -> ImageInput {
        var image: ImageInput?
        for (key, item) in try value.mapping(allowed: ["image"]) where key == "image" {
            image = try parseImageReference(item, directory: directory)
        }
        guard let image else { throw value.error("base: is a preset name or `{image: REF}`; the mapping needs `image:`") }
        return image
    }

    /// `copy_from:`: a list of `{image: REF, paths: [/abs, …], target: /folder}`.
    static func parseCopyFrom(_ value: YAMLReader, directory: String) throws(BuildError) -> [CopyFromEntry] {
        var entries: [CopyFromEntry] = []
        for item in try value.list() {
            var image: ImageInput?
            var paths: [String]?
            var target: String?
            for (key, field) in try item.mapping(allowed: ["image", "paths", "target"]) {
                switch key {
                case "image": image = try parseImageReference(field, directory: directory)
                case "paths":
                    var list: [String] = []
                    for path in try field.list() { list.append(try imagePath(path, what: "a path to copy")) }
                    if list.isEmpty { throw field.error("list at least one path to copy out of the image") }
                    paths = list
                default: target = try imagePath(field, what: "target")
                }
            }
            guard let image else { throw item.error("a copy_from entry needs `image:` (the image to copy out of)") }
            guard let paths else { throw item.error("a copy_from entry needs `paths:` (absolute paths in that image)") }
            entries.append(CopyFromEntry(image: image, paths: paths, target: target))
        }
        return entries
    }

    /// An absolute path in an image, without `..`, normalized (`/usr/local/` → `usr/local`); the root is refused.
    private static func imagePath(_ value: YAMLReader, what: String) throws(BuildError) -> String {
        let text = try value.string()
        guard text.hasPrefix("/") else { throw value.error("'\(text)' is not absolute; \(what) is an absolute path in the image, e.g. /usr/local") }
        if text.split(separator: "/").contains("..") { throw value.error("'\(text)' has '..'; \(what) is a plain absolute path in the image") }
        let normalized: String?
        do {
            normalized = try ArchivePath.normalize(text, archive: "build file")
        } catch {
            throw value.error("'\(text)' is not a path: \(error)")
        }
        guard let normalized else { throw value.error("\(what) is the image root; name a file or folder, e.g. /usr/local") }
        return normalized
    }

    /// An image reference as `distill pull`/`copy` take it; local transports' relative paths are the build file's.
    private static func parseImageReference(_ value: YAMLReader, directory: String) throws(BuildError) -> ImageInput {
        let text = try value.string()
        var reference: ImageReference
        do {
            reference = try ImageReference(parsing: text)
        } catch {
            throw value.error("'\(text)' is not an image reference: \(error)")
        }
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }
        switch reference {
        case .oci(let path, let tag): reference = .oci(path: absolute(path), tag: tag)
        case .ociArchive(let path, let tag): reference = .ociArchive(path: absolute(path), tag: tag)
        case .dockerArchive(let path, let tag): reference = .dockerArchive(path: absolute(path), tag: tag)
        case .dir(let path): reference = .dir(path: absolute(path))
        case .registry: break
        case .rootfs, .memory:
            throw value.error("'\(text)': an image to build on or copy from is a registry reference, oci:, oci-archive:, docker-archive: or dir:")
        }
        return ImageInput(text: text, reference: reference, location: value.node.mark.map { SourceLocation(line: $0.line, column: $0.column) })
    }
}
