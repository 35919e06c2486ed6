import Foundation
import ImageFormat
import ImageTransport
import SBOM

/// The installed packages of an image, as the SBOM catalogers find them (Debian, Python, Go, Alpine):
/// scan and sbom read an image the same way, in one streaming, verified pass over its layers.
public enum ImagePackageReader {
    /// The packages of the image at `reference` (`platform` nil: the only one, or the host's); with a `cache`,
    /// an image cataloged before is not read again.
    public static func read(reference: String, platform: Platform? = nil, cache: CatalogCache? = nil) async throws -> ScanSubject {
        let source = try ImageReference(parsing: reference).openSource()
        defer { source.close() }
        let catalog = try await ImageCatalog.read(source, platform: platform, name: reference, cache: cache)
        return subject(reference: reference, catalog: catalog)
    }

    /// The scan's view of a catalog: OSV ecosystem names, Debian source packages, the OS release.
    public static func subject(reference: String, catalog: ImageCatalog) -> ScanSubject {
        var seen = Set<ScannedPackage>()
        let packages = catalog.packages.compactMap { package -> ScannedPackage? in
            let ecosystem: String
            switch package.ecosystem {
            case .debian: ecosystem = "Debian"
            case .python: ecosystem = "PyPI"
            case .go: ecosystem = "Go"
            case .alpine: ecosystem = "Alpine"
            }
            let scanned = ScannedPackage(
                name: package.name, version: package.version, ecosystem: ecosystem,
                sourceName: package.ecosystem == .debian ? (package.sourceName ?? package.name) : package.sourceName,
                sourceVersion: package.ecosystem == .debian ? (package.sourceVersion ?? package.version) : package.sourceVersion)
            return seen.insert(scanned).inserted ? scanned : nil
        }
        return ScanSubject(
            name: reference, osFamily: catalog.distribution?.id, osVersion: catalog.distribution?.versionID, packages: packages)
    }
}
