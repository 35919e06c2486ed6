import Foundation
import ImageFormat
import ImageTransport
import SystemSupport

/// Which repositories of a registry are known to hold a blob, remembered between runs, so a push to a new
/// repository mounts what the registry already has elsewhere instead of sending it again (containers/image keeps
/// the same kind of record in its blob info cache).
///
/// One small file per registry and digest, `<directory>/<sha256 of the registry>/<digest hex>`, listing up to
/// ``keep`` repositories, newest last; written whole (a temporary file renamed). It is a hint: a stale or lost entry
/// costs one refused mount request, never a wrong image (the registry links a mounted blob by its digest, and the
/// client checks the digest it announces). Entries read back are validated as repository names before use.
public struct BlobLocations: Sendable {
    /// The folder holding the records.
    public let directory: String
    /// Repositories remembered per blob and registry.
    public static let keep = 4

    /// Records in `directory` (made when first written).
    public init(directory: String) {
        self.directory = directory
    }

    /// The standard place: `registry-blobs` in distill's cache folder.
    public static func standard() -> BlobLocations {
        BlobLocations(directory: Environment.cacheDirectory() + "/registry-blobs")
    }

    /// Repositories of `registry` known to hold `digest`, newest first, `excluding` one (the push target).
    public func repositories(holding digest: Digest, on registry: String, excluding: String? = nil) -> [String] {
        guard let path = path(digest, registry), let data = FileManager.default.contents(atPath: path), data.count <= 4096 else { return [] }
        return Self.parse(data, registry: registry).reversed().filter { $0 != excluding }
    }

    /// Notes that `repository` of `registry` holds `digest`. Failing to write is not an error (the record is a hint).
    public func record(_ digest: Digest, on registry: String, repository: String) {
        guard let path = path(digest, registry) else { return }
        var known = FileManager.default.contents(atPath: path).map { Self.parse($0, registry: registry) } ?? []
        if known.last == repository { return }
        known.removeAll { $0 == repository }
        known.append(repository)
        let text = known.suffix(Self.keep).joined(separator: "\n") + "\n"
        let folder = (path as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else { return }
        try? AtomicWrite.write(Data(text.utf8), to: path, mode: 0o600, durable: false)
    }

    /// A file per sha256 digest (a ``Digest`` is validated hex); the registry name is hashed, so no name from a
    /// reference reaches the path as it is.
    private func path(_ digest: Digest, _ registry: String) -> String? {
        guard digest.algorithm == "sha256" else { return nil }
        return directory + "/" + Digest.sha256(of: Data(registry.lowercased().utf8)).encoded + "/" + digest.encoded
    }

    /// The valid repository names in a record, oldest first.
    private static func parse(_ data: Data, registry: String) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter {
            (try? RegistryReference(registry: registry, repository: $0)) != nil
        }
    }
}
