import Archive
import Debian
import Foundation
import SystemSupport
import ImageFormat
import ImageTransport

/// Image catalogs kept by manifest digest, so scanning an image again reads its manifest and configuration
/// but not its layers (Trivy keeps its layer analysis the same way).
///
/// A manifest digest names the configuration and every layer by digest, so a catalog computed from verified
/// layers stays right for that digest; `layout` changes whenever a cataloger's output does.
public struct CatalogCache: Sendable {
    /// The folder (`$XDG_CACHE_HOME/distill/catalogs`).
    public let directory: String
    /// Bump when a cataloger finds something different in the same bytes: older entries are then not read.
    static let layout = 1

    public init(directory: String) { self.directory = directory }

    /// `$XDG_CACHE_HOME/distill/catalogs`, else `~/.cache/distill/catalogs`: shared by `scan` and `sbom`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> CatalogCache {
        CatalogCache(directory: ContentCache.defaultRoot(environment: environment).appendingPathComponent("catalogs").path)
    }

    private func path(_ image: ResolvedImage) -> String {
        "\(directory)/v\(Self.layout)/\(image.manifestDescriptor.digest.algorithm)-\(image.manifestDescriptor.digest.encoded).json"
    }

    /// The catalog stored for `image`, named `name`; nil when there is none or it cannot be read.
    func catalog(for image: ResolvedImage, name: String) -> ImageCatalog? {
        guard let data = FileManager.default.contents(atPath: path(image)),
            var catalog = try? JSONDecoder().decode(ImageCatalog.self, from: data),
            catalog.subject.manifestDigest == image.manifestDescriptor.digest
        else { return nil }
        catalog.subject.name = name
        return catalog
    }

    /// Keeps `catalog` for its image; a cache that cannot be written is only a slower next scan.
    func store(_ catalog: ImageCatalog, for image: ResolvedImage) {
        let file = path(image)
        guard (try? FileManager.default.createDirectory(atPath: FilePaths.directory(of: file), withIntermediateDirectories: true)) != nil,
            let data = try? JSONEncoder().encode(catalog)
        else { return }
        try? AtomicWrite.write(data, to: file)
    }
}
